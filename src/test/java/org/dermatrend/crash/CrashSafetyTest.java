package org.dermatrend.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.dermatrend.store.Database;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.StoreCheck;
import org.dermatrend.http.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service is killed with SIGKILL at random moments while photos stream in, and restarted, again
 * and again. After every restart each upload that had been acknowledged is there with the same
 * sha256; at the end no record points to a missing or damaged photo (fsck), debris of interrupted
 * writes is only what fsck reports and repairs, and every analysis finishes: on SQLite, on PostgreSQL, and on
 * PostgreSQL with the photos in S3. CI kills 3 times;
 * {@code -Ddermatrend.crash.kills=20} the full run.
 */
class CrashSafetyTest {
    private static final int KILLS = Integer.getInteger("dermatrend.crash.kills", 3);
    private static final String KEY = "crash-admin-key-0123456789abcdefghijkl";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;

    private String dbUrl;
    /** {@code s3://bucket/prefix} of the test's S3 (in this process) for the S3 variant; null: the data folder's photos/. */
    private String photoStore;
    private Process server;
    /** The running service's output (ids, routes and codes only; no photo data), shown when the test fails. */
    private Path lastLog;

    private Process start(Path data) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), "org.dermatrend.Main", "serve", "--port", Integer.toString(port),
                "--host", "127.0.0.1", "--data-dir", data.toString(), "--workers", "1", "--lease-seconds", "3",
                // The test polls every acknowledged analysis each second, well over a key's default 600 requests a minute.
                "--rate-per-key", "1000000", "--rate-per-address", "1000000",
                // The test's webhook receiver listens on loopback.
                "--allow-private-webhook-targets");
        if (dbUrl != null) {
            pb.command().addAll(List.of("--db-url", dbUrl));
        }
        if (photoStore != null) {
            pb.command().addAll(List.of("--photo-store", photoStore));
            pb.environment().putAll(org.dermatrend.store.TestS3.environment());
        }
        pb.environment().put("DERMATREND_ADMIN_KEY", KEY);
        pb.environment().put("ONEDNN_MAX_CPU_ISA", "AVX2");
        lastLog = temp.resolve("serve-" + System.nanoTime() + ".log");
        pb.redirectErrorStream(true).redirectOutput(lastLog.toFile());
        Process p = pb.start();
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                if (get("/health/ready").statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("the service did not become ready in 60 s");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode postJson(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 201, r.body());
        return JSON.readTree(r.body());
    }

    /** The demo photo with a comment segment making its bytes unique. */
    private static byte[] unique(byte[] jpeg, String tag) {
        return org.dermatrend.fuzz.Jpegs.withSegment(jpeg, 0xFE, tag.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * PostgreSQL: the deployment database. Required: every acknowledged upload survives every kill.
     */
    @Test
    void onPostgresqlAcknowledgedUploadsSurviveSigkillAndAnalysesFinish() throws Exception {
        org.dermatrend.store.TestDatabases.requirePostgresForOthers();
        String schema = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Database.open(org.dermatrend.store.TestDatabases.POSTGRES_URL, schema, 2).close();
        dbUrl = org.dermatrend.store.TestDatabases.POSTGRES_URL + "&currentSchema=" + schema;
        try {
            run();
        } finally {
            stopServer();
            Database.dropSchema(org.dermatrend.store.TestDatabases.POSTGRES_URL, schema);
        }
    }

    /**
     * PostgreSQL and the photos in S3 (S3Proxy in this process, which the kills never touch): the deployment of several
     * services. The same requirement: every acknowledged upload's bytes are in the bucket after every kill.
     */
    @Test
    void onPostgresqlAndS3AcknowledgedUploadsSurviveSigkillAndAnalysesFinish() throws Exception {
        org.dermatrend.store.TestDatabases.requirePostgresForOthers();
        String schema = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Database.open(org.dermatrend.store.TestDatabases.POSTGRES_URL, schema, 2).close();
        dbUrl = org.dermatrend.store.TestDatabases.POSTGRES_URL + "&currentSchema=" + schema;
        photoStore = org.dermatrend.store.TestS3.newBucket("crash");
        try {
            run();
        } finally {
            stopServer();
            Database.dropSchema(org.dermatrend.store.TestDatabases.POSTGRES_URL, schema);
        }
    }

    /**
     * The embedded default, SQLite in the data directory: the same requirement as PostgreSQL.
     */
    @Test
    void onTheEmbeddedSqliteAcknowledgedUploadsSurviveSigkillAndAnalysesFinish() throws Exception {
        dbUrl = null;
        run();
    }

    private WebhookReceiver receiver;

    /** A service still running when a test ends (it failed half-way) is killed before its data goes. */
    @AfterEach
    void stopServer() throws InterruptedException {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
        if (server != null) {
            server.destroyForcibly().waitFor();
            server = null;
        }
    }

    private void run() throws Exception {
        Path data = temp.resolve("data");
        byte[][] photos = new byte[5][];
        for (int i = 0; i < 5; i++) {
            photos[i] = Files.readAllBytes(Path.of("datasets/demo/session-" + (i + 1) + ".jpg"));
        }
        server = start(data);
        // Every analysis result is told to a receiver that takes 400 ms to answer, so a kill can land mid-delivery.
        receiver = new WebhookReceiver();
        receiver.delay(400);
        receiver.secret(postJson("/v1/webhooks", Map.of("url", receiver.url(), "events", List.of("analysis.done", "analysis.failed")))
                .get("secret").asText());
        int killedMidDelivery = 0;
        String patient = postJson("/v1/patients", Map.of("reference", "CRASH-1")).get("id").asText();
        Map<String, Object> areaBody = new LinkedHashMap<>();
        areaBody.put("name", "left-cheek");
        areaBody.put("mmPerPx", 0.025);
        String area = postJson("/v1/patients/" + patient + "/areas", areaBody).get("id").asText();
        // One photo per session and area: a session for every upload the test may send.
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 6 * (KILLS + 1); i++) {
            sessions.add(postJson("/v1/patients/" + patient + "/sessions", Map.of("date",
                    java.time.LocalDate.of(2026, 1, 5).plusDays(i).toString())).get("id").asText());
        }
        Map<String, String> acknowledged = new LinkedHashMap<>(); // photo id -> sha256
        Random rng = new Random(7);
        int sent = 0;
        for (int round = 0; round <= KILLS; round++) {
            long killAt = System.nanoTime() + (long) ((0.3 + 1.2 * rng.nextDouble()) * 1e9);
            int inRound = 0;
            // At most 6 uploads a round, so the single worker can analyse them all in the time the test allows.
            while ((System.nanoTime() < killAt || round == KILLS && inRound < 3) && inRound < 6) {
                inRound++;
                byte[] body = unique(photos[sent % 5], "upload-" + sent);
                try {
                    HttpResponse<String> r = sendUpload(sessions.get(sent), area, body, "upload-" + sent);
                    if (r.statusCode() == 201 || r.statusCode() == 200) {
                        // The stored bytes are the photo without its metadata (the tag is a comment, so it goes).
                        JsonNode stored = JSON.readTree(r.body()).get("photo");
                        acknowledged.put(stored.get("id").asText(), stored.get("sha256").asText());
                    }
                } catch (IOException e) {
                    // in flight when the server died: not acknowledged, may or may not be stored
                }
                sent++;
                Thread.sleep(100);
            }
            if (round < KILLS) {
                // The kill lands while a delivery is under way (the receiver holds it): its outcome is never recorded.
                long deliveryDeadline = System.nanoTime() + 30_000_000_000L;
                while (receiver.inFlight() == 0 && System.nanoTime() < deliveryDeadline) {
                    Thread.sleep(5);
                }
                if (receiver.inFlight() > 0) {
                    killedMidDelivery++;
                }
                server.destroyForcibly().waitFor(); // SIGKILL
                server = start(data);
            }
            // Every acknowledged upload is there, with the same bytes.
            for (Map.Entry<String, String> a : acknowledged.entrySet()) {
                HttpResponse<String> r = get("/v1/photos/" + a.getKey());
                assertEquals(200, r.statusCode(), "acknowledged photo " + a.getKey() + " after kill " + round);
                assertEquals(a.getValue(), JSON.readTree(r.body()).get("sha256").asText());
            }
        }
        // A correction that re-queues every analysis of the area, and the erasure of another patient whose photos
        // share stored files with the first one's, both cut short by a kill: after the restart the erasure has
        // happened entirely or not at all, and no analysis is lost.
        String fixedPatient = postJson("/v1/patients", Map.of("reference", "CRASH-FIX")).get("id").asText();
        String fixedArea = postJson("/v1/patients/" + fixedPatient + "/areas", areaBody).get("id").asText();
        for (int i = 0; i < 2; i++) {
            String s = postJson("/v1/patients/" + fixedPatient + "/sessions", Map.of("date", "2026-03-0" + (i + 1))).get("id").asText();
            acknowledged.put(uploadOnce(s, fixedArea, unique(photos[i + 1], "fixed-" + i)), null);
        }
        String doomed = postJson("/v1/patients", Map.of("reference", "CRASH-ERASE")).get("id").asText();
        String doomedArea = postJson("/v1/patients/" + doomed + "/areas", areaBody).get("id").asText();
        List<String> doomedPhotos = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String s = postJson("/v1/patients/" + doomed + "/sessions", Map.of("date", "2026-02-0" + (i + 1))).get("id").asText();
            doomedPhotos.add(uploadOnce(s, doomedArea, unique(photos[i], "doomed-" + i)));
        }
        Thread.sleep(500);
        var correction = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/areas/" + fixedArea))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"mmPerPx\":0.03}")).build(), HttpResponse.BodyHandlers.ofString());
        var erasure = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/patients/" + doomed))
                .header("Authorization", "Bearer " + KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep((long) (rng.nextDouble() * 60)); // both take milliseconds: the kill lands before, during or just after
        server.destroyForcibly().waitFor(); // SIGKILL, during the correction and the erasure (or just after)
        server = start(data);
        System.err.printf("crash test: correction %s, erasure %s when killed%n", outcome(correction), outcome(erasure));
        boolean erased = get("/v1/patients/" + doomed).statusCode() == 404;
        for (String id : doomedPhotos) {
            assertEquals(erased ? 404 : 200, get("/v1/photos/" + id).statusCode(), "photo " + id + ": all or nothing of the erasure");
        }
        if (!erased) {
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/patients/" + doomed))
                    .header("Authorization", "Bearer " + KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
        }
        if (get("/v1/areas/" + fixedArea).body().contains("0.025")) { // the correction was lost with the kill: send it again
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/areas/" + fixedArea))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"mmPerPx\":0.03}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
        }
        // Every analysis finishes (those a killed worker held are taken over after their 3 s lease). One
        // worker takes 2-5 s per analysis, so the wait is not a fixed time: it fails when 90 s pass
        // without one more analysis finishing.
        List<String> unfinished = new ArrayList<>();
        int fewest = Integer.MAX_VALUE;
        long lastProgress = System.nanoTime();
        do {
            unfinished.clear();
            for (String id : acknowledged.keySet()) {
                JsonNode photo = JSON.readTree(get("/v1/photos/" + id).body());
                String state = JSON.readTree(get("/v1/analyses/" + photo.get("analysisId").asText()).body()).get("state").asText();
                if (!state.equals("done") && !state.equals("failed")) {
                    unfinished.add(id + ":" + state);
                }
            }
            if (unfinished.size() < fewest) {
                fewest = unfinished.size();
                lastProgress = System.nanoTime();
            }
            if (!unfinished.isEmpty()) {
                Thread.sleep(1000);
            }
        } while (!unfinished.isEmpty() && System.nanoTime() - lastProgress < 90_000_000_000L);
        assertEquals(List.of(), unfinished, () -> "no analysis finished for 90 s; the service's last lines other than requests:\n"
                + tail(lastLog, 40));
        // Superseded analyses a killed worker held are taken over after their lease and end at once.
        long settle = System.nanoTime() + 60_000_000_000L;
        while (pendingAnalyses(data) > 0 && System.nanoTime() < settle) {
            Thread.sleep(500);
        }
        // No event is lost: every analysis that finished reached the receiver, verified, a duplicate (an attempt a
        // kill cut short, sent again after its lease) only under its first webhook-id. Waits while deliveries progress.
        Map<String, String> finalAnalyses = new LinkedHashMap<>(); // analysis id -> state
        for (String id : acknowledged.keySet()) {
            JsonNode photo = JSON.readTree(get("/v1/photos/" + id).body());
            String analysis = photo.get("analysisId").asText();
            finalAnalyses.put(analysis, JSON.readTree(get("/v1/analyses/" + analysis).body()).get("state").asText());
        }
        long lastDelivery = System.nanoTime();
        int seen = -1;
        while (pendingDeliveries(data) > 0 || !told(receiver).keySet().containsAll(finalAnalyses.keySet())) {
            if (receiver.received().size() != seen) {
                seen = receiver.received().size();
                lastDelivery = System.nanoTime();
            }
            assertTrue(System.nanoTime() - lastDelivery < 90_000_000_000L, () -> "no webhook delivery for 90 s; "
                    + told(receiver).size() + " analyses told of " + finalAnalyses.size() + "; the service's last lines:\n" + tail(lastLog, 40));
            Thread.sleep(250);
        }
        Map<String, java.util.Set<String>> told = told(receiver);
        int duplicates = 0;
        for (Map.Entry<String, String> a : finalAnalyses.entrySet()) {
            assertEquals(1, told.get(a.getKey()).size(), "one webhook-id for analysis " + a.getKey() + ": " + told.get(a.getKey()));
        }
        for (WebhookReceiver.Received r : receiver.received()) {
            assertTrue(r.verifiedByHand() && r.verifiedByLibrary(), "signature of " + r.webhookId());
        }
        Map<String, Long> perId = receiver.received().stream().collect(java.util.stream.Collectors.groupingBy(
                WebhookReceiver.Received::webhookId, java.util.stream.Collectors.counting()));
        for (long n : perId.values()) {
            duplicates += (int) (n - 1);
        }
        System.err.printf("crash test: %d of %d kills mid-delivery; %d webhook requests, %d events, %d sent again after a kill; all %d "
                + "final analyses told%n", killedMidDelivery, KILLS, receiver.received().size(), perId.size(), duplicates, finalAnalyses.size());
        assertEquals(KILLS, killedMidDelivery, "every kill landed while a delivery was under way");
        server.destroy();
        server.waitFor();
        // The store and the database agree; what a kill leaves behind is reported, then repaired.
        try (Database db = dbUrl == null ? Database.open(Database.embeddedUrl(data), null, 2) : Database.open(dbUrl, null, 2)) {
            PhotoStore store = photoStore != null ? org.dermatrend.store.S3PhotoStore.open(
                    org.dermatrend.store.S3PhotoStore.Location.parse(photoStore)) : new org.dermatrend.store.FilePhotoStore(data.resolve("photos"));
            StoreCheck check = new StoreCheck(db, store);
            StoreCheck.Report r = check.check();
            assertEquals(List.of(), r.missing(), "records without their photo");
            assertEquals(List.of(), r.damaged(), "damaged photos");
            System.err.printf("crash test: %d kills, %d uploads sent while killing, %d photos acknowledged in all, %d records, "
                    + "%d orphans, %d temporary files%n", KILLS, sent, acknowledged.size(), r.records(), r.orphans().size(), r.temporary().size());
            check.repair(r, Duration.ZERO);
            assertTrue(check.check().consistent());
            assertEquals(0L, (long) db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pending_erasures")
                    .mapTo(Long.class).one()), "every erasure finished");
            // Every analysis of the corrected area ran with the new scale.
            assertEquals(0L, (long) db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM analyses WHERE state IN ('queued', 'running')")
                    .mapTo(Long.class).one()), "no analysis left behind");
            store.close();
        }
    }

    /** The webhook-ids the receiver got for each analysis it was told of. */
    private static Map<String, java.util.Set<String>> told(WebhookReceiver receiver) {
        Map<String, java.util.Set<String>> out = new LinkedHashMap<>();
        for (WebhookReceiver.Received r : receiver.received()) {
            if (r.type().startsWith("analysis.")) {
                out.computeIfAbsent(r.data().path("analysisId").asText(), k -> new java.util.TreeSet<>()).add(r.webhookId());
            }
        }
        return out;
    }

    private long pendingDeliveries(Path data) {
        try (Database db = dbUrl == null ? Database.open(Database.embeddedUrl(data), null, 2) : Database.open(dbUrl, null, 2)) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'")
                    .mapTo(Long.class).one());
        }
    }

    private long pendingAnalyses(Path data) {
        try (Database db = dbUrl == null ? Database.open(Database.embeddedUrl(data), null, 2) : Database.open(dbUrl, null, 2)) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM analyses WHERE state IN ('queued', 'running')")
                    .mapTo(Long.class).one());
        }
    }

    private String uploadOnce(String session, String area, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = sendUpload(session, area, body, null);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("photo").get("id").asText();
    }

    private HttpResponse<String> sendUpload(String session, String area, byte[] body, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = UploadRequests.upload("http://127.0.0.1:" + port, KEY, session, area, body, Duration.ofSeconds(20));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String outcome(java.util.concurrent.CompletableFuture<HttpResponse<String>> f) {
        try {
            return f.isDone() && !f.isCompletedExceptionally() ? "answered " + f.get().statusCode() : "cut off";
        } catch (Exception e) {
            return "cut off";
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log).stream().filter(l -> !l.contains("\"event\":\"request\"")).toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
