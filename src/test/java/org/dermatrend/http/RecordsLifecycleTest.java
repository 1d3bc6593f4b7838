package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dermatrend.store.Database;
import java.util.stream.Stream;
import org.dermatrend.store.FilePhotoStore;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.S3PhotoStore;
import org.dermatrend.store.StoreCheck;
import org.dermatrend.store.TestS3;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records that can be corrected, erased and shared, end to end on SQLite and PostgreSQL: a correction
 * re-analyses exactly the analyses it makes stale and leaves the trend a clean upload of the corrected data
 * would give; an erasure leaves no byte of the patient's photos in the store (a folder or an S3 bucket) and no row but
 * the audit log's;
 * share links live, snapshot, and die as documented.
 */
class RecordsLifecycleTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;
    private static final Duration WAIT = Duration.ofSeconds(240);

    @TempDir
    Path temp;

    private static String session(ApiHarness api, String patient, String date) {
        return api.postJson("/v1/patients/" + patient + "/sessions", ADMIN, Map.of("date", date, "treatment",
                Map.of("device", "Dermapen 4", "needleDepthMm", 1.0))).expect(201).json().get("id").asText();
    }

    private static String patient(ApiHarness api, String reference) {
        return api.postJson("/v1/patients", ADMIN, Map.of("reference", reference)).expect(201).json().get("id").asText();
    }

    private static String area(ApiHarness api, String patient) {
        return api.postJson("/v1/patients/" + patient + "/areas", ADMIN, Map.of("name", "left-cheek", "mmPerPx", 0.025))
                .expect(201).json().get("id").asText();
    }

    private static JsonNode upload(ApiHarness api, String session, String area, int demo) throws Exception {
        return api.upload(ADMIN, session, area, ApiHarness.demoPhoto(demo), null).expect(201).json();
    }

    /** Each photo's latest analysis: photo id → analysis. */
    private static Map<String, JsonNode> latest(ApiHarness api, List<String> photos) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String p : photos) {
            String analysis = api.get("/v1/photos/" + p, ADMIN).expect(200).json().get("analysisId").asText();
            out.put(p, api.get("/v1/analyses/" + analysis, ADMIN).expect(200).json());
        }
        return out;
    }

    /** The trend's numbers, without the ids that differ between two uploads of the same data. */
    private static Map<String, Object> numbers(JsonNode trend) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> sessions = new ArrayList<>();
        for (JsonNode s : trend.get("sessions")) {
            sessions.add(s.get("date").asText() + " usable=" + s.get("usable").asBoolean() + " " + s.path("reason").asText("")
                    + " " + s.path("values"));
        }
        out.put("sessions", sessions);
        out.put("baselineDate", trend.path("baselineDate").asText());
        trend.get("metrics").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().get("values") + " "
                + e.getValue().get("verdict").asText()));
        return out;
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#serviceKinds")
    void correctionsRedoExactlyTheStaleAnalysesAndLeaveTheTrendOfACleanUpload(String kind) throws Exception {
        try (ApiHarness api = ApiHarness.start(kind, temp)) {
            // The clean upload: three sessions in order.
            String clean = patient(api, "CLEAN-1");
            String cleanArea = area(api, clean);
            upload(api, session(api, clean, "2026-01-05"), cleanArea, 1);
            upload(api, session(api, clean, "2026-02-05"), cleanArea, 3);
            upload(api, session(api, clean, "2026-03-05"), cleanArea, 5);

            // The same data with two mistakes: the second session's year mistyped (it became the baseline), and
            // the wrong photo uploaded to the third session.
            String messy = patient(api, "MESSY-1");
            String area = area(api, messy);
            String s1 = session(api, messy, "2026-01-05");
            String s2 = session(api, messy, "2025-02-05");
            String s3 = session(api, messy, "2026-03-05");
            String p1 = upload(api, s1, area, 1).get("photo").get("id").asText();
            String p2 = upload(api, s2, area, 3).get("photo").get("id").asText();
            String wrong = upload(api, s3, area, 4).get("photo").get("id").asText();
            JsonNode cleanTrend = api.awaitTrend(ADMIN, cleanArea, WAIT);
            api.awaitTrend(ADMIN, area, WAIT);

            // One photo per session and area: a second is refused unless it replaces the first.
            api.upload(ADMIN, s3, area, ApiHarness.demoPhoto(5), null).problem(409, "photo-exists");
            JsonNode replaced = api.postMultipart("/v1/sessions/" + s3 + "/photos", ADMIN, List.of(
                    ApiHarness.Part.file("photo", "p.jpg", ApiHarness.demoPhoto(5)), ApiHarness.Part.text("areaId", area),
                    ApiHarness.Part.text("replace", "true")), Map.of()).expect(201).json();
            String p3 = replaced.get("photo").get("id").asText();
            api.get("/v1/photos/" + wrong, ADMIN).problem(404, "not-found");
            api.awaitTrend(ADMIN, area, WAIT);
            Map<String, JsonNode> before = latest(api, List.of(p1, p2, p3));
            assertEquals("2025-02-05", api.get("/v1/areas/" + area + "/trend", ADMIN).expect(200).json().get("baselineDate").asText(),
                    "the mistyped session is the baseline");

            // Correcting the date moves the baseline: every analysis depends on it, all three are redone.
            api.patch("/v1/sessions/" + s2, ADMIN, Map.of("date", "2026-02-05")).expect(200);
            Map<String, JsonNode> redone = latest(api, List.of(p1, p2, p3));
            for (String p : List.of(p1, p2, p3)) {
                assertNotEquals(before.get(p).get("id").asText(), redone.get(p).get("id").asText(), "photo " + p + " is redone");
                assertEquals("baseline_changed", redone.get(p).get("redoReason").asText());
            }
            JsonNode during = api.get("/v1/areas/" + area + "/trend", ADMIN).expect(200).json();
            assertTrue(during.get("notes").toString().contains("reanalysing"), during::toString);
            JsonNode fixed = api.awaitTrend(ADMIN, area, WAIT);
            assertEquals(numbers(cleanTrend), numbers(fixed), "the corrected trend is the clean upload's");

            // A follow-up re-dated among follow-ups moves no baseline: nothing is redone.
            Map<String, JsonNode> settled = latest(api, List.of(p1, p2, p3));
            api.patch("/v1/sessions/" + s3, ADMIN, Map.of("date", "2026-03-06", "treatment", Map.of("notes", "re-dated"))).expect(200);
            Map<String, JsonNode> after = latest(api, List.of(p1, p2, p3));
            for (String p : List.of(p1, p2, p3)) {
                assertEquals(settled.get(p).get("id").asText(), after.get(p).get("id").asText(), "photo " + p + " is not redone");
            }
            JsonNode s3now = api.get("/v1/sessions/" + s3, ADMIN).expect(200).json();
            assertEquals("re-dated", s3now.get("treatment").get("notes").asText());
            assertEquals(1.0, s3now.get("treatment").get("needleDepthMm").asDouble(), "fields left out stay");

            // A session date must be plausible; a photo cannot move onto a session that has one of the area.
            api.patch("/v1/sessions/" + s3, ADMIN, Map.of("date", "1926-03-05")).problem(400, "validation");
            api.postJson("/v1/patients/" + messy + "/sessions", ADMIN, Map.of("date", "-999999999-01-01")).problem(400, "validation");
            api.patch("/v1/photos/" + p3, ADMIN, Map.of("sessionId", s1)).problem(409, "photo-exists");
            api.patch("/v1/photos/" + p3, ADMIN, Map.of()).problem(400, "validation");

            // A new scale makes every analysis of the area stale.
            JsonNode scaled = api.patch("/v1/areas/" + area, ADMIN, Map.of("mmPerPx", 0.03)).expect(200).json();
            assertEquals(0.03, scaled.get("mmPerPx").asDouble());
            Map<String, JsonNode> rescaled = latest(api, List.of(p1, p2, p3));
            for (String p : List.of(p1, p2, p3)) {
                assertEquals("scale_changed", rescaled.get(p).get("redoReason").asText());
            }
            api.patch("/v1/patients/" + messy, ADMIN, Map.of("reference", "CLEAN-1")).problem(409, "patient-exists");
            assertEquals("MESSY-2", api.patch("/v1/patients/" + messy, ADMIN, Map.of("reference", "MESSY-2")).expect(200).json()
                    .get("reference").asText());
            api.awaitTrend(ADMIN, area, WAIT);
        }
    }

    /** The embedded default, PostgreSQL with a folder, and PostgreSQL with an S3 bucket (the deployment of many services). */
    static Stream<Arguments> databasesAndStores() {
        return Stream.of(Arguments.of("sqlite", "folder"), Arguments.of("postgresql", "folder"), Arguments.of("postgresql", "s3"));
    }

    /** Every stored object (file path or S3 key → bytes) of the service's photo store. */
    private static Map<String, byte[]> stored(ApiHarness api, String bucket) throws java.io.IOException {
        if (bucket != null) {
            return TestS3.objects(bucket);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (var walk = Files.walk(api.dataDir().resolve("photos"))) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                out.put(f.toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("databasesAndStores")
    void anErasedPatientLeavesNoPhotoByteAndNoRowButTheAuditIds(String kind, String storeKind) throws Exception {
        String bucket = storeKind.equals("s3") ? TestS3.newBucket("photos") : null;
        try (ApiHarness api = ApiHarness.start(kind, temp, c -> c.withPhotoStore(bucket), true)) {
            String gone = patient(api, "ERASE-ME-7");
            String goneArea = area(api, gone);
            String gs1 = session(api, gone, "2026-01-05");
            String gs2 = session(api, gone, "2026-02-05");
            JsonNode g1 = upload(api, gs1, goneArea, 2);
            JsonNode g2 = upload(api, gs2, goneArea, 3);
            // Another patient of the clinic whose photo has the same bytes as one of the erased patient's.
            String kept = patient(api, "KEEP-ME-8");
            String keptArea = area(api, kept);
            JsonNode k1 = upload(api, session(api, kept, "2026-01-07"), keptArea, 3);
            assertEquals(g2.get("photo").get("sha256").asText(), k1.get("photo").get("sha256").asText(), "one stored file for both");
            api.awaitTrend(ADMIN, goneArea, WAIT);
            api.awaitTrend(ADMIN, keptArea, WAIT);
            String link = api.postJson("/v1/areas/" + goneArea + "/report-links", ADMIN, Map.of()).expect(201).json().get("url").asText();
            String linkPath = link.substring(api.base().length());
            api.get(linkPath, null).expect(200);

            Set<String> ids = new HashSet<>(List.of(gone, goneArea, gs1, gs2));
            for (JsonNode up : List.of(g1, g2)) {
                ids.add(up.get("photo").get("id").asText());
                ids.add(up.get("analysis").get("id").asText());
            }
            byte[] original = ApiHarness.demoPhoto(2);
            JsonNode erased = api.delete("/v1/patients/" + gone, ADMIN).expect(200).json();
            assertEquals(2, erased.get("photoIds").size());
            assertEquals(1, erased.get("reportLinksRevoked").asInt());

            api.get("/v1/patients/" + gone, ADMIN).problem(404, "not-found");
            api.get("/v1/areas/" + goneArea, ADMIN).problem(404, "not-found");
            api.get("/v1/sessions/" + gs1, ADMIN).problem(404, "not-found");
            api.get("/v1/photos/" + g1.get("photo").get("id").asText(), ADMIN).problem(404, "not-found");
            api.get("/v1/analyses/" + g1.get("analysis").get("id").asText(), ADMIN).problem(404, "not-found");
            assertTrue(api.get(linkPath, null).expect(404).text().contains("expired or was withdrawn"));
            api.delete("/v1/patients/" + gone, ADMIN).problem(404, "not-found");

            // No byte of the erased patient's own photo anywhere in the store; the shared file stays for the other patient.
            byte[] window = java.util.Arrays.copyOfRange(original, original.length / 2, original.length / 2 + 512);
            Set<String> files = new HashSet<>();
            for (Map.Entry<String, byte[]> f : stored(api, bucket).entrySet()) {
                assertFalse(contains(f.getValue(), window), "a piece of the erased photo is still in " + f.getKey());
                files.add(PhotoStore.sha256(f.getValue()));
            }
            assertTrue(files.contains(k1.get("photo").get("sha256").asText()), "the other patient's photo keeps its bytes");
            assertEquals(1, files.size(), "nothing else is stored");

            try (Database db = api.openDatabase()) {
                for (String table : List.of("patients", "areas", "sessions", "photos", "analyses", "report_links", "pending_erasures")) {
                    List<String> rows = rows(db, table);
                    for (String row : rows) {
                        for (String id : ids) {
                            assertFalse(row.contains(id), table + " still names " + id + ": " + row);
                        }
                    }
                }
                List<String> audit = rows(db, "audit_log");
                assertTrue(audit.stream().anyMatch(r -> r.contains(gone) && r.contains("|delete|")), "the erasure is audited by id");
                assertTrue(audit.stream().noneMatch(r -> r.contains("ERASE-ME-7")), "the audit log never names the reference");
                try (PhotoStore store = bucket != null ? S3PhotoStore.open(S3PhotoStore.Location.parse(bucket))
                        : new FilePhotoStore(api.dataDir().resolve("photos"))) {
                    StoreCheck.Report check = new StoreCheck(db, store).check();
                    assertTrue(check.consistent(), check::toString);
                }
            }

            // Erasing the other patient too removes the shared file: the store is empty.
            api.delete("/v1/patients/" + kept, ADMIN).expect(200);
            assertEquals(Map.of(), stored(api, bucket), "no photo left");
        }
    }

    /** Every row of a table, each as its columns' text joined by '|'. */
    private static List<String> rows(Database db, String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM " + table).map((rs, ctx) -> {
            StringBuilder b = new StringBuilder();
            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                b.append(rs.getString(c)).append('|');
            }
            return b.toString();
        }).list());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#serviceKinds")
    void aShareLinkIsASnapshotThatCanBeListedAndWithdrawn(String kind) throws Exception {
        try (ApiHarness api = ApiHarness.start(kind, temp)) {
            String p = patient(api, "LINK-1");
            String area = area(api, p);
            upload(api, session(api, p, "2026-01-05"), area, 1);
            api.awaitTrend(ADMIN, area, WAIT);
            String reviewer = api.key(ADMIN, "reviewer");
            String clinician = api.key(ADMIN, "clinician");
            api.postJson("/v1/areas/" + area + "/report-links", reviewer, Map.of()).problem(403, "forbidden");

            JsonNode made = api.postJson("/v1/areas/" + area + "/report-links", clinician, Map.of("expiresInHours", 2)).expect(201).json();
            String linkId = made.get("id").asText();
            String path = made.get("url").asText().substring(api.base().length());
            assertEquals("active", made.get("state").asText());
            assertTrue(api.get(path, null).expect(200).text().contains("Treatment progress: LINK-1"));
            assertTrue(api.get(path + "?format=pdf", null).expect(200).header("Content-Type").startsWith("application/pdf"));

            // What was shared stays what was shared: a later session is in the live report, not in the link's.
            upload(api, session(api, p, "2026-02-05"), area, 5);
            api.awaitTrend(ADMIN, area, WAIT);
            assertTrue(api.get("/v1/areas/" + area + "/report", ADMIN).expect(200).text().contains("2026-02-05"));
            assertFalse(api.get(path, null).expect(200).text().contains("2026-02-05"), "the snapshot");

            JsonNode listed = api.get("/v1/areas/" + area + "/report-links", reviewer).expect(200).json().get("items");
            assertEquals(1, listed.size());
            assertFalse(listed.get(0).has("url"), "the token is shown once");
            // A view through the link is audited with the link's id.
            JsonNode views = api.get("/v1/audit?actorId=" + linkId, ADMIN).expect(200).json().get("items");
            assertTrue(views.size() >= 2, views::toString);
            assertEquals("link", views.get(0).get("actorType").asText());
            assertEquals(p, views.get(0).get("patientId").asText());

            assertEquals("revoked", api.delete("/v1/report-links/" + linkId, clinician).expect(200).json().get("state").asText());
            assertTrue(api.get(path, null).expect(404).text().contains("expired or was withdrawn"));
            assertEquals("withdrawn", api.get("/v1/report-links/" + linkId, ADMIN).expect(200).json().get("revokedReason").asText());

            // Revoking the key that made a link withdraws the link.
            String second = api.postJson("/v1/areas/" + area + "/report-links", clinician, Map.of()).expect(201).json()
                    .get("url").asText().substring(api.base().length());
            api.get(second, null).expect(200);
            String clinicianId = null;
            for (JsonNode k : api.get("/v1/keys", ADMIN).expect(200).json().get("items")) {
                if (k.get("role").asText().equals("clinician")) {
                    clinicianId = k.get("id").asText();
                }
            }
            api.delete("/v1/keys/" + clinicianId, ADMIN).expect(204);
            assertTrue(api.get(second, null).expect(404).text().contains("expired or was withdrawn"));
            Map<String, String> reasons = new HashMap<>();
            for (JsonNode l : api.get("/v1/areas/" + area + "/report-links", ADMIN).expect(200).json().get("items")) {
                reasons.put(l.get("id").asText(), l.get("revokedReason").asText());
            }
            assertTrue(reasons.containsValue("creator_revoked"), reasons::toString);
            // A respelled or made-up token is the same page, never an API error naming the clinic.
            assertTrue(api.get(second.substring(0, second.length() - 1) + "B", null).expect(404).text().contains("withdrawn"));
            assertTrue(api.get("/shared/reports/" + "A".repeat(600), null).expect(404).text().contains("withdrawn"));
        }
    }
}
