package org.dermatrend.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.dermatrend.store.Database;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.S3PhotoStore;
import org.dermatrend.store.StoreCheck;
import org.dermatrend.store.TestDatabases;
import org.dermatrend.store.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service processes, one queue, one bucket (issue 21, item 4): two {@code serve} processes on one PostgreSQL
 * schema and one S3 bucket, each with a data folder of its own that holds nothing they share, as N stateless services
 * behind a load balancer. Twelve uploads of two clinics are spread over both, two of them the same bytes as others of
 * their clinic sent to the other process at the same moment. Every upload is analysed exactly once (one analysis, done, one attempt, finished by one
 * worker of one process, one analysis event in the two logs together), both processes did some of the work, and the
 * bucket holds exactly the records' bytes, one object per clinic and digest.
 */
class TwoServicesOneBucketTest {
    private static final String KEY = "two-services-admin-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UPLOADS = 12;

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private List<String> keys = List.of(KEY);

    @Test
    void everyUploadToEitherServiceIsAnalysedOnceAndItsBytesAreInTheBucket() throws Exception {
        TestDatabases.requirePostgresForOthers();
        String schema = "two_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Database.open(TestDatabases.POSTGRES_URL, schema, 2).close(); // migrated once, before either process starts
        String dbUrl = TestDatabases.POSTGRES_URL + "&currentSchema=" + schema;
        String bucket = TestS3.newBucket("photos");
        Map<String, String> env = new HashMap<>(TestS3.environment());
        env.put("DERMATREND_ADMIN_KEY", KEY);
        List<String> common = List.of("--db-url", dbUrl, "--photo-store", bucket, "--workers", "1",
                "--rate-per-key", "1000000", "--rate-per-address", "1000000");
        List<String> a = new ArrayList<>(List.of("--data-dir", temp.resolve("a").toString()));
        a.addAll(common);
        List<String> b = new ArrayList<>(List.of("--data-dir", temp.resolve("b").toString()));
        b.addAll(common);
        try (ServeProcess first = ServeProcess.start(temp, "a", a, env); ServeProcess second = ServeProcess.start(temp, "b", b, env)) {
            ServeProcess[] services = {first, second};
            // Two clinics, each with five patients whose one photo is a demo session (so ten distinct objects: the
            // bucket's keys are per clinic), plus two patients of the first clinic whose photos are the bytes of two
            // others, sent to the other service at the same moment. Uploads alternate between the services.
            String otherKey = post(first, KEY, "/v1/clinics", Map.of("name", "Clinic B")).get("adminKey").get("key").asText();
            keys = List.of(KEY, otherKey);
            List<String[]> targets = new ArrayList<>(); // {key, session, area, demo photo}
            for (int i = 0; i < UPLOADS; i++) {
                String key = i >= 5 && i < 10 ? otherKey : KEY;
                int demo = i < 10 ? i % 5 + 1 : i - 9;
                ServeProcess s = services[i % 2];
                String patient = post(s, key, "/v1/patients", Map.of("reference", "TWO-" + i)).get("id").asText();
                String area = post(s, key, "/v1/patients/" + patient + "/areas", Map.of("name", "left-cheek", "mmPerPx", 0.025))
                        .get("id").asText();
                String session = post(s, key, "/v1/patients/" + patient + "/sessions", Map.of("date", "2026-03-01")).get("id").asText();
                targets.add(new String[] {key, session, area, Integer.toString(demo)});
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<JsonNode>> sent = new ArrayList<>();
            long started = System.nanoTime();
            // Upload i goes to service i % 2; twin 10 (demo photo 1, like upload 0) to the second service and twin 11 (like
            // upload 1) to the first, each sent together with its original.
            int[] order = {0, 10, 1, 11, 2, 3, 4, 5, 6, 7, 8, 9};
            for (int i : order) {
                String[] t = targets.get(i);
                byte[] photo = Files.readAllBytes(Path.of("datasets/demo/session-" + t[3] + ".jpg"));
                ServeProcess to = services[i < 10 ? i % 2 : (i - 9) % 2];
                sent.add(pool.submit(() -> upload(to, t[0], t[1], t[2], photo)));
            }
            Map<String, String> analysisOfPhoto = new LinkedHashMap<>();
            for (Future<JsonNode> f : sent) {
                JsonNode up = f.get();
                analysisOfPhoto.put(up.get("photo").get("id").asText(), up.get("analysis").get("id").asText());
            }
            pool.shutdown();
            // Every analysis finishes; either service answers for any of them.
            long end = System.nanoTime() + 300_000_000_000L;
            Set<String> unfinished = new HashSet<>(analysisOfPhoto.values());
            while (!unfinished.isEmpty() && System.nanoTime() < end) {
                for (String id : List.copyOf(unfinished)) {
                    String state = analysisState(services[id.hashCode() & 1], id);
                    if (state.equals("done") || state.equals("failed")) {
                        unfinished.remove(id);
                    }
                }
                Thread.sleep(250);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(Set.of(), unfinished, "analyses still pending after 300 s");

            try (Database db = Database.open(dbUrl, null, 2)) {
                List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT photo_id, state, attempts, worker FROM "
                        + "analyses").mapToMap().list());
                assertEquals(UPLOADS, rows.size(), "one analysis per upload, no other: " + rows);
                Map<String, Integer> perProcess = new HashMap<>();
                for (Map<String, Object> r : rows) {
                    assertTrue(analysisOfPhoto.containsKey(r.get("photo_id").toString()), r::toString);
                    assertEquals("done", r.get("state"), r::toString);
                    assertEquals(1, ((Number) r.get("attempts")).intValue(), () -> "claimed once: " + r);
                    String worker = r.get("worker").toString();
                    perProcess.merge(worker.substring(0, worker.lastIndexOf("-w")), 1, Integer::sum);
                }
                assertEquals(2, perProcess.size(), "both processes analysed: " + perProcess);
                // Each analysis was run once: one analysis event for it in the two services' logs together.
                Map<String, Integer> events = new HashMap<>();
                for (ServeProcess s : services) {
                    for (String line : s.output()) {
                        if (line.contains("\"event\":\"analysis\"")) {
                            events.merge(JSON.readTree(line.substring(line.indexOf('{'))).get("analysis").asText(), 1, Integer::sum);
                        }
                    }
                }
                Map<String, Integer> once = new HashMap<>();
                analysisOfPhoto.values().forEach(id -> once.put(id, 1));
                assertEquals(once, events, "one run of each analysis in all");
                // The bucket holds the records' bytes, one object per clinic and digest, and nothing else.
                List<String[]> records = db.jdbi().withHandle(h -> h.createQuery("SELECT clinic_id, sha256 FROM photos")
                        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
                Set<String> expected = new HashSet<>();
                records.forEach(r -> expected.add("photos/" + PhotoStore.address(r[0], r[1])));
                assertEquals(UPLOADS - 2, expected.size(), "the twins share their originals' bytes; two clinics never share");
                Map<String, byte[]> objects = TestS3.objects(bucket);
                assertEquals(expected, objects.keySet());
                for (Map.Entry<String, byte[]> o : objects.entrySet()) {
                    String[] parts = o.getKey().split("/");
                    assertEquals(parts[2] + parts[3], PhotoStore.sha256(o.getValue()), o.getKey());
                }
                try (S3PhotoStore store = S3PhotoStore.open(S3PhotoStore.Location.parse(bucket))) {
                    StoreCheck.Report r = new StoreCheck(db, store).check();
                    assertTrue(r.consistent(), r::toString);
                }
                System.err.printf("two services: %d uploads analysed once each in %.1f s (%s), %d objects in the bucket%n", UPLOADS,
                        seconds, perProcess.values(), objects.size());
            }
        } finally {
            Database.dropSchema(TestDatabases.POSTGRES_URL, schema);
        }
    }

    private JsonNode post(ServeProcess s, String key, String path, Object body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.base() + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** The analysis' state, asked with either clinic's key (a key of another clinic gets 404). */
    private String analysisState(ServeProcess s, String id) throws Exception {
        for (String key : keys) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/analyses/" + id))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body()).get("state").asText();
            }
        }
        throw new AssertionError("analysis " + id + " is found with neither clinic's key");
    }

    private JsonNode upload(ServeProcess s, String key, String session, String area, byte[] photo) throws Exception {
        HttpRequest request = UploadRequests.upload(s.base(), key, session, area, photo, Duration.ofSeconds(60)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        // A process takes 2 uploads at a time per worker and answers more with 503 and Retry-After, which a client (or
        // the load balancer) honours: so does the test, a few times.
        for (int tries = 0; r.statusCode() == 503 && tries < 10; tries++) {
            Thread.sleep(1000L * Integer.parseInt(r.headers().firstValue("Retry-After").orElse("1")));
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
