package org.dermatrend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: help, synth into a folder, quality and decode on what it wrote. */
class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs the command line, returning exit status and standard output. */
    private static Object[] run(String... args) {
        Cli.Result r = Cli.run(args);
        return new Object[] {r.status(), r.out()};
    }

    /** The exit status and what the command wrote to standard error. */
    private static Object[] runForStderr(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {run(args)[0], err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (String command : new String[] {"synth", "quality", "decode", "score", "eval", "eval-align", "eval-scars", "compare", "train",
                "trend", "report", "serve", "fsck", "eval-repeatability", "staff"}) {
                Object[] r = run(command, "--help");
                assertEquals(0, r[0], command);
                assertTrue(((String) r[1]).contains("Examples:"), command + " help has examples");
            }
        } finally {
            System.setErr(oldErr);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8), "help renders without picocli warnings (an unescaped %?)");
        Object[] top = run("--help");
        assertEquals(0, top[0]);
        for (String command : new String[] {"synth", "quality", "decode", "score", "eval", "eval-align", "eval-scars", "compare", "train"}) {
            assertTrue(((String) top[1]).contains(command), "top-level help lists " + command);
        }
    }

    @Test
    void serveRefusesADatabaseItDoesNotRunOnWithoutShowingThePassword(@TempDir Path dir) {
        Object[] r = runForStderr("serve", "--port", "0", "--data-dir", dir.toString(), "--db-url",
                "jdbc:mysql://db:3306/dt?user=dt&password=secret");
        String message = (String) r[1];
        assertEquals(2, r[0], message);
        assertTrue(message.contains("--db-url: unsupported database URL") && message.contains("jdbc:sqlite:FILE"), message);
        assertTrue(!message.contains("secret") && message.contains("password=***"), message);
    }

    @Test
    void serveRefusesARateLimitOfZeroNamingTheFlag(@TempDir Path dir) {
        Object[] r = runForStderr("serve", "--port", "0", "--data-dir", dir.toString(), "--rate-per-key", "0");
        String message = (String) r[1];
        assertEquals(2, r[0], message);
        assertTrue(message.contains("--rate-per-key must be 1 to 1000000 requests a minute, got 0"), message);
    }

    @Test
    void synthThenQualityGivesOneJsonLinePerImageInOrder(@TempDir Path dir) throws Exception {
        assertEquals(0, run("synth", "--out", dir.toString(), "--count", "2", "--seed", "4", "--width", "800", "--height", "600",
                "--gray-card")[0]);
        assertTrue(Files.exists(dir.resolve("phantom-4.jpg")));
        assertTrue(Files.exists(dir.resolve("phantom-4.truth.json")));
        assertTrue(Files.exists(dir.resolve("phantom-4.height.tiff")));
        JsonNode truth = JSON.readTree(dir.resolve("phantom-5.truth.json").toFile());
        JsonNode card = truth.get("grayCard");
        String ref = card.get("x").asInt() + "," + card.get("y").asInt() + "," + card.get("width").asInt() + "," + card.get("height").asInt();
        Path notes = Files.writeString(dir.resolve("notes.jpg"), "not a photo");
        Object[] r = run("quality", "--json", "--mm-per-px", "0.025", "--gray-ref", ref,
                dir.resolve("phantom-5.jpg").toString(), notes.toString(), dir.resolve("phantom-4.jpg").toString());
        assertEquals(1, r[0], "a refused input makes the exit status 1");
        String[] lines = ((String) r[1]).trim().split("\n");
        assertEquals(3, lines.length);
        JsonNode first = JSON.readTree(lines[0]);
        assertTrue(first.get("file").asText().endsWith("phantom-5.jpg"));
        assertEquals(800, first.at("/image/width").asInt());
        assertEquals(0.025, first.at("/image/mmPerPx").asDouble(), 1e-12);
        assertTrue(first.at("/image/colorCalibrated").asBoolean());
        assertTrue(first.at("/quality/ok").asBoolean(), lines[0]);
        assertTrue(first.at("/quality/score").isNumber());
        assertTrue(first.at("/quality/issues").isArray());
        assertEquals("unsupported_format", JSON.readTree(lines[1]).at("/error/code").asText());
        assertTrue(JSON.readTree(lines[2]).get("file").asText().endsWith("phantom-4.jpg"));

        Object[] blurred = run("synth", "--out", dir.toString(), "--name", "blurred", "--preset", "blurred", "--width", "800", "--height", "600");
        assertEquals(0, blurred[0]);
        Object[] q = run("quality", "--json", "--mm-per-px", "0.025", dir.resolve("blurred-1.jpg").toString());
        assertEquals(4, q[0], "a failed gate makes the exit status 4");
        JsonNode issue = JSON.readTree(((String) q[1]).trim()).at("/quality/issues/0");
        assertEquals("blurred", issue.get("code").asText());
        for (String field : new String[] {"message", "value", "threshold"}) {
            assertTrue(issue.has(field), field);
        }
    }

    @Test
    void scorePrintsTheContractFieldsOneLinePerImageInOrder(@TempDir Path dir) throws Exception {
        assertEquals(0, run("synth", "--out", dir.toString(), "--seed", "9", "--width", "900", "--height", "700", "--gray-card",
                "--pores-per-cm2", "30")[0]);
        JsonNode truth = JSON.readTree(dir.resolve("phantom-9.truth.json").toFile());
        JsonNode card = truth.get("grayCard");
        String ref = card.get("x").asInt() + "," + card.get("y").asInt() + "," + card.get("width").asInt() + "," + card.get("height").asInt();
        Path photo = dir.resolve("phantom-9.jpg");
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        Path overlays = dir.resolve("overlays");
        Object[] r = run("score", "--json", "--detail", "--mm-per-px", "0.025", "--gray-ref", ref, "--overlay-dir", overlays.toString(),
                photo.toString(), empty.toString(), photo.toString());
        assertEquals(1, r[0], "a refused photo makes the exit status 1");
        String[] lines = ((String) r[1]).trim().split("\n");
        assertEquals(3, lines.length);
        JsonNode s = JSON.readTree(lines[0]);
        for (String path : new String[] {"/image/width", "/image/height", "/image/mmPerPx", "/image/colorCalibrated", "/quality/ok",
            "/quality/score", "/quality/issues", "/pores/count", "/pores/densityPerCm2", "/pores/meanDiameterPx",
            "/pores/meanDiameterMm", "/pores/areaFraction", "/redness/erythemaIndex", "/redness/meanAStar", "/redness/areaFraction",
            "/scars/count", "/scars/areaFraction", "/scars/volumeMm3", "/scars/byType/icepick", "/scars/byType/boxcar",
            "/scars/byType/rolling", "/scars/list"}) {
            assertTrue(!s.at(path).isMissingNode() && !s.at(path).isNull(), path + " in " + lines[0]);
        }
        int truePores = truth.get("pores").size();
        assertEquals(truePores, s.at("/pores/count").asInt(), 0.1 * truePores, "pore count near the truth");
        assertEquals(s.at("/pores/count").asInt(), s.at("/pores/list").size(), "--detail lists every pore");
        assertTrue(s.at("/image/colorCalibrated").asBoolean());
        assertEquals("jpeg-dc", s.at("/calibration/cardSource").asText());
        JsonNode refused = JSON.readTree(lines[1]);
        assertEquals("corrupt_image", refused.at("/error/code").asText());
        assertTrue(refused.at("/pores").isMissingNode(), "a refused photo has no measurements");
        assertEquals(lines[0], lines[2], "the same photo scores the same");
        assertTrue(Files.size(overlays.resolve("phantom-9.overlay.png")) > 10_000, "the overlay was written");
        org.opencv.core.Mat overlay = org.opencv.imgcodecs.Imgcodecs.imread(overlays.resolve("phantom-9.overlay.png").toString());
        assertEquals(3 * 900, overlay.cols(), "three panels: outlines, redness, scar relief");
        overlay.release();

        Object[] noScale = run("score", "--json", photo.toString());
        JsonNode n = JSON.readTree(((String) noScale[1]).trim());
        assertTrue(n.at("/pores/meanDiameterMm").isNull(), "mm fields are null without a scale");
        assertTrue(n.at("/pores/densityPerCm2").isNull());
        assertTrue(n.at("/pores/meanDiameterPx").isNumber());
        assertTrue(n.at("/pores/list").isMissingNode(), "no list without --detail");
        assertTrue(n.at("/scars/count").isNumber());
        assertTrue(n.at("/scars/meanDepthMm").isNull(), "scar depths need a scale");
        assertTrue(n.at("/scars/volumeMm3").isNull());
        boolean said = false;
        for (JsonNode issue : n.at("/quality/issues")) {
            said |= issue.get("code").asText().equals("scale_unknown") && issue.get("message").asText().contains("scar depths");
        }
        assertTrue(said, "the quality issues say why there are no depths: " + n.at("/quality/issues"));
    }

    @Test
    void scoreFindsRenderedScarsAtTheirDepth(@TempDir Path dir) throws Exception {
        assertEquals(0, run("synth", "--out", dir.toString(), "--seed", "31", "--width", "1000", "--height", "750",
                "--preset", "scarred", "--scar-depth", "0.3,0.3", "--light-elevation", "55")[0]);
        Object[] r = run("score", "--json", "--detail", "--mm-per-px", "0.025", dir.resolve("phantom-31.jpg").toString());
        JsonNode s = JSON.readTree(((String) r[1]).trim());
        JsonNode truth = JSON.readTree(dir.resolve("phantom-31.truth.json").toFile());
        int trueScars = truth.get("scars").size();
        assertEquals(trueScars, s.at("/scars/count").asInt(), 1.0, "scar count near the truth: " + s.at("/scars"));
        assertEquals(0.3, s.at("/scars/meanDepthMm").asDouble(), 0.1, "mean depth of 0.3 mm scars: " + s.at("/scars"));
        assertEquals(s.at("/scars/count").asInt(), s.at("/scars/list").size(), "--detail lists every scar");

        // Scar-free skin with a grey card in the frame: the card's edge is not a scar.
        assertEquals(0, run("synth", "--out", dir.toString(), "--seed", "1", "--gray-card")[0]);
        JsonNode card = JSON.readTree(dir.resolve("phantom-1.truth.json").toFile()).get("grayCard");
        String ref = card.get("x").asInt() + "," + card.get("y").asInt() + "," + card.get("width").asInt() + "," + card.get("height").asInt();
        Object[] free = run("score", "--json", "--mm-per-px", "0.025", "--gray-ref", ref, dir.resolve("phantom-1.jpg").toString());
        assertEquals(0, JSON.readTree(((String) free[1]).trim()).at("/scars/count").asInt(), (String) free[1]);
    }

    /** {@code --pore-scale} opens the same pores smaller: same places, every diameter scaled; outside 0.5..1 a usage error. */
    @Test
    void poreScaleOpensTheSamePoresSmaller(@TempDir Path dir) throws Exception {
        assertEquals(0, run("synth", "--out", dir.toString(), "--seed", "12", "--width", "640", "--height", "480", "--name", "full")[0]);
        assertEquals(0, run("synth", "--out", dir.toString(), "--seed", "12", "--width", "640", "--height", "480", "--name", "shrunk",
                "--pore-scale", "0.9")[0]);
        JsonNode full = JSON.readTree(dir.resolve("full-12.truth.json").toFile()).get("pores");
        JsonNode shrunk = JSON.readTree(dir.resolve("shrunk-12.truth.json").toFile()).get("pores");
        assertTrue(full.size() > 20, "pores: " + full.size());
        assertEquals(full.size(), shrunk.size());
        for (int i = 0; i < full.size(); i++) {
            assertEquals(full.get(i).get("xPx").asDouble(), shrunk.get(i).get("xPx").asDouble(), 0);
            assertEquals(full.get(i).get("yPx").asDouble(), shrunk.get(i).get("yPx").asDouble(), 0);
            assertEquals(0.9 * full.get(i).get("diameterMm").asDouble(), shrunk.get(i).get("diameterMm").asDouble(), 1e-12);
        }
        assertEquals(2, run("synth", "--out", dir.toString(), "--pore-scale", "0.3")[0]);
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        assertEquals(2, run("quality", "--roi", "1,2,3", "x.jpg")[0]);
        assertEquals(2, run("synth", "--out", dir.toString(), "--fitzpatrick", "9")[0]);
        assertEquals(2, run("synth")[0]);
        assertEquals(2, run("train", "pore-net", "--out", dir.toString())[0], "only scar-relief can be trained");
        assertEquals(2, run("eval-scars", "--method", "oracle")[0]);
        assertEquals(2, run("eval-scars", "--size", "100x75")[0], "smaller than the network's smallest phantom");
        assertEquals(2, run("eval-scars", "--size", "wide")[0]);
        assertEquals(2, run("eval-scars", "--tile-px", "250")[0], "not a multiple of 16");
        assertEquals(2, run("eval-scars", "--mirrors", "3")[0]);
    }
}
