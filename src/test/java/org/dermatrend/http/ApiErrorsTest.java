package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.http.ApiHarness.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** Roles, every error status, idempotency, back-pressure, metadata stripping and operations, on the embedded SQLite default. */
class ApiErrorsTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;
    /** Small enough that a test photo can exceed it. */
    private static final long MAX_UPLOAD = 300 * 1024;

    @TempDir
    static Path temp;
    private static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start("sqlite", temp, c -> c.withMaxUploadBytes(MAX_UPLOAD), true);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String key(String role) {
        return api.postJson("/v1/keys", ADMIN, Map.of("role", role, "label", "test " + role)).expect(201).json().get("key").asText();
    }

    @Test
    void eachRoleMayDoWhatItIsForAndNoMore() throws Exception {
        String clinician = key("clinician");
        String reviewer = key("reviewer");
        String app = key("app");
        ApiHarness.Patient p = api.patient(clinician, "ROLE-1", 1);
        api.upload(clinician, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201);

        api.get("/v1/patients/" + p.id(), reviewer).expect(200);
        api.postJson("/v1/patients", reviewer, Map.of("reference", "R-2")).problem(403, "forbidden");
        api.upload(reviewer, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).problem(403, "forbidden");
        api.get("/v1/patients", app).problem(403, "forbidden");
        api.get("/v1/keys", clinician).problem(403, "forbidden");
        api.postJson("/v1/keys", reviewer, Map.of("role", "admin")).problem(403, "forbidden");
        api.postJson("/v1/clinics", clinician, Map.of("name", "X")).problem(403, "forbidden");
        api.postMultipart("/v1/score", app, List.of(Part.file("photo", "s.jpg", ApiHarness.demoPhoto(2)), Part.text("mmPerPx", "0.025")),
                Map.of()).expect(200);

        // Keys are listed without secrets; a revoked key stops working at once.
        JsonNode keys = api.get("/v1/keys", ADMIN).expect(200).json().get("items");
        keys.forEach(k -> assertTrue(k.get("key") == null, "no secret in a listing"));
        String reviewerId = null;
        for (JsonNode k : keys) {
            if (k.get("role").asText().equals("reviewer")) {
                reviewerId = k.get("id").asText();
            }
        }
        api.delete("/v1/keys/" + reviewerId, ADMIN).expect(204);
        api.get("/v1/patients/" + p.id(), reviewer).problem(401, "unauthenticated");
        api.delete("/v1/keys/no-such-key", ADMIN).problem(404, "not-found");
        // The last admin key cannot be revoked.
        String adminId = null;
        for (JsonNode k : api.get("/v1/keys", ADMIN).expect(200).json().get("items")) {
            if (k.get("role").asText().equals("admin")) {
                adminId = k.get("id").asText();
            }
        }
        api.delete("/v1/keys/" + adminId, ADMIN).problem(409, "last-admin-key");
    }

    @Test
    void missingOrWrongKeysAre401WithAChallenge() {
        ApiHarness.Resp none = api.get("/v1/patients", null);
        none.problem(401, "unauthenticated");
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
        api.get("/v1/patients", "dtk_not-a-real-key-at-all-000000000000").problem(401, "unauthenticated");
        api.postMultipart("/v1/score", null, List.of(Part.text("mmPerPx", "1")), Map.of()).problem(401, "unauthenticated");
    }

    @Test
    void invalidRequestsNameTheField() {
        String patient = api.patient(ADMIN, "VAL-1", 1).id();
        assertEquals("reference", api.postJson("/v1/patients", ADMIN, Map.of("reference", "John Smith"))
                .problem(400, "validation").get("field").asText());
        assertEquals("nickname", api.postJson("/v1/patients", ADMIN, Map.of("reference", "V-2", "nickname", "x"))
                .problem(400, "validation").get("field").asText());
        assertEquals("body", api.postJson("/v1/patients", ADMIN, "{not json").problem(400, "validation").get("field").asText());
        assertEquals("date", api.postJson("/v1/patients/" + patient + "/sessions", ADMIN, Map.of("date", "2026-13-01"))
                .problem(400, "validation").get("field").asText());
        assertEquals("date", api.postJson("/v1/patients/" + patient + "/sessions", ADMIN, Map.of("date", "2099-01-01"))
                .problem(400, "validation").get("field").asText());
        assertEquals("treatment.needleDepthMm", api.postJson("/v1/patients/" + patient + "/sessions", ADMIN,
                Map.of("date", "2026-01-01", "treatment", Map.of("needleDepthMm", 9))).problem(400, "validation").get("field").asText());
        assertEquals("roi", api.postJson("/v1/patients/" + patient + "/areas", ADMIN, Map.of("name", "chin", "roi", List.of(1, 2)))
                .problem(400, "validation").get("field").asText());
        assertEquals("name", api.postJson("/v1/patients/" + patient + "/areas", ADMIN, Map.of("name", "Left Cheek"))
                .problem(400, "validation").get("field").asText());
        assertEquals("limit", api.get("/v1/patients?limit=0", ADMIN).problem(400, "validation").get("field").asText());
        String session = api.patient(ADMIN, "VAL-3", 1).sessionIds().get(0);
        assertEquals("areaId", api.postMultipart("/v1/sessions/" + session + "/photos", ADMIN,
                List.of(Part.file("photo", "p.jpg", tinyJpeg(400))), Map.of()).problem(400, "validation").get("field").asText());
        assertEquals("mmPerPx", api.postMultipart("/v1/score", ADMIN, List.of(Part.file("photo", "p.jpg", tinyJpeg(400)),
                Part.text("mmPerPx", "abc")), Map.of()).problem(400, "validation").get("field").asText());
    }

    @Test
    void aMalformedMultipartBodyIs400() {
        String session = api.patient(ADMIN, "MALFORMED-1", 1).sessionIds().get(0);
        String path = "/v1/sessions/" + session + "/photos";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nabc"));
        api.send(b, path, Request.Method.POST, ADMIN).problem(400, "validation");
    }

    @Test
    void duplicatesAre409() {
        ApiHarness.Patient p = api.patient(ADMIN, "DUP-1", 0);
        assertEquals(p.id(), api.postJson("/v1/patients", ADMIN, Map.of("reference", "DUP-1"))
                .problem(409, "patient-exists").get("existingId").asText());
        api.postJson("/v1/patients/" + p.id() + "/areas", ADMIN, Map.of("name", "left-cheek")).problem(409, "area-exists");
    }

    @Test
    void unknownRoutesAndRecordsAre404Problems() {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + "/v1/nothing-here")).GET();
        api.sendUnchecked(b, "/v1/nothing-here", Request.Method.GET, ADMIN).problem(404, "not-found");
        api.get("/v1/analyses/00000000-0000-0000-0000-000000000000", ADMIN).problem(404, "not-found");
    }

    @Test
    void wrongMediaTypesAre415() throws Exception {
        ApiHarness.Patient p = api.patient(ADMIN, "MEDIA-1", 1);
        JsonNode notImage = api.upload(ADMIN, p.sessionIds().get(0), p.areaId(), "just some text, not a photo".getBytes(), null)
                .problem(415, "unsupported-image");
        assertEquals("unsupported_format", notImage.get("reason").asText());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + "/v1/patients")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("reference=P"));
        api.send(b, "/v1/patients", Request.Method.POST, ADMIN).problem(415, "unsupported-media-type");
        HttpRequest.Builder c = HttpRequest.newBuilder(URI.create(api.base() + "/v1/sessions/" + p.sessionIds().get(0) + "/photos"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.demoPhoto(1)));
        api.send(c, "/v1/sessions/" + p.sessionIds().get(0) + "/photos", Request.Method.POST, ADMIN)
                .problem(415, "unsupported-media-type");
    }

    @Test
    void oversizedBodiesAre413WhetherDeclaredOrStreamed() throws Exception {
        ApiHarness.Patient p = api.patient(ADMIN, "BIG-1", 1);
        byte[] big = new byte[(int) MAX_UPLOAD * 5];
        byte[] start = ApiHarness.demoPhoto(1);
        System.arraycopy(start, 0, big, 0, start.length);
        String path = "/v1/sessions/" + p.sessionIds().get(0) + "/photos";
        // Declared: refused from the Content-Length, before the body is read.
        api.upload(ADMIN, p.sessionIds().get(0), p.areaId(), big, null).problem(413, "too-large");
        // Streamed without a length (chunked): refused by the multipart limit as the bytes arrive.
        String boundary = "dtbig";
        byte[] body = ApiHarness.multipart(boundary, List.of(Part.file("photo", "big.jpg", big), Part.text("areaId", p.areaId())));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        api.send(b, path, Request.Method.POST, ADMIN).problem(413, "too-large");
        assertEquals(0, api.get(path, ADMIN).expect(200).json().get("items").size(), "nothing stored");
    }

    @Test
    void unusablePhotosAre422WithTheReasons() throws Exception {
        ApiHarness.Patient p = api.patient(ADMIN, "BAD-1", 1);
        JsonNode small = api.upload(ADMIN, p.sessionIds().get(0), p.areaId(), tinyJpeg(40), null).problem(422, "image-refused");
        assertEquals("image_too_small", small.get("reason").asText());
        byte[] blurred = Files.readAllBytes(Path.of("datasets/phantoms/quality/blurred-904.jpg"));
        JsonNode gate = api.postMultipart("/v1/score", ADMIN, List.of(Part.file("photo", "b.jpg", blurred),
                Part.text("mmPerPx", "0.025")), Map.of()).problem(422, "quality-failed");
        assertTrue(gate.get("issues").size() > 0);
        assertFalse(gate.get("result").get("quality").get("ok").asBoolean(), "the score comes with the refusal");
        byte[] other = Files.readAllBytes(Path.of("datasets/phantoms/quality/clean-f6-903.jpg"));
        JsonNode refused = api.postMultipart("/v1/compare", ADMIN, List.of(Part.file("before", "a.jpg", ApiHarness.demoPhoto(1)),
                Part.file("after", "b.jpg", other)), Map.of()).problem(422, "alignment-refused");
        assertFalse(refused.get("alignment").get("ok").asBoolean());
        assertNotNull(refused.get("reason").asText());
    }

    @Test
    void statelessScoringAndComparingAnswerLikeTheCommandLine() throws Exception {
        JsonNode scaled = api.postMultipart("/v1/score", ADMIN, List.of(Part.file("photo", "s.jpg", ApiHarness.demoPhoto(1)),
                Part.text("mmPerPx", "0.025"), Part.text("detail", "true")), Map.of()).expect(200).json();
        assertTrue(scaled.get("pores").get("count").asInt() > 50);
        assertTrue(scaled.get("pores").get("meanDiameterMm").isNumber());
        assertEquals(scaled.get("pores").get("count").asInt(), scaled.get("pores").get("list").size());
        JsonNode unscaled = api.postMultipart("/v1/score", ADMIN, List.of(Part.file("photo", "s.jpg", ApiHarness.demoPhoto(1))),
                Map.of()).expect(200).json();
        assertTrue(unscaled.get("pores").get("meanDiameterMm").isNull(), "no scale, no mm");
        JsonNode c = api.postMultipart("/v1/compare", ADMIN, List.of(Part.file("before", "a.jpg", ApiHarness.demoPhoto(1)),
                Part.file("after", "b.jpg", ApiHarness.demoPhoto(3)), Part.text("mmPerPx", "0.025")), Map.of()).expect(200).json();
        assertTrue(c.get("alignment").get("ok").asBoolean());
        assertTrue(c.get("change").has("pores.meanDiameterMm"));
    }

    @Test
    void anIdempotencyKeyReplaysTheSameUploadAndRefusesAnother() throws Exception {
        ApiHarness.Patient p = api.patient(ADMIN, "IDEM-1", 1);
        String s = p.sessionIds().get(0);
        ApiHarness.Resp first = api.upload(ADMIN, s, p.areaId(), ApiHarness.demoPhoto(1), "k-1").expect(201);
        ApiHarness.Resp again = api.upload(ADMIN, s, p.areaId(), ApiHarness.demoPhoto(1), "k-1").expect(200);
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.json().get("photo").get("id"), again.json().get("photo").get("id"));
        assertEquals(first.json().get("analysis").get("id"), again.json().get("analysis").get("id"));
        api.upload(ADMIN, s, p.areaId(), ApiHarness.demoPhoto(2), "k-1").problem(409, "idempotency-key-reused");
        assertEquals(1, api.get("/v1/sessions/" + s + "/photos", ADMIN).expect(200).json().get("items").size());
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndStoresNothing(@TempDir Path own) throws Exception {
        try (ApiHarness small = ApiHarness.start("sqlite", own, c -> c.withQueue(1, 1, Duration.ofMinutes(5)), false)) {
            ApiHarness.Patient p = small.patient(ADMIN, "Q-1", 2);
            small.upload(ADMIN, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201);
            ApiHarness.Resp full = small.upload(ADMIN, p.sessionIds().get(1), p.areaId(), ApiHarness.demoPhoto(2), null);
            full.problem(503, "overloaded");
            assertTrue(Integer.parseInt(full.header("Retry-After")) > 0);
            assertEquals(0, small.get("/v1/sessions/" + p.sessionIds().get(1) + "/photos", ADMIN).expect(200).json()
                    .get("items").size());
        }
    }

    @Test
    void storedAndServedImagesCarryNoMetadata() throws Exception {
        ApiHarness.Patient p = api.patient(ADMIN, "META-1", 1);
        byte[] tagged = withExif(ApiHarness.demoPhoto(1), "SecretCam SN-998877");
        assertTrue(new String(tagged, StandardCharsets.ISO_8859_1).contains("SN-998877"));
        JsonNode up = api.upload(ADMIN, p.sessionIds().get(0), p.areaId(), tagged, null).expect(201).json();
        String photoId = up.get("photo").get("id").asText();
        ApiHarness.Resp image = api.get("/v1/photos/" + photoId + "/image", ADMIN).expect(200);
        String served = new String(image.body(), StandardCharsets.ISO_8859_1);
        assertFalse(served.contains("SecretCam") || served.contains("SN-998877") || served.contains("Exif"), "metadata stripped");
        assertEquals("no-store", image.header("Cache-Control").replace("private, ", ""));
        Mat decoded = Imgcodecs.imdecode(new MatOfByte(image.body()), Imgcodecs.IMREAD_COLOR);
        assertEquals(1000, decoded.cols());
        assertEquals(750, decoded.rows());
        decoded.release();
        // Stored without its metadata too: the record's digest is of the stripped bytes, which decode to the same pixels,
        // and no file in the store holds the tags.
        assertEquals(org.dermatrend.store.PhotoStore.sha256(org.dermatrend.decode.MetadataStripper.strip(tagged).bytes()),
                up.get("photo").get("sha256").asText());
        try (var walk = Files.walk(api.dataDir().resolve("photos"))) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains("SN-998877") || content.contains("SecretCam"), "metadata in the store: " + f);
            }
        }
    }

    @Test
    void operationsEndpointsAnswer() throws Exception {
        assertEquals("up", api.get("/health/live", null).expect(200).json().get("status").asText());
        JsonNode ready = api.get("/health/ready", null).expect(200).json();
        assertEquals("up", ready.get("checks").get("database").asText());
        assertEquals("up", ready.get("checks").get("model").asText());
        api.get("/v1/clinic", ADMIN).expect(200);
        String metrics = api.get("/metrics", ADMIN).expect(200).text();
        api.get("/metrics", null).problem(401, "unauthenticated");
        api.get("/metrics", key("clinician")).problem(403, "forbidden");
        assertTrue(metrics.contains("dermatrend_http_requests_seconds_count{method=\"GET\",route=\"/v1/clinic\",status=\"200\"}"), metrics);
        // The queue gauges still read numbers after a garbage collection (they once turned NaN).
        System.gc();
        Thread.sleep(1100); // past the gauges' 1-s cache
        metrics = api.get("/metrics", ADMIN).expect(200).text();
        java.util.regex.Matcher queued = java.util.regex.Pattern.compile("dermatrend_analysis_queue\\{state=\"queued\"} (\\S+)")
                .matcher(metrics);
        assertTrue(queued.find(), metrics);
        assertTrue(Double.parseDouble(queued.group(1)) >= 0, "queued gauge reads " + queued.group(1));
        assertArrayEquals(Files.readAllBytes(Path.of("api-spec/openapi.yaml")), api.get("/openapi.yaml", null).expect(200).body());
        HttpRequest.Builder docs = HttpRequest.newBuilder(URI.create(api.base() + "/docs")).GET();
        String page = api.sendUnchecked(docs, "/docs", Request.Method.GET, null).expect(200).text();
        assertTrue(page.contains("/webjars/swagger-ui/" + ApiServer.SWAGGER_UI + "/swagger-ui-bundle.js"));
        HttpRequest.Builder asset = HttpRequest.newBuilder(URI.create(api.base() + "/webjars/swagger-ui/" + ApiServer.SWAGGER_UI
                + "/swagger-ui-bundle.js")).GET();
        assertTrue(api.sendUnchecked(asset, "/webjars", Request.Method.GET, null).expect(200).body().length > 100_000);
    }

    /** A grey JPEG of the given side (below the intake's minimum side when small). */
    private static byte[] tinyJpeg(int side) {
        Mat m = new Mat(side, side, CvType.CV_8UC3, new Scalar(120, 140, 180));
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".jpg", m, out);
            return out.toArray();
        } finally {
            m.release();
            out.release();
        }
    }

    /** The JPEG with an EXIF block whose Make tag holds {@code make} and whose orientation is 1. */
    static byte[] withExif(byte[] jpeg, String make) {
        byte[] text = (make + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(text.length).putInt(8 + 2 + 24 + 4);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) 1).putShort((short) 0);
        tiff.putInt(0);
        tiff.put(text);
        byte[] payload = new byte[6 + tiff.capacity()];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 6);
        System.arraycopy(tiff.array(), 0, payload, 6, tiff.capacity());
        return org.dermatrend.fuzz.Jpegs.withSegment(jpeg, 0xE1, payload);
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
