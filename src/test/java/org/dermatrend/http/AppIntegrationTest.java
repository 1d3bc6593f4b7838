package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import org.dermatrend.ServiceApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What apps other than ours need: the analyses listed by state, and browser calls from the origins the operator allows. */
class AppIntegrationTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;
    private static final String APP_ORIGIN = "https://app.example.org";

    @TempDir
    Path temp;

    private static ApiHarness.Resp preflight(ApiHarness api, String origin) {
        return api.sendUnchecked(HttpRequest.newBuilder(URI.create(api.base() + "/v1/patients")).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()), "/v1/patients", Request.Method.OPTIONS, null);
    }

    @Test
    void analysesAreListedByStateAreaAndTimeAndBrowsersCallOnlyFromAllowedOrigins() throws Exception {
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c.withCorsOrigins(APP_ORIGIN + ", https://other.example.org:8443"),
                false)) {
            ApiHarness.Patient p = api.patient(ADMIN, "APP-1", 2);
            Instant before = Instant.now().minusSeconds(1);
            api.upload(ADMIN, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201);
            api.upload(ADMIN, p.sessionIds().get(1), p.areaId(), ApiHarness.demoPhoto(2), null).expect(201);
            JsonNode queued = api.get("/v1/analyses?state=queued&areaId=" + p.areaId() + "&since=" + before, ADMIN).expect(200).json();
            assertEquals(2, queued.get("items").size());
            assertEquals("queued", queued.get("items").get(0).get("state").asText());
            assertEquals(0, api.get("/v1/analyses?state=done", ADMIN).expect(200).json().get("items").size());
            assertEquals(1, api.get("/v1/analyses?limit=1", ADMIN).expect(200).json().get("items").size());
            assertEquals(0, api.get("/v1/analyses?since=" + Instant.now().plusSeconds(60), ADMIN).expect(200).json().get("items").size());
            api.get("/v1/analyses?state=finished", ADMIN).problem(400, "validation");
            api.get("/v1/analyses?since=yesterday", ADMIN).problem(400, "validation");

            // A preflight from an allowed origin is answered, and the answer names that origin; any other gets nothing.
            ApiHarness.Resp ok = preflight(api, APP_ORIGIN);
            assertTrue(ok.status() < 300, "preflight answered: " + ok.status());
            assertEquals(APP_ORIGIN, ok.header("Access-Control-Allow-Origin"));
            assertNull(preflight(api, "https://evil.example.org").header("Access-Control-Allow-Origin"));
            ApiHarness.Resp real = api.sendUnchecked(HttpRequest.newBuilder(URI.create(api.base() + "/v1/clinic"))
                    .header("Origin", "https://other.example.org:8443").GET(), "/v1/clinic", Request.Method.GET, ADMIN);
            assertEquals(200, real.status());
            assertEquals("https://other.example.org:8443", real.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void byDefaultNoOriginIsAllowedAndABadOriginIsRefusedNamingTheFlag() throws Exception {
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c, false)) {
            assertNull(preflight(api, APP_ORIGIN).header("Access-Control-Allow-Origin"));
            assertNull(api.sendUnchecked(HttpRequest.newBuilder(URI.create(api.base() + "/v1/clinic")).header("Origin", APP_ORIGIN).GET(),
                    "/v1/clinic", Request.Method.GET, ADMIN).header("Access-Control-Allow-Origin"));
        }
        ServiceApp.Config config = ServiceApp.Config.defaults(temp);
        for (String bad : new String[] {"*", "app.example.org", "https://app.example.org/path", " , "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.withCorsOrigins(bad), bad);
            assertTrue(e.getMessage().contains("--cors-origin"), e.getMessage());
        }
    }
}
