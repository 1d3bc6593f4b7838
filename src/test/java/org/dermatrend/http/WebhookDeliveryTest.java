package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end: a service on port 0 sends to a loopback receiver (the service allows private
 * targets, as an operator would for a receiver inside their network); every delivery's signature is checked
 * with the Standard Webhooks library and by hand.
 */
class WebhookDeliveryTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;
    private static final List<String> ALL = List.of("analysis.done", "analysis.failed", "trend.verdict_changed");

    @TempDir
    Path temp;

    /** Twenty uploads (four patients, five sessions each): every analysis is delivered once, verified, ids only. */
    @Test
    void everyAnalysisOfTwentyUploadsIsDeliveredOnceAndVerified() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             ApiHarness api = ApiHarness.start("sqlite", temp, c -> lifted(c).withAllowPrivateWebhookTargets(true), true)) {
            JsonNode hook = api.postJson("/v1/webhooks", ADMIN, Map.of("url", receiver.url(), "events", ALL)).expect(201).json();
            String secret = hook.get("secret").asText();
            assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), "a Standard Webhooks secret of 32 bytes: " + secret);
            receiver.secret(secret);
            assertFalse(api.get("/v1/webhooks/" + hook.get("id").asText(), ADMIN).expect(200).text().contains(secret),
                    "the secret is shown once");

            Map<String, String> analysisOf = new LinkedHashMap<>(); // analysis id -> patient reference
            for (int p = 1; p <= 4; p++) {
                String reference = "WEBHOOK-PATIENT-" + p;
                String patient = api.postJson("/v1/patients", ADMIN, Map.of("reference", reference)).expect(201).json().get("id").asText();
                String area = api.postJson("/v1/patients/" + patient + "/areas", ADMIN, Map.of("name", "left-cheek", "mmPerPx", 0.025))
                        .expect(201).json().get("id").asText();
                for (int s = 1; s <= 5; s++) {
                    String session = api.postJson("/v1/patients/" + patient + "/sessions", ADMIN, Map.of("date", "2026-0" + s + "-1" + p))
                            .expect(201).json().get("id").asText();
                    JsonNode up = api.upload(ADMIN, session, area, ApiHarness.demoPhoto(s), null).expect(201).json();
                    analysisOf.put(up.get("analysis").get("id").asText(), reference);
                }
            }
            Map<String, JsonNode> finished = new LinkedHashMap<>();
            for (String id : analysisOf.keySet()) {
                finished.put(id, api.awaitAnalysis(ADMIN, id, Duration.ofMinutes(4)));
            }
            await(() -> analysisEvents(receiver).keySet().containsAll(analysisOf.keySet()), Duration.ofSeconds(30),
                    () -> "events for " + analysisEvents(receiver).size() + " of 20 analyses");

            Map<String, List<WebhookReceiver.Received>> byAnalysis = analysisEvents(receiver);
            List<Double> delaysMs = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : finished.entrySet()) {
                List<WebhookReceiver.Received> got = byAnalysis.get(f.getKey());
                Set<String> ids = got.stream().map(WebhookReceiver.Received::webhookId).collect(Collectors.toSet());
                assertEquals(1, ids.size(), "one event an analysis; a duplicate only under the same webhook-id: " + ids);
                WebhookReceiver.Received r = got.get(0);
                assertEquals("analysis." + f.getValue().get("state").asText(), r.type());
                assertEquals(f.getValue().get("photoId").asText(), r.data().get("photoId").asText());
                assertTrue(r.data().hasNonNull("areaId") && r.data().hasNonNull("patientId") && r.data().hasNonNull("sessionId"), r.body());
                assertFalse(r.body().contains(analysisOf.get(f.getKey())), "no patient reference in a webhook: " + r.body());
                delaysMs.add(Duration.between(Instant.parse(f.getValue().get("finishedAt").asText()), r.at()).toNanos() / 1e6);
            }
            for (WebhookReceiver.Received r : receiver.received()) {
                assertTrue(r.verifiedByLibrary(), "the Standard Webhooks library verifies " + r.webhookId());
                assertTrue(r.verifiedByHand(), "the hand-made HMAC check verifies " + r.webhookId());
                assertTrue(r.webhookId().startsWith("msg_"), r.webhookId());
                assertTrue(Math.abs(Long.parseLong(r.timestamp()) - r.at().getEpochSecond()) <= 5, "a current timestamp");
            }
            delaysMs.sort(Double::compare);
            double median = delaysMs.get(delaysMs.size() / 2);
            System.err.printf("webhooks: 20 analyses, %d requests received, analysis finished -> delivered: median %.0f ms, max %.0f ms%n",
                    receiver.received().size(), median, delaysMs.get(delaysMs.size() - 1));
            // The target (<= 1 s, docs/benchmarks.md) is read from the line above; this only catches a dispatcher
            // that is never woken and waits for its poll, or worse.
            assertTrue(median < 5000, "median delivery delay " + median + " ms");

            // The delivery log says the same; the audit log has every send, with the record and its patient. (A request the
            // receiver holds is recorded a moment later: wait for the records, not only the requests.)
            await(() -> allDelivered(api, hook.get("id").asText()) && auditedSends(api) == 20, Duration.ofSeconds(10),
                    () -> "deliveries and their audit entries recorded");
            JsonNode log = api.get("/v1/webhooks/" + hook.get("id").asText() + "/deliveries?limit=500", ADMIN).expect(200).json();
            long delivered = 0;
            for (JsonNode d : log.get("items")) {
                if (d.get("eventType").asText().startsWith("analysis.")) {
                    assertEquals("delivered", d.get("state").asText(), d::toString);
                    assertEquals(200, d.get("lastStatus").asInt());
                    delivered++;
                }
            }
            assertEquals(20, delivered);
            JsonNode audit = api.get("/v1/audit?limit=1000", ADMIN).expect(200).json();
            long sends = 0;
            for (JsonNode e : audit.get("items")) {
                if (e.get("action").asText().equals("send") && e.get("resourceType").asText().equals("analysis")) {
                    assertEquals("webhook", e.get("actorType").asText());
                    assertEquals(hook.get("id").asText(), e.get("actorId").asText());
                    assertEquals("127.0.0.1", e.get("clientAddress").asText());
                    assertTrue(e.hasNonNull("patientId"), e::toString);
                    sends++;
                }
            }
            assertEquals(20, sends, "an audit entry for every delivery of an analysis");
            // Verdict events, if the demo course moved a verdict, are signed and carry ids only.
            Map<String, Integer> moves = new java.util.TreeMap<>();
            for (WebhookReceiver.Received r : receiver.received()) {
                if (r.type().equals("trend.verdict_changed")) {
                    assertTrue(r.data().get("changes").size() > 0, r.body());
                    assertTrue(r.data().hasNonNull("areaId") && r.data().hasNonNull("latestSessionDate"), r.body());
                    for (JsonNode c : r.data().get("changes")) {
                        assertFalse(c.get("from").asText().equals(c.get("to").asText()), r.body());
                        moves.merge(c.get("from").asText() + " -> " + c.get("to").asText(), 1, Integer::sum);
                    }
                }
            }
            System.err.println("webhooks: verdict changes told: " + moves);
        }
    }

    /**
     * A receiver that answers 503 and then is not there at all: deliveries are tried again on the schedule and
     * arrive after it returns, under their first webhook-id. One that stays down past the schedule is disabled
     * with the reason; enabled again, it takes a test event. 410 disables at once.
     */
    @Test
    void deliveriesWaitForAReceiverThatIsDownAndAnEndpointThatStaysDownIsDisabled() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             ApiHarness api = ApiHarness.start("sqlite", temp, c -> lifted(c).withAllowPrivateWebhookTargets(true)
                     .withWebhookRetrySchedule("1s,1s,2s,2s,2s,4s,8s"), true)) {
            JsonNode hook = api.postJson("/v1/webhooks", ADMIN, Map.of("url", receiver.url(), "events", List.of("analysis.done",
                    "analysis.failed"))).expect(201).json();
            receiver.secret(hook.get("secret").asText());
            receiver.answer(503);
            ApiHarness.Patient p = api.patient(ADMIN, "DOWN-1", 3);
            List<String> analyses = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                analyses.add(api.upload(ADMIN, p.sessionIds().get(s), p.areaId(), ApiHarness.demoPhoto(s + 1), null).expect(201).json()
                        .get("analysis").get("id").asText());
            }
            for (String id : analyses) {
                api.awaitAnalysis(ADMIN, id, Duration.ofMinutes(3));
            }
            await(() -> receiver.received().size() >= 3, Duration.ofSeconds(20), () -> "attempts while answering 503");
            receiver.down();
            Thread.sleep(3000);
            JsonNode waiting = api.get("/v1/webhooks/" + hook.get("id").asText() + "/deliveries", ADMIN).expect(200).json();
            for (JsonNode d : waiting.get("items")) {
                assertEquals("pending", d.get("state").asText(), d::toString);
                assertTrue(d.get("attempts").asInt() >= 1 && d.hasNonNull("lastError") && d.hasNonNull("nextAttemptAt"), d::toString);
            }
            receiver.answer(200);
            receiver.up();
            await(() -> analysisEvents(receiver).keySet().containsAll(analyses) && allDelivered(api, hook.get("id").asText()),
                    Duration.ofSeconds(30), () -> "deliveries after the return");
            Map<String, List<WebhookReceiver.Received>> all = analysisEvents(receiver);
            for (String id : analyses) {
                Set<String> ids = all.get(id).stream().map(WebhookReceiver.Received::webhookId).collect(Collectors.toSet());
                assertEquals(1, ids.size(), "every attempt of an event carries its one webhook-id: " + ids);
                assertTrue(all.get(id).size() >= 2, "tried again: " + all.get(id).size());
            }
            assertTrue(api.get("/v1/webhooks/" + hook.get("id").asText(), ADMIN).expect(200).json().get("enabled").asBoolean());

            // Down for good: the schedule (20 s here) is spent, the delivery fails and the endpoint is disabled.
            receiver.down();
            String hookPath = "/v1/webhooks/" + hook.get("id").asText();
            ApiHarness.Patient q = api.patient(ADMIN, "DOWN-2", 1);
            String last = api.upload(ADMIN, q.sessionIds().get(0), q.areaId(), ApiHarness.demoPhoto(1), null).expect(201).json()
                    .get("analysis").get("id").asText();
            api.awaitAnalysis(ADMIN, last, Duration.ofMinutes(3));
            await(() -> !api.get(hookPath, ADMIN).expect(200).json().get("enabled").asBoolean(), Duration.ofSeconds(60),
                    () -> "the endpoint disabled once the schedule is spent");
            JsonNode disabled = api.get(hookPath, ADMIN).expect(200).json();
            assertTrue(disabled.get("disabledReason").asText().startsWith("Deliveries failed for 20 s (8 attempts; the last: "),
                    disabled::toString);
            JsonNode gaveUp = api.get(hookPath + "/deliveries?limit=1", ADMIN).expect(200).json().get("items").get(0);
            assertEquals("failed", gaveUp.get("state").asText(), gaveUp::toString);
            assertEquals(8, gaveUp.get("attempts").asInt());
            assertEquals(last, gaveUp.get("event").get("data").get("analysisId").asText());
            api.postJson(hookPath + "/test", ADMIN, Map.of()).problem(409, "webhook-disabled");

            // Fixed and enabled again: a test event goes through.
            receiver.up();
            assertTrue(api.patch(hookPath, ADMIN, Map.of("enabled", true)).expect(200).json().get("enabled").asBoolean());
            JsonNode test = api.postJson(hookPath + "/test", ADMIN, Map.of()).expect(202).json();
            assertEquals("pending", test.get("state").asText());
            await(() -> receiver.received().stream().anyMatch(r -> r.type().equals("webhook.test") && r.verifiedByHand()),
                    Duration.ofSeconds(10), () -> "the test event");
            // Received is not yet recorded: the next test is accepted once the first one's delivery is written.
            await(() -> !api.get(hookPath + "/deliveries?limit=1", ADMIN).expect(200).json().get("items").get(0).get("state").asText()
                    .equals("pending"), Duration.ofSeconds(10), () -> "the test event recorded as delivered");

            // 410 Gone: the receiver asks for no more, and the endpoint is disabled at once.
            receiver.answer(410);
            api.postJson(hookPath + "/test", ADMIN, Map.of()).expect(202);
            await(() -> !api.get(hookPath, ADMIN).expect(200).json().get("enabled").asBoolean(), Duration.ofSeconds(10),
                    () -> "disabled by 410");
            assertTrue(api.get(hookPath, ADMIN).expect(200).json().get("disabledReason").asText().contains("410 Gone"));
        }
    }

    /**
     * What an endpoint may be: https on a public address by default (loopback, private, link-local and metadata
     * addresses refused without a DNS lookup of ours being needed), known events only, admins only, ten a clinic,
     * and another clinic's endpoints do not exist.
     */
    @Test
    void endpointsAreCheckedAndKeptToTheirClinic() throws Exception {
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c, false)) {
            api.postJson("/v1/webhooks", ADMIN, Map.of("url", "http://hooks.example.org/x", "events", ALL)).problem(400, "validation");
            for (String url : List.of("https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data",
                    "https://[::1]/hook", "https://localhost:8443/hook", "https://192.168.0.10/hook", "https://[fd00::1]/hook",
                    "https://100.64.0.1/hook", "https://0.0.0.0/hook")) {
                JsonNode p = api.postJson("/v1/webhooks", ADMIN, Map.of("url", url, "events", ALL)).problem(422, "webhook-target-refused");
                assertTrue(p.get("detail").asText().contains("--allow-private-webhook-targets"), p::toString);
            }
            api.postJson("/v1/webhooks", ADMIN, Map.of("url", "https://user:pw@hooks.example.org/", "events", ALL)).problem(400, "validation");
            api.postJson("/v1/webhooks", ADMIN, Map.of("url", "ftp://hooks.example.org/", "events", ALL)).problem(400, "validation");
            api.postJson("/v1/webhooks", ADMIN, Map.of("url", "https://hooks.example.org/" + "a".repeat(2001), "events", ALL))
                    .problem(400, "validation");
            api.postJson("/v1/webhooks", ADMIN, Map.of("url", "https://127.0.0.1/", "events", List.of())).problem(400, "validation");
            JsonNode alert = api.postJson("/v1/webhooks", ADMIN, Map.of("url", "https://127.0.0.1/", "events", List.of("alert.raised")))
                    .problem(400, "validation");
            assertTrue(alert.get("detail").asText().contains("not built yet"), alert::toString);
            api.postJson("/v1/webhooks", ADMIN, Map.of("url", "https://127.0.0.1/", "events", List.of("webhook.test")))
                    .problem(400, "validation");
            String clinician = api.postJson("/v1/keys", ADMIN, Map.of("role", "clinician")).expect(201).json().get("key").asText();
            api.get("/v1/webhooks", clinician).problem(403, "forbidden");
            api.postJson("/v1/webhooks", clinician, Map.of("url", "https://127.0.0.1/", "events", ALL)).problem(403, "forbidden");
        }
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> lifted(c).withAllowPrivateWebhookTargets(true), false)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(api.postJson("/v1/webhooks", ADMIN, Map.of("url", "http://127.0.0.1:9/hook-" + i, "events", List.of("analysis.done")))
                        .expect(201).json().get("id").asText());
            }
            api.postJson("/v1/webhooks", ADMIN, Map.of("url", "http://127.0.0.1:9/one-more", "events", ALL)).problem(409, "too-many-webhooks");
            JsonNode listed = api.get("/v1/webhooks", ADMIN).expect(200).json();
            assertEquals(10, listed.get("items").size());
            assertFalse(listed.toString().contains("whsec_"), "no secret in the list");
            JsonNode changed = api.patch("/v1/webhooks/" + ids.get(0), ADMIN, Map.of("events", ALL)).expect(200).json();
            assertEquals(ALL, ApiHarness.JSON.convertValue(changed.get("events"), List.class));
            api.patch("/v1/webhooks/" + ids.get(0), ADMIN, Map.of("enabled", false)).problem(400, "validation");
            api.patch("/v1/webhooks/" + ids.get(0), ADMIN, "{\"url\": null}").problem(400, "validation");
            // A test event to a receiver that refuses connections waits for its retry (5 s): a second is refused meanwhile.
            api.postJson("/v1/webhooks/" + ids.get(1) + "/test", ADMIN, Map.of()).expect(202);
            api.postJson("/v1/webhooks/" + ids.get(1) + "/test", ADMIN, Map.of()).problem(409, "webhook-test-pending");
            JsonNode other = api.postJson("/v1/clinics", ADMIN, Map.of("name", "Other clinic")).expect(201).json();
            String otherKey = other.get("adminKey").get("key").asText();
            api.get("/v1/webhooks/" + ids.get(0), otherKey).problem(404, "not-found");
            api.delete("/v1/webhooks/" + ids.get(0), otherKey).problem(404, "not-found");
            api.get("/v1/webhooks/" + ids.get(0) + "/deliveries", otherKey).problem(404, "not-found");
            api.delete("/v1/webhooks/" + ids.get(0), ADMIN).expect(204);
            api.get("/v1/webhooks/" + ids.get(0), ADMIN).problem(404, "not-found");

            // A receiver that answers 200 and then trickles a body that never ends does not hold a sending thread:
            // the status is all that is read.
            try (WebhookReceiver stalling = new WebhookReceiver()) {
                stalling.stallBody(true);
                JsonNode hook = api.postJson("/v1/webhooks", ADMIN, Map.of("url", stalling.url(), "events", ALL)).expect(201).json();
                stalling.secret(hook.get("secret").asText());
                long start = System.nanoTime();
                api.postJson("/v1/webhooks/" + hook.get("id").asText() + "/test", ADMIN, Map.of()).expect(202);
                await(() -> api.get("/v1/webhooks/" + hook.get("id").asText() + "/deliveries", ADMIN).expect(200).json()
                        .get("items").get(0).get("state").asText().equals("delivered"), Duration.ofSeconds(8), () -> "delivered");
                System.err.printf("webhooks: a stalling body: delivered after %.0f ms%n", (System.nanoTime() - start) / 1e6);
            }
        }
    }

    /** Audit entries of webhook sends of analyses. */
    private static long auditedSends(ApiHarness api) {
        long n = 0;
        for (JsonNode e : api.get("/v1/audit?limit=1000", ADMIN).expect(200).json().get("items")) {
            n += e.get("action").asText().equals("send") && e.get("resourceType").asText().equals("analysis") ? 1 : 0;
        }
        return n;
    }

    /** Whether every delivery of the endpoint is delivered. */
    private static boolean allDelivered(ApiHarness api, String webhookId) {
        for (JsonNode d : api.get("/v1/webhooks/" + webhookId + "/deliveries?limit=500", ADMIN).expect(200).json().get("items")) {
            if (!d.get("state").asText().equals("delivered")) {
                return false;
            }
        }
        return true;
    }

    /** The events for analyses, by analysis id, in the order received. */
    private static Map<String, List<WebhookReceiver.Received>> analysisEvents(WebhookReceiver receiver) {
        Map<String, List<WebhookReceiver.Received>> out = new LinkedHashMap<>();
        for (WebhookReceiver.Received r : receiver.received()) {
            if (r.type().startsWith("analysis.")) {
                out.computeIfAbsent(r.data().path("analysisId").asText(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private static void await(BooleanSupplier done, Duration timeout, java.util.function.Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            Thread.sleep(100);
        }
    }

    /** The test polls the API while it waits, faster than a key's default 600 requests a minute. */
    private static org.dermatrend.ServiceApp.Config lifted(org.dermatrend.ServiceApp.Config c) {
        return c.withKeyRequestsPerMinute(1_000_000).withAddressRequestsPerMinute(1_000_000);
    }
}
