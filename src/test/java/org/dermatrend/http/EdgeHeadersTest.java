package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges a browser and the file system see (part of the records issue's hardening): security headers on
 * every answer, no caching of authenticated answers, and photos and the database readable by the service's
 * user alone.
 */
class EdgeHeadersTest {
    private static final String KEY = ApiHarness.ADMIN_KEY;

    @TempDir
    static Path temp;
    private static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start("sqlite", temp, c -> c, false);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static void secured(ApiHarness.Resp r, String what) {
        assertEquals("nosniff", r.header("X-Content-Type-Options"), what);
        assertEquals("no-referrer", r.header("Referrer-Policy"), what);
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), what + ": " + csp);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndAuthenticatedOnesAreNotCached() throws Exception {
        ApiHarness.Resp clinic = api.get("/v1/clinic", KEY).expect(200);
        secured(clinic, "GET /v1/clinic");
        assertEquals("no-store", clinic.header("Cache-Control"));
        ApiHarness.Resp key = api.postJson("/v1/keys", KEY, java.util.Map.of("role", "app", "label", "edge")).expect(201);
        assertEquals("no-store", key.header("Cache-Control"), "a new key's secret is never cached");
        ApiHarness.Resp refused = api.get("/v1/patients", "not-a-key");
        assertEquals(401, refused.status());
        secured(refused, "a 401");
        assertEquals("no-store", refused.header("Cache-Control"));
        java.net.http.HttpResponse<Void> docs = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(api.base() + "/docs")).GET().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(200, docs.statusCode());
        assertTrue(docs.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), "the docs page");
        assertEquals("nosniff", docs.headers().firstValue("X-Content-Type-Options").orElse(null));
        secured(api.get("/health/live", null).expect(200), "health");
        java.net.http.HttpResponse<String> other = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(api.base() + "/v1/clinic")).header("X-API-Key", KEY).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, other.statusCode(), "one documented key header: Authorization: Bearer");
        assertTrue(other.body().contains("X-API-Key header is not read"), other.body());
        ApiHarness.Resp missing = api.get("/shared/reports/nothing", null);
        assertEquals(404, missing.status());
        secured(missing, "an invalid share link");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "trailing tokens         | /v1/patients | {\"reference\":\"TG-1\"} xxx | body",
        "two objects             | /v1/patients | {\"reference\":\"TG-2\"}{\"reference\":\"TG-3\"} | body",
        "a number for a string   | /v1/patients | {\"reference\":12} | reference",
        "an unknown field        | /v1/patients | {\"reference\":\"TG-4\",\"name\":\"Jo\"} | name",
        "not an object           | /v1/patients | [1,2] | body"})
    void aBodyIsOneJsonObjectOfTheDocumentedTypes(String what, String path, String body, String field) {
        com.fasterxml.jackson.databind.JsonNode p = api.postJson(path, KEY, body).problem(400, "validation");
        assertEquals(field, p.get("field").asText(), what + ": " + p);
        assertFalse(p.get("detail").asText().contains("java."), "no Java type names: " + p);
    }

    @Test
    void numbersAreNotReadFromStringsNorWholeNumbersFromFractions() {
        String patient = api.postJson("/v1/patients", KEY, java.util.Map.of("reference", "STRICT-1")).expect(201).json().get("id").asText();
        com.fasterxml.jackson.databind.JsonNode p = api.postJson("/v1/patients/" + patient + "/areas", KEY,
                "{\"name\":\"left-cheek\",\"mmPerPx\":\"0.025\"}").problem(400, "validation");
        assertEquals("mmPerPx", p.get("field").asText());
        assertTrue(p.get("detail").asText().contains("must be a number"), p.toString());
        api.postJson("/v1/patients/" + patient + "/areas", KEY, "{\"name\":\"left-cheek\",\"mmPerPx\":0.025}").expect(201);
        p = api.postJson("/v1/patients/" + patient + "/sessions", KEY,
                "{\"date\":\"2026-01-05\",\"treatment\":{\"passes\":3.5}}").problem(400, "validation");
        assertEquals("treatment.passes", p.get("field").asText());
        assertTrue(p.get("detail").asText().contains("must be a whole number"), p.toString());
    }

    @Test
    void rectanglesTakeAsciiDigitsOnly() throws Exception {
        com.fasterxml.jackson.databind.JsonNode p = api.postMultipart("/v1/score", KEY, List.of(
                ApiHarness.Part.file("photo", "p.jpg", ApiHarness.demoPhoto(1)), ApiHarness.Part.text("grayRef", "\u0661\u0662,2,30,30")),
                java.util.Map.of()).problem(400, "validation");
        assertEquals("grayRef", p.get("field").asText());
    }

    @Test
    void anAddressThatKeepsSendingUnknownKeysIsToldToWait() throws Exception {
        // A service of its own: this test uses up its address's failures for the minute.
        try (ApiHarness own = ApiHarness.start("sqlite", temp.resolve("throttle"), c -> c, false)) {
            for (int i = 0; i < org.dermatrend.http.ApiServer.Settings.DEFAULT_AUTH_FAILURES_PER_MINUTE; i++) {
                own.get("/v1/patients", "dtk_guess-" + i).problem(401, "unauthenticated");
            }
            ApiHarness.Resp wait = own.get("/v1/patients", "dtk_guess-again");
            wait.problem(429, "too-many-requests");
            int seconds = Integer.parseInt(wait.header("Retry-After"));
            assertTrue(seconds >= 1 && seconds <= 60, "Retry-After " + seconds);
            own.get("/v1/clinic", KEY).problem(429, "too-many-requests"); // a valid key from the address waits too
            assertTrue(own.get("/metrics", null).status() == 429, "and so does every route that takes a key");
            assertEquals(200, own.get("/health/live", null).status(), "routes without a key still answer");
        }
    }

    @Test
    void keysMayExpireAndSayWhenTheyWereLastUsed() throws Exception {
        com.fasterxml.jackson.databind.JsonNode made = api.postJson("/v1/keys", KEY,
                java.util.Map.of("role", "reviewer", "label", "30 days", "expiresInDays", 30)).expect(201).json();
        java.time.Instant expires = java.time.Instant.parse(made.get("expiresAt").asText());
        java.time.Instant in30 = java.time.Instant.now().plus(java.time.Duration.ofDays(30));
        assertTrue(Math.abs(java.time.Duration.between(expires, in30).toSeconds()) < 120, "expires in 30 days: " + expires);
        assertFalse(made.has("lastUsedAt"), "never used yet");
        api.get("/v1/patients", made.get("key").asText()).expect(200);
        com.fasterxml.jackson.databind.JsonNode listed = null;
        for (com.fasterxml.jackson.databind.JsonNode k : api.get("/v1/keys", KEY).expect(200).json().get("items")) {
            if (k.get("id").asText().equals(made.get("id").asText())) {
                listed = k;
            }
        }
        assertTrue(listed != null && listed.has("lastUsedAt"), "used once: " + listed);
        api.postJson("/v1/keys", KEY, java.util.Map.of("role", "reviewer", "expiresInDays", 0)).problem(400, "validation");

        // A key whose expiry has passed no longer authenticates (made in the past, straight in the database).
        String clinic = api.get("/v1/clinic", KEY).expect(200).json().get("id").asText();
        String secret = "dtk_expired-key-for-the-test-0123456789";
        java.time.Instant past = java.time.Instant.now().minus(java.time.Duration.ofDays(2));
        try (org.dermatrend.store.Database db = api.openDatabase()) {
            new org.dermatrend.store.ClinicRepository(db).insertKey(new org.dermatrend.domain.Records.ApiKey(
                    java.util.UUID.randomUUID().toString(), clinic, org.dermatrend.domain.Role.REVIEWER, "expired", past, null,
                    past.plus(java.time.Duration.ofDays(1)), null), org.dermatrend.util.Digest.sha256(secret.getBytes()));
        }
        api.get("/v1/patients", secret).problem(401, "unauthenticated");
    }

    @Test
    void photosAndTheDatabaseAreReadableByTheServiceAlone() throws Exception {
        ApiHarness.Patient p = api.patient(KEY, "EDGE-1", 1);
        api.upload(KEY, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201);
        Path photos = api.dataDir().resolve("photos");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(photos)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(api.dataDir().resolve("db"))));
        List<Path> files;
        try (Stream<Path> s = Files.walk(photos)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
    }
}
