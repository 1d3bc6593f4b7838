package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored uploads stream to the spool folder instead of memory (issue 21, item 2): uploads that are still
 * arriving hold no upload slot, so a burst larger than the synchronous endpoints' slots is taken whole;
 * the spooled files are gone once each upload is answered; what a crash left is deleted at the next start.
 */
class StoredUploadSpoolTest {
    private static final String KEY = ApiHarness.ADMIN_KEY;

    @TempDir
    Path temp;

    /** A body that arrives in pieces over about {@code seconds}: a phone on a slow connection. */
    private static InputStream slowly(byte[] body, double seconds) {
        return new InputStream() {
            private int at;
            private final int piece = Math.max(1, body.length / 20);

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= body.length) {
                    return -1;
                }
                try {
                    Thread.sleep((long) (seconds * 1000 / 20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int n = Math.min(Math.min(len, piece), body.length - at);
                System.arraycopy(body, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    @Test
    void uploadsStillArrivingDoNotCrowdOutOthersAndLeaveNothingInTheSpool() throws Exception {
        // One worker: the synchronous endpoints get two upload slots, which slow stored uploads used to hold.
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c.withQueue(1, 50, Duration.ofMinutes(5)), true)) {
            ApiHarness.Patient p = api.patient(KEY, "SPOOL-1", 6);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String boundary = "spool-" + i;
                byte[] body = ApiHarness.multipart(boundary, List.of(
                        new ApiHarness.Part("photo", "photo.jpg", ApiHarness.demoPhoto(1 + i)),
                        new ApiHarness.Part("areaId", null, p.areaId().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                HttpRequest req = HttpRequest.newBuilder(URI.create(api.base() + "/v1/sessions/" + p.sessionIds().get(i) + "/photos"))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(body, 3)),
                                body.length))
                        .build();
                slow.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(1000); // the three are arriving now
            Path spool = api.dataDir().resolve("spool");
            assertTrue(count(spool) >= 1, "uploads arriving stream into the spool folder");
            for (int i = 3; i < 6; i++) {
                api.upload(KEY, p.sessionIds().get(i), p.areaId(), ApiHarness.demoPhoto(1 + i % 5), null).expect(201);
            }
            for (CompletableFuture<HttpResponse<String>> f : slow) {
                HttpResponse<String> r = f.get();
                assertEquals(201, r.statusCode(), r.body());
            }
            assertEquals(0, count(spool), "every spooled file is deleted once its upload is answered");
            assertEquals(6, p.sessionIds().stream().mapToInt(s -> api.get("/v1/sessions/" + s + "/photos", KEY).expect(200).json()
                    .get("items").size()).sum());
        }
    }

    @Test
    void aRefusedUploadLeavesNothingInTheSpool() throws Exception {
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c, false)) {
            ApiHarness.Patient p = api.patient(KEY, "SPOOL-2", 1);
            api.upload(KEY, p.sessionIds().get(0), p.areaId(), "not a photo at all".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    null).problem(415, "unsupported-image");
            api.upload(KEY, p.sessionIds().get(0), "no-such-area", ApiHarness.demoPhoto(1), null).problem(400, "validation");
            // A body cut off inside its photo part (over 64 KiB, so the parser had begun writing it to a file).
            byte[] whole = ApiHarness.multipart("cut", List.of(new ApiHarness.Part("photo", "photo.jpg", ApiHarness.demoPhoto(2)),
                    new ApiHarness.Part("areaId", null, p.areaId().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/sessions/"
                    + p.sessionIds().get(0) + "/photos")).header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "multipart/form-data; boundary=cut").POST(HttpRequest.BodyPublishers.ofByteArray(cut)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            assertEquals(0, count(api.dataDir().resolve("spool")), "nothing of refused or malformed uploads stays in the spool");
        }
    }

    @Test
    void leftoversOfACrashAreDeletedAtTheNextStartAndUploadsInFlightKept() throws IOException {
        Path spool = temp.resolve("spool");
        Spool.prepare(spool);
        Path old = Files.writeString(spool.resolve("upload-old.part"), "left by a crash");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Spool.LEFTOVER_AGE).minusSeconds(60)));
        Path oldFolder = Files.createDirectory(spool.resolve("upload-123"));
        Files.writeString(oldFolder.resolve("body"), "left by a crash too");
        Files.setLastModifiedTime(oldFolder, FileTime.from(Instant.now().minus(Spool.LEFTOVER_AGE).minusSeconds(60)));
        Path recent = Files.writeString(spool.resolve("upload-recent.part"), "another process is receiving it");
        assertEquals(2, Spool.prepare(spool));
        assertFalse(Files.exists(old));
        assertFalse(Files.exists(oldFolder));
        assertTrue(Files.exists(recent));
        if (spool.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)));
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
