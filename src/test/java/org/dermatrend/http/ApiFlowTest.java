package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The common flows end to end, on the embedded SQLite default and on PostgreSQL: every response checked against the spec. */
class ApiFlowTest {
    private static final String KEY = ApiHarness.ADMIN_KEY;

    @TempDir
    Path temp;

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#serviceKinds")
    void aPatientsSessionsBecomeAnalysesAndATrend(String kind) throws Exception {
        try (ApiHarness api = ApiHarness.start(kind, temp)) {
            ApiHarness.Patient p = api.patient(KEY, "P-001", 2);
            JsonNode first = api.upload(KEY, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201).json();
            JsonNode second = api.upload(KEY, p.sessionIds().get(1), p.areaId(), ApiHarness.demoPhoto(5), null).expect(201).json();
            assertEquals("queued", first.get("analysis").get("state").asText());
            assertEquals(1000, first.get("photo").get("width").asInt());

            JsonNode baseline = api.awaitAnalysis(KEY, first.get("analysis").get("id").asText(), Duration.ofSeconds(90));
            JsonNode followUp = api.awaitAnalysis(KEY, second.get("analysis").get("id").asText(), Duration.ofSeconds(90));
            assertEquals("done", baseline.get("state").asText(), baseline::toString);
            assertEquals("done", followUp.get("state").asText(), followUp::toString);
            assertTrue(baseline.get("result").get("baseline").asBoolean());
            JsonNode result = followUp.get("result");
            assertFalse(result.get("baseline").asBoolean());
            assertEquals(first.get("photo").get("id").asText(), result.get("baselinePhotoId").asText());
            assertTrue(result.get("alignment").get("ok").asBoolean());
            // The demo series' redness fades by design: the change must say so.
            assertTrue(result.get("change").get("redness.erythemaIndex").get("absolute").asDouble() < 0, result::toString);

            JsonNode trend = api.get("/v1/areas/" + p.areaId() + "/trend", KEY).expect(200).json();
            assertEquals(2, trend.get("sessions").size());
            assertEquals(2, trend.get("metrics").get("pores.meanDiameterMm").get("values").size());
            assertEquals("insufficient-data", trend.get("metrics").get("redness.erythemaIndex").get("verdict").asText());
            assertEquals("P-001", trend.get("patient").asText());

            // Reading back every record.
            assertEquals("P-001", api.get("/v1/patients/" + p.id(), KEY).expect(200).json().get("reference").asText());
            assertEquals(1, api.get("/v1/patients?reference=P-001", KEY).expect(200).json().get("items").size());
            assertEquals(1, api.get("/v1/patients?limit=10&offset=0", KEY).expect(200).json().get("items").size());
            assertEquals(1, api.get("/v1/patients/" + p.id() + "/areas", KEY).expect(200).json().get("items").size());
            assertEquals(0.025, api.get("/v1/areas/" + p.areaId(), KEY).expect(200).json().get("mmPerPx").asDouble());
            JsonNode sessions = api.get("/v1/patients/" + p.id() + "/sessions", KEY).expect(200).json().get("items");
            assertEquals(2, sessions.size());
            assertEquals(1.5, sessions.get(0).get("treatment").get("needleDepthMm").asDouble());
            assertEquals("2026-01-05", api.get("/v1/sessions/" + p.sessionIds().get(0), KEY).expect(200).json().get("date").asText());
            JsonNode photos = api.get("/v1/sessions/" + p.sessionIds().get(1) + "/photos", KEY).expect(200).json().get("items");
            assertEquals(second.get("photo").get("id").asText(), photos.get(0).get("id").asText());
            String photoId = second.get("photo").get("id").asText();
            assertEquals(second.get("analysis").get("id").asText(),
                    api.get("/v1/photos/" + photoId, KEY).expect(200).json().get("analysisId").asText());
            ApiHarness.Resp image = api.get("/v1/photos/" + photoId + "/image", KEY).expect(200);
            assertEquals("image/jpeg", image.header("Content-Type"));

            // The report, and the same through a signed link without a key.
            String html = api.get("/v1/areas/" + p.areaId() + "/report", KEY).expect(200).text();
            assertTrue(html.contains("Treatment progress: P-001, left-cheek") && html.contains("data:image/jpeg;base64,"));
            assertTrue(html.contains("data-metric=\"scars.meanDepthMm\""));
            ApiHarness.Resp pdf = api.get("/v1/areas/" + p.areaId() + "/report?format=pdf", KEY).expect(200);
            assertEquals("%PDF", new String(pdf.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            JsonNode link = api.postJson("/v1/areas/" + p.areaId() + "/report-links", KEY, Map.of("expiresInHours", 2))
                    .expect(201).json();
            String url = link.get("url").asText();
            assertTrue(url.startsWith(api.base() + "/shared/reports/"), "an absolute link: " + url);
            String path = url.substring(api.base().length());
            assertTrue(api.get(path, null).expect(200).text().contains("Treatment progress: P-001"));
            ApiHarness.Resp wrong = api.get(path.substring(0, path.length() - 3) + "AAA", null).expect(404);
            assertTrue(wrong.text().contains("This link has expired or was withdrawn"), "a page for a person, not API JSON");
            api.postJson("/v1/areas/" + p.areaId() + "/report-links", KEY, Map.of("expiresInHours", 9999)).problem(400, "validation");
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#serviceKinds")
    void anotherClinicsRecordsAnswer404ExactlyLikeMissingOnes(String kind) throws Exception {
        try (ApiHarness api = ApiHarness.start(kind, temp, c -> c, false)) {
            ApiHarness.Patient a = api.patient(KEY, "P-001", 1);
            JsonNode upload = api.upload(KEY, a.sessionIds().get(0), a.areaId(), ApiHarness.demoPhoto(1), null).expect(201).json();
            String photoId = upload.get("photo").get("id").asText();
            String analysisId = upload.get("analysis").get("id").asText();

            JsonNode made = api.postJson("/v1/clinics", KEY, Map.of("name", "Clinic B")).expect(201).json();
            String b = made.get("adminKey").get("key").asText();
            ApiHarness.Patient own = api.patient(b, "P-001", 1);  // the same reference is fine in another clinic

            List<String> paths = new ArrayList<>(List.of("/v1/patients/" + a.id(), "/v1/patients/" + a.id() + "/areas",
                    "/v1/patients/" + a.id() + "/sessions", "/v1/areas/" + a.areaId(), "/v1/areas/" + a.areaId() + "/trend", "/v1/areas/" + a.areaId() + "/report",
                    "/v1/sessions/" + a.sessionIds().get(0), "/v1/sessions/" + a.sessionIds().get(0) + "/photos",
                    "/v1/photos/" + photoId, "/v1/photos/" + photoId + "/image", "/v1/analyses/" + analysisId));
            for (String path : paths) {
                JsonNode theirs = api.get(path, b).problem(404, "not-found");
                JsonNode missing = api.get(path.replace(path.split("/")[3], "00000000-0000-0000-0000-000000000000"), b)
                        .problem(404, "not-found");
                assertEquals(missing.get("detail").asText().replace("00000000-0000-0000-0000-000000000000", "ID"),
                        theirs.get("detail").asText().replace(path.split("/")[3], "ID"), "indistinguishable from absent: " + path);
                api.get(path, KEY).expect(200);
            }
            // Writes into another clinic's records are 404 too, and the other clinic's area is unknown in one's own.
            api.postJson("/v1/patients/" + a.id() + "/areas", b, Map.of("name", "chin")).problem(404, "not-found");
            api.postJson("/v1/patients/" + a.id() + "/sessions", b, Map.of("date", "2026-01-05")).problem(404, "not-found");
            api.upload(b, a.sessionIds().get(0), a.areaId(), ApiHarness.demoPhoto(1), null).problem(404, "not-found");
            api.upload(b, own.sessionIds().get(0), a.areaId(), ApiHarness.demoPhoto(1), null).problem(400, "validation");
            api.postJson("/v1/areas/" + a.areaId() + "/report-links", b, Map.of()).problem(404, "not-found");
            // Lists show only one's own.
            JsonNode list = api.get("/v1/patients", b).expect(200).json().get("items");
            assertEquals(1, list.size());
            assertEquals(own.id(), list.get(0).get("id").asText());
            assertEquals("Clinic B", api.get("/v1/clinic", b).expect(200).json().get("name").asText());
            // Clinic B's admin sees only its own keys and cannot make clinics (it is not the operator).
            assertEquals(1, api.get("/v1/keys", b).expect(200).json().get("items").size());
            api.postJson("/v1/clinics", b, Map.of("name", "Clinic C")).problem(403, "forbidden");
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#serviceKinds")
    void analysesQueuedBeforeARestartAllCompleteAfterIt(String kind) throws Exception {
        try (ApiHarness api = ApiHarness.start(kind, temp, c -> c, false)) {
            ApiHarness.Patient p = api.patient(KEY, "P-009", 3);
            List<String> analyses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                analyses.add(api.upload(KEY, p.sessionIds().get(i), p.areaId(), ApiHarness.demoPhoto(i + 1), "up-" + i)
                        .expect(201).json().get("analysis").get("id").asText());
            }
            for (String id : analyses) {
                assertEquals("queued", api.get("/v1/analyses/" + id, KEY).expect(200).json().get("state").asText());
            }
            api.restart(true);
            for (String id : analyses) {
                JsonNode a = api.awaitAnalysis(KEY, id, Duration.ofSeconds(120));
                assertEquals("done", a.get("state").asText(), a::toString);
                assertEquals(1, a.get("attempts").asInt());
            }
            // The upload that was acknowledged before the restart is still idempotent after it.
            api.upload(KEY, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), "up-0").expect(200);
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#serviceKinds")
    void aJobWhoseWorkerDiedIsRetriedAfterItsLease(String kind) throws Exception {
        try (ApiHarness api = ApiHarness.start(kind, temp, c -> c, false)) {
            ApiHarness.Patient p = api.patient(KEY, "P-DEAD", 2);
            String first = api.upload(KEY, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201)
                    .json().get("analysis").get("id").asText();
            String second = api.upload(KEY, p.sessionIds().get(1), p.areaId(), ApiHarness.demoPhoto(4), null).expect(201)
                    .json().get("analysis").get("id").asText();
            try (org.dermatrend.store.Database db = api.openDatabase()) {
                // A worker of some other process claims the first job with a one-second lease, and dies.
                var claimed = new org.dermatrend.store.AnalysisQueue(db).claim("dead-worker", java.time.Instant.now(),
                        Duration.ofSeconds(1), 3).orElseThrow();
                assertEquals(first, claimed.id());
            }
            assertEquals("running", api.get("/v1/analyses/" + first, KEY).expect(200).json().get("state").asText());
            api.restart(true);
            JsonNode retried = api.awaitAnalysis(KEY, first, Duration.ofSeconds(120));
            assertEquals("done", retried.get("state").asText(), retried::toString);
            assertEquals(2, retried.get("attempts").asInt(), "the dead worker's attempt counts");
            assertEquals("done", api.awaitAnalysis(KEY, second, Duration.ofSeconds(120)).get("state").asText());
        }
    }

    @org.junit.jupiter.api.Test
    void twoServiceProcessesShareOnePostgresqlQueue() throws Exception {
        try (ApiHarness uploads = ApiHarness.start("postgresql", temp, c -> c, false);
             ApiHarness worker = uploads.alongside(true)) {
            ApiHarness.Patient p = uploads.patient(KEY, "P-SHARED", 4);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(uploads.upload(KEY, p.sessionIds().get(i), p.areaId(), ApiHarness.demoPhoto(i + 1), null).expect(201)
                        .json().get("analysis").get("id").asText());
            }
            // The process that took the uploads runs no workers: the other one analyses them, each once.
            for (String id : ids) {
                JsonNode a = uploads.awaitAnalysis(KEY, id, Duration.ofSeconds(120));
                assertEquals("done", a.get("state").asText(), a::toString);
                assertEquals(1, a.get("attempts").asInt());
            }
            JsonNode trend = worker.get("/v1/areas/" + p.areaId() + "/trend", KEY).expect(200).json();
            assertEquals(4, trend.get("metrics").get("pores.meanDiameterMm").get("values").size());
            // The demo course: redness fades beyond its minimal detectable change, session after session.
            assertEquals("improving", trend.get("metrics").get("redness.erythemaIndex").get("verdict").asText(), trend::toString);
        }
    }
}
