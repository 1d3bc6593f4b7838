package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.http.ApiHarness.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Requests that once made the service work for minutes or fail with 500: a scale no close-up has
 * (mmPerPx 1 drove the server to 18.5 GB and held a slot for 636 s; 5 answered 500; an area at 9.99 failed
 * every analysis) and a 160 KB flat 7000×7000 PNG (61 s and 7.7 GB). Each is now a problem answered before
 * any photo is decoded or measured, from any role.
 */
class HostileScaleTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;
    /** No answer here may take the time of a measurement; these are checks, not speed targets. */
    private static final long AT_MOST_MS = 10_000;

    @TempDir
    static Path temp;
    private static ApiHarness api;
    private static String app;
    private static byte[] photo;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start("sqlite", temp, c -> c, false);
        app = api.postJson("/v1/keys", ADMIN, Map.of("role", "app", "label", "hostile")).expect(201).json().get("key").asText();
        photo = ApiHarness.demoPhoto(1);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static JsonNode timed(String what, java.util.function.Supplier<JsonNode> call) {
        long t0 = System.nanoTime();
        JsonNode problem = call.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s answered in %d ms%n", what, ms);
        assertTrue(ms < AT_MOST_MS, what + " took " + ms + " ms");
        return problem;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "5", "9.99", "0", "1e-9", "-0.025", "0.21", "NaN", "Infinity"})
    void scoringWithAScaleNoCloseUpHasIsA400(String mmPerPx) {
        for (String key : new String[] {app, ADMIN}) {
            JsonNode p = timed("/v1/score mmPerPx=" + mmPerPx, () -> api.postMultipart("/v1/score", key,
                    List.of(Part.file("photo", "p.jpg", photo), Part.text("mmPerPx", mmPerPx)), Map.of()).problem(400, "validation"));
            assertEquals("mmPerPx", p.get("field").asText());
            assertTrue(p.get("detail").asText().contains("between 0.002 and 0.2"), p.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "5", "9.99"})
    void comparingWithSuchAScaleIsA400(String mmPerPx) {
        JsonNode p = timed("/v1/compare mmPerPx=" + mmPerPx, () -> api.postMultipart("/v1/compare", app,
                List.of(Part.file("before", "b.jpg", photo), Part.file("after", "a.jpg", photo), Part.text("mmPerPx", mmPerPx)),
                Map.of()).problem(400, "validation"));
        assertEquals("mmPerPx", p.get("field").asText());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 5, 9.99, 0, 1e-9})
    void anAreaWithSuchAScaleIsRefused(double mmPerPx) {
        String patient = api.postJson("/v1/patients", ADMIN, Map.of("reference", "HOSTILE-" + Double.toString(mmPerPx)
                .replaceAll("[^0-9A-Za-z]", "_"))).expect(201).json().get("id").asText();
        Map<String, Object> area = new LinkedHashMap<>();
        area.put("name", "left-cheek");
        area.put("mmPerPx", mmPerPx);
        JsonNode p = api.postJson("/v1/patients/" + patient + "/areas", ADMIN, area).problem(400, "validation");
        assertEquals("mmPerPx", p.get("field").asText());
    }

    @Test
    void anAreaStoredWithSuchAScaleBeforeTheCheckTakesNoPhotos() {
        String clinic = api.get("/v1/clinic", ADMIN).expect(200).json().get("id").asText();
        String patient = api.postJson("/v1/patients", ADMIN, Map.of("reference", "LEGACY-1")).expect(201).json().get("id").asText();
        String session = api.postJson("/v1/patients/" + patient + "/sessions", ADMIN, Map.of("date", "2026-01-05"))
                .expect(201).json().get("id").asText();
        String areaId = java.util.UUID.randomUUID().toString();
        try (org.dermatrend.store.Database db = api.openDatabase()) {
            assertTrue(new org.dermatrend.store.PatientRepository(db).insertArea(new org.dermatrend.domain.Records.Area(areaId,
                    clinic, patient, "left-cheek", null, 9.99, java.time.Instant.now())));
        }
        JsonNode p = api.upload(ADMIN, session, areaId, photo, null).problem(409, "area-scale-invalid");
        assertTrue(p.get("detail").asText().contains("9.99"), p.toString());
        assertTrue(p.get("detail").asText().contains("PATCH /v1/areas/" + areaId), "it says how to fix it: " + p);
        // Corrected, it takes photos again; a correction outside the range is refused like a new area.
        api.patch("/v1/areas/" + areaId, ADMIN, Map.of("mmPerPx", 20)).problem(400, "validation");
        api.patch("/v1/areas/" + areaId, ADMIN, Map.of("mmPerPx", 0.025)).expect(200);
        api.upload(ADMIN, session, areaId, photo, null).expect(201);
    }

    @Test
    void anAcceptedScaleStillScores() {
        JsonNode score = api.postMultipart("/v1/score", app, List.of(Part.file("photo", "p.jpg", photo), Part.text("mmPerPx", "0.025")),
                Map.of()).expect(200).json();
        assertTrue(score.has("scars"));
    }

    @Test
    void aFlat7000By7000PngIsRefusedWithTheSynchronousCap() {
        Mat flat = new Mat(7000, 7000, CvType.CV_8UC3, new Scalar(150, 170, 200));
        MatOfByte png = new MatOfByte();
        byte[] bytes;
        try {
            Imgcodecs.imencode(".png", flat, png);
            bytes = png.toArray();
        } finally {
            flat.release();
            png.release();
        }
        assertTrue(bytes.length < 1_000_000, "a small file: " + bytes.length);
        JsonNode p = timed("/v1/score 7000x7000 PNG", () -> api.postMultipart("/v1/score", app,
                List.of(Part.file("photo", "flat.png", bytes), Part.text("mmPerPx", "0.025")), Map.of()).problem(422, "image-refused"));
        assertEquals("image_too_large", p.get("reason").asText());
        assertTrue(p.get("detail").asText().contains("over the limit of 24.0 megapixels"), p.toString());
    }
}
