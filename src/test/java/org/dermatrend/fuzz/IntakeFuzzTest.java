package org.dermatrend.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.PhotoDecoder;
import org.junit.jupiter.api.Test;

/**
 * Mutated JPEG, PNG, TIFF and WebP files through intake: every input is either decoded or refused
 * with a code, never an exception (a native crash would end the test JVM). CI runs 600 inputs;
 * {@code -Ddermatrend.fuzz.inputs=10000} the full run. Inputs that fail are written to
 * target/fuzz-failures/ for the regression corpus (src/test/resources/fuzz-regressions/intake/).
 */
class IntakeFuzzTest {
    private static final int INPUTS = Integer.getInteger("dermatrend.fuzz.inputs", 600);

    @Test
    void everyMutatedFileIsDecodedOrRefusedWithACode() throws Exception {
        Map<String, byte[]> seeds = FuzzSeeds.all();
        PhotoDecoder decoder = new PhotoDecoder(ConfigIntake.defaults());
        List<String> failures = new ArrayList<>();
        int decoded = 0;
        int refused = 0;
        String[] formats = seeds.keySet().toArray(new String[0]);
        for (int i = 0; i < INPUTS; i++) {
            String format = formats[i % formats.length];
            Mutator.Mutation m = new Mutator(1_000_000L + i).mutate(seeds.get(format));
            try {
                DecodeResult r = decoder.decode(m.bytes());
                if (r.isRefused()) {
                    assertNotNull(r.refusal().code());
                    refused++;
                } else {
                    r.photo().close();
                    decoded++;
                }
            } catch (RuntimeException | Error e) {
                failures.add("seed " + (1_000_000L + i) + " (" + format + ", " + m.description() + "): " + e);
                Path dir = Files.createDirectories(Path.of("target/fuzz-failures"));
                Files.write(dir.resolve("intake-" + (1_000_000L + i) + "." + format), m.bytes());
            }
        }
        System.err.printf("intake fuzz: %d inputs, %d decoded, %d refused, %d failures%n", INPUTS, decoded, refused, failures.size());
        assertEquals(List.of(), failures);
    }

    /**
     * Every file of the regression corpus, whatever it once broke, goes through intake too: decoded or
     * refused, never an exception (an upload body is not an image, and must be refused as one).
     */
    @Test
    void theRegressionCorpusIsDecodedOrRefused() throws Exception {
        PhotoDecoder decoder = new PhotoDecoder(ConfigIntake.defaults());
        List<Path> corpus;
        try (var files = Files.walk(Path.of("src/test/resources/fuzz-regressions"))) {
            corpus = files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md")).sorted().toList();
        }
        assertTrue(corpus.size() >= 2, "the regression corpus is missing: " + corpus);
        for (Path f : corpus) {
            DecodeResult r = decoder.decode(Files.readAllBytes(f));
            if (r.isRefused()) {
                assertNotNull(r.refusal().code(), f.toString());
            } else {
                r.photo().close();
            }
        }
    }
}
