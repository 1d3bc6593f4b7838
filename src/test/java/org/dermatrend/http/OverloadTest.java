package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of twice what the queue takes, from 8 clients at once: the excess is refused with 503 and
 * Retry-After (nothing stored for it), every accepted upload is analysed, and once the burst has
 * drained the service accepts uploads again by itself.
 */
class OverloadTest {
    private static final String KEY = ApiHarness.ADMIN_KEY;
    private static final int QUEUE = 6;

    @TempDir
    Path temp;

    @Test
    void aBurstIsRefusedBeyondTheQueueAndEverythingAcceptedIsAnalysed() throws Exception {
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c.withQueue(1, QUEUE, Duration.ofMinutes(5)), true)) {
            int clients = 8;
            int each = 3;
            // One photo per session and area: a session for every upload of the burst.
            ApiHarness.Patient p = api.patient(KEY, "BURST-1", 9);
            List<String> sessions = new ArrayList<>(p.sessionIds());
            for (int i = sessions.size(); i < clients * each + 1; i++) {
                sessions.add(api.postJson("/v1/patients/" + p.id() + "/sessions", KEY, java.util.Map.of("date",
                        java.time.LocalDate.of(2026, 10, 1).plusDays(i).toString())).expect(201).json().get("id").asText());
            }
            ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        ApiHarness.Resp r = api.upload(KEY, sessions.get(client * each + i), p.areaId(),
                                ApiHarness.demoPhoto(1 + (client + i) % 5), null);
                        statuses.add(r.status());
                        if (r.status() == 201) {
                            accepted.add(r.json().get("analysis").get("id").asText());
                        } else {
                            r.problem(503, "overloaded");
                            assertTrue(Integer.parseInt(r.header("Retry-After")) > 0);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            long refused = statuses.stream().filter(s -> s == 503).count();
            System.err.printf("burst: %d uploads from %d clients, %d accepted, %d refused with 503%n", clients * each, clients,
                    accepted.size(), refused);
            assertTrue(refused >= clients * each - 2 * QUEUE, "a burst of " + clients * each + " into a queue of " + QUEUE
                    + " must be refused in part; refused " + refused);
            int stored = 0;
            for (String s : sessions) {
                stored += api.get("/v1/sessions/" + s + "/photos", KEY).expect(200).json().get("items").size();
            }
            assertEquals(accepted.size(), stored, "only accepted uploads are stored");
            for (String id : accepted) {
                JsonNode a = api.awaitAnalysis(KEY, id, Duration.ofSeconds(180));
                assertEquals("done", a.get("state").asText(), a::toString);
            }
            // The burst is over and the queue empty: uploads are accepted again.
            api.upload(KEY, sessions.get(clients * each), p.areaId(), ApiHarness.demoPhoto(2), null).expect(201);
        }
    }
}
