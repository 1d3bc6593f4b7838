package org.dermatrend.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.dermatrend.Main;

/** Runs the command line in this JVM as a user would, capturing what it prints. */
final class Cli {
    /** What a run gave: its exit status and standard output. */
    record Result(int status, String out) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args);
            return new Result(status, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}
