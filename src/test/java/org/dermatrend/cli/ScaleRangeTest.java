package org.dermatrend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A scale no skin close-up has is bad usage (exit 2, before any model is loaded or photo read), on every command that takes one. */
class ScaleRangeTest {
    private static final String PHOTO = "datasets/demo/session-1.jpg";

    private static String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Cli.Result r = Cli.run(args);
            return new String[] {Integer.toString(r.status()), buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "5", "9.99", "0", "1e-9", "-0.025", "NaN"})
    void scoreQualityAndCompareRefuseIt(String mmPerPx) {
        for (String[] args : new String[][] {
            {"score", "--mm-per-px", mmPerPx, PHOTO},
            {"quality", "--mm-per-px", mmPerPx, PHOTO},
            {"compare", "--mm-per-px", mmPerPx, PHOTO, PHOTO}}) {
            String[] r = run(args);
            assertEquals("2", r[0], args[0] + ": " + r[1]);
            assertTrue(r[1].contains("--mm-per-px must be between 0.002 and 0.2"), args[0] + ": " + r[1]);
        }
    }
}
