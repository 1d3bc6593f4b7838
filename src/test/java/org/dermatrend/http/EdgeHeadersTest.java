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
        ApiHarness.Resp missing = api.get("/shared/reports/nothing", null);
        assertEquals(404, missing.status());
        secured(missing, "an invalid share link");
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
