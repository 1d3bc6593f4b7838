package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dermatrend.ServiceApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-rate limits per API key and per client address (RateLimits), on services with low limits:
 * the request after a key's N is 429 with Retry-After and a problem body the spec describes, while another
 * key from the same address goes on; the address limit refuses requests with and without a key before any
 * key is looked at; the health probes are never counted; and the refusals are counted by limit in /metrics.
 * Every request of a test runs in well under a second, inside the first one-minute window of its key and
 * address.
 */
class RateLimitTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;

    @TempDir
    Path temp;

    @Test
    void aKeyPastItsLimitIsToldToWaitAndAnotherKeyOfTheAddressIsNot() throws Exception {
        int perKey = 5;
        try (ApiHarness api = ApiHarness.start("sqlite", temp,
                c -> c.withKeyRequestsPerMinute(perKey).withAddressRequestsPerMinute(1000), false)) {
            // The first of the admin key's 5: a second admin key of the operator clinic (it may read /metrics).
            String other = api.postJson("/v1/keys", ADMIN, Map.of("role", "admin", "label", "second")).expect(201)
                    .json().get("key").asText();
            for (int i = 1; i < perKey; i++) {
                api.get("/v1/clinic", ADMIN).expect(200); // the burst: all of them at once
            }
            ApiHarness.Resp refused = api.get("/v1/patients", ADMIN);
            JsonNode p = refused.problem(429, "too-many-requests");
            int seconds = Integer.parseInt(refused.header("Retry-After"));
            assertTrue(seconds >= 1 && seconds <= 60, "Retry-After " + seconds);
            assertEquals(seconds, p.get("retryAfterSeconds").asInt());
            String detail = p.get("detail").asText();
            assertTrue(detail.contains("5 requests this minute") && detail.contains("try again in " + seconds + " s")
                    && detail.contains("--rate-per-key"), detail);
            assertEquals("nosniff", refused.header("X-Content-Type-Options"), "a refusal has the headers of every answer");
            api.get("/v1/clinic", ADMIN).problem(429, "too-many-requests");

            // Another key from the same address has its own budget.
            api.get("/v1/patients", other).expect(200);
            String metrics = api.get("/metrics", other).expect(200).text();
            assertEquals(2.0, counter(metrics, "dermatrend_http_rate_limited_total\\{limit=\"key\"}"), metrics);
            assertEquals(0.0, counter(metrics, "dermatrend_http_rate_limited_total\\{limit=\"address\"}"), "registered at 0");
            assertEquals(0.0, counter(metrics, "dermatrend_http_rate_limited_total\\{limit=\"auth_failures\"}"), "registered at 0");
            // The same refusals are among the error answers, which do not say which limit refused them.
            assertEquals(2.0, counter(metrics, "dermatrend_http_problems_total\\{code=\"too-many-requests\",status=\"429\"}"), metrics);
        }
    }

    @Test
    void theAddressLimitRefusesRequestsWithAndWithoutAKeyButNeverTheProbes() throws Exception {
        int perAddress = 5;
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c.withAddressRequestsPerMinute(perAddress), false)) {
            api.get("/v1/patients", null).problem(401, "unauthenticated");
            assertTrue(api.get("/shared/reports/not-a-token", null).expect(404).text().contains("withdrawn"), "the page for a person");
            api.get("/openapi.yaml", null).expect(200);
            api.get("/v1/patients", "dtk_unknown").problem(401, "unauthenticated");
            api.get("/v1/clinic", ADMIN).expect(200);
            for (int i = 0; i < 20; i++) {
                api.get("/health/live", null).expect(200); // not counted: the address still has none left, not minus 20
            }

            // The address has made its 5: no key is looked at (no 401), a valid key waits too, and so does every path.
            ApiHarness.Resp refused = api.get("/v1/patients", null);
            JsonNode p = refused.problem(429, "too-many-requests");
            int seconds = Integer.parseInt(refused.header("Retry-After"));
            assertTrue(seconds >= 1 && seconds <= 60, "Retry-After " + seconds);
            String detail = p.get("detail").asText();
            assertTrue(detail.contains("Your address has sent 5 requests") && detail.contains("try again in " + seconds + " s")
                    && detail.contains("--rate-per-address"), detail);
            api.get("/v1/patients", "dtk_unknown").problem(429, "too-many-requests");
            api.get("/v1/clinic", ADMIN).problem(429, "too-many-requests");
            api.get("/shared/reports/not-a-token", null).problem(429, "too-many-requests");
            api.get("/openapi.yaml", null).problem(429, "too-many-requests");
            api.postJson("/v1/patients", ADMIN, Map.of("reference", "NOT-MADE")).problem(429, "too-many-requests");

            for (int i = 0; i < 50; i++) {
                api.get("/health/live", null).expect(200);
            }
            api.get("/health/ready", null).expect(200);
            // Nothing was done for the refused requests: the patient was not made.
            assertTrue(api.app().records().patients().listPatients(adminCaller(api), null, 10, 0).isEmpty());
        }
    }

    @Test
    void aLimitOfZeroIsRefusedNamingTheFlag() {
        ServiceApp.Config defaults = ServiceApp.Config.defaults(Path.of("data"));
        assertEquals(600, defaults.keyRequestsPerMinute());
        assertEquals(1200, defaults.addressRequestsPerMinute());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> defaults.withKeyRequestsPerMinute(0));
        assertTrue(key.getMessage().startsWith("--rate-per-key must be 1 to 1000000 requests a minute, got 0"), key.getMessage());
        IllegalArgumentException address = assertThrows(IllegalArgumentException.class,
                () -> defaults.withAddressRequestsPerMinute(1_000_001));
        assertTrue(address.getMessage().startsWith("--rate-per-address must be 1 to 1000000"), address.getMessage());
    }

    private static org.dermatrend.service.Caller adminCaller(ApiHarness api) {
        return api.app().access().authenticate(ADMIN).orElseThrow();
    }

    /** The value of the one Prometheus sample whose name and labels match. */
    private static double counter(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + sample + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), sample + " in\n" + metrics);
        return Double.parseDouble(m.group(1));
    }
}
