package org.dermatrend.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dermatrend.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trend command on phantom courses whose truth is known: a treatment that works is "improving"
 * for scar depth and redness; unchanged skin re-photographed (seeds the repeatability study never
 * used) is "stable" for every metric; two sessions are "insufficient-data".
 */
class TrendCommandTest {
    @TempDir
    Path temp;

    private static JsonNode trend(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args);
        } finally {
            System.setOut(out);
        }
        assertEquals(0, status, buf.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWorkingTreatmentIsImprovingInScarDepthAndRedness() throws Exception {
        JsonNode t = trend("trend", "--json", "datasets/demo/manifest.json");
        assertEquals(5, t.get("sessions").size());
        assertEquals("improving", t.get("metrics").get("scars.meanDepthMm").get("verdict").asText(), t.toString());
        assertEquals("improving", t.get("metrics").get("redness.erythemaIndex").get("verdict").asText(), t.toString());
        assertEquals("improving", t.get("metrics").get("pores.meanDiameterMm").get("verdict").asText());
        JsonNode depth = t.get("metrics").get("scars.meanDepthMm");
        assertEquals(5, depth.get("values").size());
        assertTrue(depth.get("slopeCi95").get(1).asDouble() < 0);
        assertTrue(depth.get("mdc").asDouble() > 0);
    }

    @Test
    void unchangedSkinIsStableInEveryMetric() throws Exception {
        for (int seed : new int[] {91001, 91002}) {
            Path dir = temp.resolve("unchanged-" + seed);
            assertEquals(0, Main.run("synth", "--series", "5", "--effect", "0", "--seed", Integer.toString(seed),
                    "--fitzpatrick", Integer.toString(1 + seed % 6), "--out", dir.toString()));
            JsonNode t = trend("trend", "--json", dir.resolve("manifest.json").toString());
            List<String> notStable = new ArrayList<>();
            for (Map.Entry<String, JsonNode> m : (Iterable<Map.Entry<String, JsonNode>>) t.get("metrics")::fields) {
                if (!m.getValue().get("verdict").asText().equals("stable")) {
                    notStable.add(m.getKey() + "=" + m.getValue().get("verdict").asText() + " (" + m.getValue().get("why").asText() + ")");
                }
            }
            assertEquals(List.of(), notStable, "seed " + seed);
            assertEquals(14, t.get("metrics").size());
        }
    }

    @Test
    void twoSessionsAreInsufficientData() throws Exception {
        JsonNode demo = new ObjectMapper().readTree(Files.readAllBytes(Path.of("datasets/demo/manifest.json")));
        Path demoDir = Path.of("datasets/demo").toAbsolutePath();
        StringBuilder sessions = new StringBuilder();
        for (int i : new int[] {0, 4}) {
            JsonNode s = demo.get("sessions").get(i);
            sessions.append(sessions.length() == 0 ? "" : ",").append("{\"date\":\"").append(s.get("date").asText())
                    .append("\",\"photo\":\"").append(demoDir.resolve(s.get("photo").asText())).append("\",\"grayRef\":")
                    .append(s.get("grayRef")).append(",\"treatedOn\":\"").append(s.get("date").asText()).append("\"}");
        }
        Path manifest = temp.resolve("two.json");
        Files.writeString(manifest, "{\"patient\":\"P-2\",\"area\":\"left-cheek\",\"mmPerPx\":0.025,\"sessions\":[" + sessions + "]}");
        JsonNode t = trend("trend", "--json", manifest.toString());
        for (JsonNode m : t.get("metrics")) {
            assertEquals("insufficient-data", m.get("verdict").asText());
        }
    }

    @Test
    void aBadManifestIsUsageErrorWithTheReason() throws Exception {
        Path bad = temp.resolve("bad.json");
        Files.writeString(bad, "{\"sessions\":[{\"date\":\"5 Jan\",\"photo\":\"x.jpg\"}]}");
        assertEquals(2, Main.run("trend", bad.toString()));
        Files.writeString(bad, "{\"patient\": 1");
        assertEquals(2, Main.run("trend", bad.toString()));
    }
}
