package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.dermatrend.ServiceApp;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.store.Database;
import org.dermatrend.store.TestDatabases;

/**
 * A real service on port 0 with its data in a temporary folder, on the embedded SQLite default, H2 or a fresh PostgreSQL
 * schema, and an HTTP client whose every response is validated against api-spec/openapi.yaml.
 */
final class ApiHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghij";
    private static final OpenApiInteractionValidator SPEC =
            OpenApiInteractionValidator.createFor(Path.of("api-spec/openapi.yaml").toAbsolutePath().toString()).build();

    private final String kind;
    private final Path dataDir;
    private final String schema;
    private final UnaryOperator<ServiceApp.Config> tweak;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceApp app;

    /** A response, already checked against the spec. */
    record Resp(int status, Map<String, List<String>> headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        /**
         * What bad input may get: an answer below 400, or a 4xx problem body; never a 5xx or a bare error.
         * The fuzz and regression tests hold every answer to this.
         */
        boolean isSuccessOrProblem() {
            return status < 400 || status < 500 && header("Content-Type").startsWith("application/problem+json");
        }

        Resp expect(int expected) {
            assertEquals(expected, status, () -> "status; body: " + text());
            return this;
        }

        /** Asserts an RFC 9457 problem of this status and code. */
        JsonNode problem(int expected, String code) {
            expect(expected);
            assertEquals("application/problem+json", header("Content-Type").split(";")[0], "problem media type");
            JsonNode p = json();
            assertEquals(code, p.get("code").asText(), () -> "problem code; body: " + text());
            assertEquals("tag:dermatrend.org,2026:problem/" + code, p.get("type").asText());
            assertEquals(expected, p.get("status").asInt());
            assertFalse(p.get("detail").asText().isBlank(), "a detail that says what to do");
            return p;
        }
    }

    private ApiHarness(String kind, Path dataDir, String schema, UnaryOperator<ServiceApp.Config> tweak) {
        this.kind = kind;
        this.dataDir = dataDir;
        this.schema = schema;
        this.tweak = tweak;
    }

    static ApiHarness start(String kind, Path temp) throws IOException {
        return start(kind, temp, c -> c, true);
    }

    /**
     * @param kind        {@code sqlite} (the embedded default), {@code h2} or {@code postgresql}
     * @param withWorkers whether analyses run (false: they stay queued)
     */
    static ApiHarness start(String kind, Path temp, UnaryOperator<ServiceApp.Config> tweak, boolean withWorkers) throws IOException {
        OpenCvNatives.load();
        System.setProperty("ai.djl.offline", "true");
        Path dir = Files.createDirectories(temp.resolve("data-" + UUID.randomUUID()));
        String schema = null;
        if (kind.equals("postgresql")) {
            TestDatabases.open("postgresql", temp).close(); // skips or fails here when PostgreSQL is unreachable
            schema = "api_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        }
        ApiHarness h = new ApiHarness(kind, dir, schema, tweak);
        h.launch(withWorkers);
        return h;
    }

    private void launch(boolean withWorkers) throws IOException {
        ServiceApp.Config config = ServiceApp.Config.defaults(dataDir).withPort(0).withAdminKey(ADMIN_KEY)
                .withQueue(2, 50, Duration.ofMinutes(5));
        String s = schema != null ? schema : schemaShared;
        if (s != null) {
            config = config.withDatabase(TestDatabases.POSTGRES_URL, s);
        } else if (kind.equals("h2")) {
            config = config.withDatabase(org.dermatrend.store.Database.h2Url(dataDir), null);
        }
        app = ServiceApp.create(tweak.apply(config), ReliefModel.loadPackaged()).start(withWorkers);
    }

    /** A second service process on the same database and photo store (as several processes on one PostgreSQL). */
    ApiHarness alongside(boolean withWorkers) throws IOException {
        ApiHarness h = new ApiHarness(kind, dataDir, null, tweak);
        h.schemaShared = schema;
        h.launch(withWorkers);
        return h;
    }

    /** The schema of the harness this one runs alongside (it drops it, not this one). */
    private String schemaShared;

    /** A direct connection to the service's database, for simulating what the API cannot (a worker dying). */
    org.dermatrend.store.Database openDatabase() {
        String s = schema != null ? schema : schemaShared;
        return s != null ? org.dermatrend.store.Database.open(TestDatabases.POSTGRES_URL, s, 2)
                : org.dermatrend.store.Database.open(org.dermatrend.store.Database.embeddedUrl(dataDir), null, 2);
    }

    /** Stops the service as a shutdown would, and starts a new one on the same data. */
    void restart(boolean withWorkers) throws IOException {
        app.close();
        launch(withWorkers);
    }

    ServiceApp app() {
        return app;
    }

    /** The service's data folder (photo store, SQLite database, link secret). */
    Path dataDir() {
        return dataDir;
    }

    String base() {
        return "http://localhost:" + app.port();
    }

    Resp get(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), path, Request.Method.GET, key);
    }

    /** A correction: a JSON merge patch. */
    Resp patch(String path, String key, Object body) {
        try {
            byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
            return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)), path, Request.Method.PATCH, key);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until no analysis of the area is queued or running; returns its trend. */
    JsonNode awaitTrend(String key, String areaId, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode t = get("/v1/areas/" + areaId + "/trend", key).expect(200).json();
            boolean pending = false;
            for (JsonNode s : t.get("sessions")) {
                String state = s.path("state").asText();
                pending |= state.equals("queued") || state.equals("running");
            }
            if (!pending) {
                return t;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("area " + areaId + " still has analyses pending after " + timeout + ": " + t);
            }
            Thread.sleep(250);
        }
    }

    /** A new API key of the admin's clinic with this role; its secret. */
    String key(String adminKey, String role) {
        return postJson("/v1/keys", adminKey, Map.of("role", role, "label", "test " + role)).expect(201).json().get("key").asText();
    }

    Resp delete(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), path, Request.Method.DELETE, key);
    }

    Resp postJson(String path, String key, Object body) {
        try {
            byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
            return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), path, Request.Method.POST, key);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** One part of a multipart body: a file when {@code fileName} is set, else a text field. */
    record Part(String name, String fileName, byte[] content) {
        static Part text(String name, String value) {
            return new Part(name, null, value.getBytes(StandardCharsets.UTF_8));
        }

        static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, content);
        }
    }

    static byte[] multipart(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\""
                    + (p.fileName() == null ? "" : "; filename=\"" + p.fileName() + "\"\r\nContent-Type: application/octet-stream")
                    + "\r\n\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    Resp postMultipart(String path, String key, List<Part> parts, Map<String, String> headers) {
        String boundary = "dt" + UUID.randomUUID().toString().replace("-", "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, parts)));
        headers.forEach(b::header);
        return send(b, path, Request.Method.POST, key);
    }

    Resp send(HttpRequest.Builder b, String path, Request.Method method, String key) {
        Resp resp = sendUnchecked(b, path, method, key);
        checkAgainstSpec(path, method, resp);
        return resp;
    }

    /** For paths the spec does not describe (an unknown route, a WebJar asset). */
    Resp sendUnchecked(HttpRequest.Builder b, String path, Request.Method method, String key) {
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        }
        return new Resp(r.statusCode(), r.headers().map(), r.body());
    }

    /** Every response must be one the spec describes, for that path, method and status. */
    static void checkAgainstSpec(String path, Request.Method method, Resp resp) {
        String contentType = resp.header("Content-Type");
        SimpleResponse.Builder b = SimpleResponse.Builder.status(resp.status());
        resp.headers().forEach((k, v) -> b.withHeader(k, v));
        if (contentType != null) {
            b.withContentType(contentType);
            if (contentType.startsWith("image/") || contentType.startsWith("application/pdf")) {
                b.withBody(resp.body());
            } else if (resp.body().length > 0) {
                b.withBody(resp.text());
            }
        }
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        ValidationReport report = SPEC.validateResponse(bare, method, b.build());
        if (report.hasErrors()) {
            fail(method + " " + path + " → " + resp.status() + " does not conform to api-spec/openapi.yaml:\n"
                    + report.getMessages().stream().map(m -> "  " + m.getKey() + ": " + m.getMessage())
                    .collect(Collectors.joining("\n")) + "\nbody: " + resp.text());
        }
    }

    /** Polls an analysis until it is done or failed. */
    JsonNode awaitAnalysis(String key, String analysisId, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode a = get("/v1/analyses/" + analysisId, key).expect(200).json();
            String state = a.get("state").asText();
            if (state.equals("done") || state.equals("failed")) {
                return a;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("analysis " + analysisId + " still " + state + " after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** A patient with one area and {@code sessions} sessions, made through the API. */
    record Patient(String id, String areaId, List<String> sessionIds) {
    }

    Patient patient(String key, String reference, int sessions) {
        String id = postJson("/v1/patients", key, Map.of("reference", reference)).expect(201).json().get("id").asText();
        Map<String, Object> area = new LinkedHashMap<>();
        area.put("name", "left-cheek");
        area.put("mmPerPx", 0.025);
        String areaId = postJson("/v1/patients/" + id + "/areas", key, area).expect(201).json().get("id").asText();
        List<String> s = new java.util.ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Map<String, Object> body = Map.of("date", "2026-0" + (i + 1) + "-05", "treatment",
                    Map.of("device", "Dermapen 4", "needleDepthMm", 1.5, "passes", 3, "notes", "session " + (i + 1)));
            s.add(postJson("/v1/patients/" + id + "/sessions", key, body).expect(201).json().get("id").asText());
        }
        return new Patient(id, areaId, s);
    }

    Resp upload(String key, String sessionId, String areaId, byte[] photo, String idempotencyKey) {
        return postMultipart("/v1/sessions/" + sessionId + "/photos", key,
                List.of(Part.file("photo", "photo.jpg", photo), Part.text("areaId", areaId)),
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
    }

    static byte[] demoPhoto(int session) throws IOException {
        return Files.readAllBytes(Path.of("datasets/demo/session-" + session + ".jpg"));
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        if (schema != null) {
            Database.dropSchema(TestDatabases.POSTGRES_URL, schema);
        }
    }

    String kind() {
        return kind;
    }
}
