package org.dermatrend.bench;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.dermatrend.ServiceApp;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.store.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service throughput with the photos in S3 against the photos in the data folder, same machine, same run, same
 * uploads: a service (SQLite, 2 workers) takes 20 uploads of the demo photos (1000×750 JPEG, about 60 KB) by four
 * clinics, each a baseline and a distinct object, and
 * the time from the first upload to the last analysis done is measured, in rounds that alternate the two stores
 * (folder, S3, S3, folder, …) so drift of the machine falls on both. S3 is S3Proxy in this JVM on loopback: the
 * client, the protocol and the extra requests are measured, not a network's latency.
 *
 * <p>Not part of the test suite (its name matches no surefire pattern); run it with
 * {@code ONEDNN_MAX_CPU_ISA=AVX2 mvn -o test -Dtest=StoreThroughputBench [-Ddermatrend.bench.rounds=3]}.
 */
class StoreThroughputBench {
    private static final String KEY = "bench-admin-key-0123456789abcdefghijkl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UPLOADS = 20;
    private static final int ROUNDS = Integer.getInteger("dermatrend.bench.rounds", 3);

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void s3AgainstTheFolderStore() throws Exception {
        OpenCvNatives.load();
        System.setProperty("ai.djl.offline", "true");
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            photos.add(Files.readAllBytes(Path.of("datasets/demo/session-" + (i % 5 + 1) + ".jpg")));
        }
        run("warm-up", photos, null); // JIT, the model's first passes, S3Proxy's start
        List<Double> folder = new ArrayList<>();
        List<Double> s3 = new ArrayList<>();
        List<Double> folderCpu = new ArrayList<>();
        List<Double> s3Cpu = new ArrayList<>();
        List<Double> folderUpload = new ArrayList<>();
        List<Double> s3Upload = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            double[] f = null;
            double[] s = null;
            for (String kind : round % 2 == 0 ? List.of("folder", "s3") : List.of("s3", "folder")) {
                double[] r = run(kind + " " + (round + 1), photos, kind.equals("s3") ? TestS3.newBucket("bench") : null);
                if (kind.equals("s3")) {
                    s = r;
                } else {
                    f = r;
                }
            }
            folder.add(f[0]);
            s3.add(s[0]);
            folderUpload.add(f[1]);
            s3Upload.add(s[1]);
            folderCpu.add(f[2]);
            s3Cpu.add(s[2]);
            ratios.add(s[0] / f[0]);
            cpuRatios.add(s[2] / f[2]);
        }
        double f = median(folder);
        double s = median(s3);
        System.err.printf("store throughput: %d uploads, %d rounds (folder and S3 back to back, alternating which goes first)%n"
                        + "  wall s:  folder %s%n           S3     %s%n  CPU s:   folder %s%n           S3     %s%n"
                        + "  median wall: folder %.2f s (%.0f analyses/min), S3 %.2f s (%.0f /min); S3 / folder per round %s, median %.3f%n"
                        + "  median CPU (service and S3Proxy): folder %.2f s, S3 %.2f s; per round %s, median %.3f%n"
                        + "  upload latency, median of the rounds' medians: folder %.0f ms, S3 %.0f ms%n", UPLOADS, ROUNDS,
                round(folder), round(s3), round(folderCpu), round(s3Cpu), f, UPLOADS / f * 60, s, UPLOADS / s * 60, round(ratios),
                median(ratios), median(folderCpu), median(s3Cpu), round(cpuRatios), median(cpuRatios), median(folderUpload),
                median(s3Upload));
    }

    private static List<String> round(List<Double> values) {
        return values.stream().map(v -> String.format(java.util.Locale.ROOT, "%.2f", v)).toList();
    }

    /**
     * One service, 20 uploads, until every analysis is done: {seconds, median upload ms, CPU seconds of this process
     * (the service's threads and S3Proxy's) from the first upload to the last analysis}.
     */
    private double[] run(String label, List<byte[]> photos, String bucket) throws Exception {
        ServiceApp.Config config = ServiceApp.Config.defaults(temp.resolve("data-" + UUID.randomUUID())).withPort(0).withHost("127.0.0.1")
                .withAdminKey(KEY).withQueue(2, 200, Duration.ofMinutes(5)).withPhotoStore(bucket)
                .withKeyRequestsPerMinute(1_000_000).withAddressRequestsPerMinute(1_000_000);
        try (ServiceApp app = ServiceApp.create(config, ReliefModel.loadPackaged()).start()) { // the service closes its model
            String base = "http://127.0.0.1:" + app.port();
            // Four clinics of five patients, each patient one demo photo as its baseline: 20 distinct objects (a clinic's
            // photos are its own), so every upload writes one.
            List<String> keys = new ArrayList<>(List.of(KEY));
            for (int c = 1; c < UPLOADS / 5; c++) {
                keys.add(post(base, KEY, "/v1/clinics", Map.of("name", "Clinic " + c)).get("adminKey").get("key").asText());
            }
            List<String[]> targets = new ArrayList<>(); // {key, session, area}
            for (int i = 0; i < photos.size(); i++) {
                String key = keys.get(i / 5);
                String patient = post(base, key, "/v1/patients", Map.of("reference", "BENCH-" + i)).get("id").asText();
                String area = post(base, key, "/v1/patients/" + patient + "/areas", Map.of("name", "cheek", "mmPerPx", 0.025)).get("id")
                        .asText();
                String session = post(base, key, "/v1/patients/" + patient + "/sessions", Map.of("date", "2026-03-01")).get("id")
                        .asText();
                targets.add(new String[] {key, session, area});
            }
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            Set<String> pending = new HashSet<>();
            List<Double> uploadMs = new ArrayList<>();
            for (int i = 0; i < photos.size(); i++) {
                long sent = System.nanoTime();
                String[] t = targets.get(i);
                pending.add(t[0] + " " + upload(base, t[0], t[1], t[2], photos.get(i)).get("analysis").get("id").asText());
                uploadMs.add((System.nanoTime() - sent) / 1e6);
            }
            while (!pending.isEmpty()) {
                for (String keyAndId : List.copyOf(pending)) {
                    String[] k = keyAndId.split(" ");
                    String id = k[1];
                    String state = get(base, k[0], "/v1/analyses/" + id).get("state").asText();
                    if (state.equals("failed")) {
                        throw new AssertionError("analysis " + id + " failed");
                    }
                    if (state.equals("done")) {
                        pending.remove(keyAndId);
                    }
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
            System.err.printf("  %s: %.2f s, CPU %.2f s, upload median %.0f ms%n", label, seconds, cpu, median(uploadMs));
            return new double[] {seconds, median(uploadMs), cpu};
        }
    }

    private static double median(List<Double> values) {
        List<Double> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private JsonNode post(String base, String key, String path, Object body) throws Exception {
        return JSON.readTree(send(key, HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), 201));
    }

    private JsonNode get(String base, String key, String path) throws Exception {
        return JSON.readTree(send(key, HttpRequest.newBuilder(URI.create(base + path)).GET(), 200));
    }

    private JsonNode upload(String base, String key, String session, String area, byte[] photo) throws Exception {
        return JSON.readTree(send(key, org.dermatrend.crash.UploadRequests.upload(base, key, session, area, photo, Duration.ofSeconds(60)),
                201));
    }

    private String send(String key, HttpRequest.Builder b, int expected) throws Exception {
        HttpResponse<String> r = http.send(b.setHeader("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new AssertionError(r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
