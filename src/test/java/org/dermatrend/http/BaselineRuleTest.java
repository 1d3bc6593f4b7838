package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.Main;
import org.dermatrend.http.ApiHarness.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * One baseline rule on both paths: an area whose first photo fails the gate takes its baseline from the
 * first usable photo, and {@code dermatrend trend} and {@code GET /v1/areas/{id}/trend} give the same series
 * from the same photos (once, the service compared every follow-up with the failed first photo and failed
 * them all with baseline_quality_failed, while the CLI skipped it).
 */
class BaselineRuleTest {
    private static final String KEY = ApiHarness.ADMIN_KEY;
    private static final String[] DATES = {"2025-12-01", "2026-01-05", "2026-02-09", "2026-03-16"};
    private static final String[] CARDS = {"34,27,137,137", "34,27,137,137", "56,2,137,137", "50,26,136,136"};

    @TempDir
    Path temp;

    /** The demo's first session, out of focus: the quality gate fails it. */
    private static byte[] blurred() throws Exception {
        Mat m = Imgcodecs.imdecode(new MatOfByte(ApiHarness.demoPhoto(1)), Imgcodecs.IMREAD_COLOR);
        MatOfByte out = new MatOfByte();
        MatOfInt q = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92);
        try {
            Imgproc.GaussianBlur(m, m, new Size(0, 0), 8);
            Imgcodecs.imencode(".jpg", m, out, q);
            return out.toArray();
        } finally {
            m.release();
            out.release();
            q.release();
        }
    }

    @Test
    void aFailedFirstPhotoGivesWayToTheFirstUsableOneInTheCliAndTheServiceAlike() throws Exception {
        try (ApiHarness api = ApiHarness.start("sqlite", temp)) {
            List<byte[]> photos = List.of(blurred(), ApiHarness.demoPhoto(1), ApiHarness.demoPhoto(2), ApiHarness.demoPhoto(3));

            // The service: a patient with four sessions, one photo each.
            String patient = api.postJson("/v1/patients", KEY, Map.of("reference", "BASE-1")).expect(201).json().get("id").asText();
            Map<String, Object> area = new LinkedHashMap<>();
            area.put("name", "left-cheek");
            area.put("mmPerPx", 0.025);
            String areaId = api.postJson("/v1/patients/" + patient + "/areas", KEY, area).expect(201).json().get("id").asText();
            List<String> photoIds = new ArrayList<>();
            List<String> analyses = new ArrayList<>();
            for (int i = 0; i < photos.size(); i++) {
                String session = api.postJson("/v1/patients/" + patient + "/sessions", KEY, Map.of("date", DATES[i]))
                        .expect(201).json().get("id").asText();
                JsonNode up = api.postMultipart("/v1/sessions/" + session + "/photos", KEY, List.of(
                        Part.file("photo", "p" + i + ".jpg", photos.get(i)), Part.text("areaId", areaId),
                        Part.text("grayRef", CARDS[i])), Map.of()).expect(201).json();
                photoIds.add(up.get("photo").get("id").asText());
                analyses.add(up.get("analysis").get("id").asText());
            }
            List<JsonNode> done = new ArrayList<>();
            for (String a : analyses) {
                done.add(api.awaitAnalysis(KEY, a, Duration.ofMinutes(5)));
            }
            assertEquals("failed", done.get(0).get("state").asText(), done.get(0).toString());
            assertEquals("quality_failed", done.get(0).get("failure").get("code").asText());
            for (int i = 1; i < 4; i++) {
                assertEquals("done", done.get(i).get("state").asText(), done.get(i).toString());
                assertEquals(photoIds.get(1), done.get(i).get("result").get("baselinePhotoId").asText(),
                        "every later photo is measured against the first usable one");
            }
            assertTrue(done.get(1).get("result").get("baseline").asBoolean());
            JsonNode served = api.get("/v1/areas/" + areaId + "/trend", KEY).expect(200).json();

            // The CLI: the same photos in a manifest.
            List<Map<String, Object>> sessions = new ArrayList<>();
            for (int i = 0; i < photos.size(); i++) {
                Path f = temp.resolve("p" + i + ".jpg");
                Files.write(f, photos.get(i));
                String[] c = CARDS[i].split(",");
                sessions.add(Map.of("date", DATES[i], "photo", f.getFileName().toString(), "grayRef",
                        List.of(Integer.parseInt(c[0]), Integer.parseInt(c[1]), Integer.parseInt(c[2]), Integer.parseInt(c[3]))));
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("patient", "BASE-1");
            manifest.put("area", "left-cheek");
            manifest.put("mmPerPx", 0.025);
            manifest.put("sessions", sessions);
            Path m = temp.resolve("manifest.json");
            ApiHarness.JSON.writeValue(m.toFile(), manifest);
            JsonNode offline = cliTrend(m);

            assertEquals(DATES[1], served.get("baselineDate").asText());
            assertEquals(DATES[1], offline.get("baselineDate").asText());
            for (int i = 0; i < 4; i++) {
                JsonNode s = served.get("sessions").get(i);
                JsonNode o = offline.get("sessions").get(i);
                assertEquals(i > 0, s.get("usable").asBoolean(), s.toString());
                assertEquals(o.get("usable"), s.get("usable"), "session " + i);
                assertEquals(o.path("reason"), s.path("reason"), "session " + i);
                assertEquals(o.path("values"), s.path("values"), "session " + i + ": the same values on both paths");
            }
            assertTrue(served.get("sessions").get(0).get("reason").asText().startsWith("quality_failed:"));
            assertFalse(served.get("sessions").get(1).get("values").isEmpty());
            assertEquals(offline.get("metrics"), served.get("metrics"), "the same series, statistics and verdicts");
        }
    }

    private static JsonNode cliTrend(Path manifest) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run("trend", "--json", manifest.toString());
        } finally {
            System.setOut(out);
        }
        assertEquals(0, status, buf.toString(StandardCharsets.UTF_8));
        return ApiHarness.JSON.readTree(buf.toString(StandardCharsets.UTF_8));
    }
}
