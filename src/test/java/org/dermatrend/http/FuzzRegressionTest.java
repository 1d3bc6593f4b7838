package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the upload bodies of the regression corpus (src/test/resources/fuzz-regressions/upload, each
 * once answered with a connection reset instead of a 400) against {@code POST /v1/score} and a session's
 * photo upload: every answer must reach the client whole, as a 2xx or a 4xx problem, never a 5xx.
 */
class FuzzRegressionTest {
    private static final Path CORPUS = Path.of("src/test/resources/fuzz-regressions/upload");
    private static final String KEY = ApiHarness.ADMIN_KEY;

    @TempDir
    static Path temp;
    private static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start("sqlite", temp, c -> c.withMaxUploadBytes(2 * 1024 * 1024), false);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyBodyThatOnceFailedIsAnsweredWhole() throws Exception {
        List<Path> bodies;
        try (var files = Files.list(CORPUS)) {
            bodies = files.filter(p -> p.toString().endsWith(".multipart")).sorted().toList();
        }
        assertTrue(bodies.size() >= 2, "the upload corpus is missing: " + bodies);
        ApiHarness.Patient patient = api.patient(KEY, "FUZZ-REGRESSION", 1);
        List<String> failures = new ArrayList<>();
        for (Path file : bodies) {
            byte[] body = Files.readAllBytes(file);
            String firstLine = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
            assertTrue(firstLine.startsWith("--"), file + " must start with its boundary line");
            String boundary = firstLine.substring(2);
            for (String path : List.of("/v1/score", "/v1/sessions/" + patient.sessionIds().get(0) + "/photos")) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                ApiHarness.Resp r;
                try {
                    r = api.send(b, path, Request.Method.POST, KEY); // a reset or a body off the spec fails here
                } catch (AssertionError e) {
                    failures.add(file.getFileName() + " to " + path + ": " + e.getMessage());
                    continue;
                }
                System.err.printf("fuzz regression %s to %s: %d %s%n", file.getFileName(), path, r.status(),
                        r.status() >= 400 ? r.header("Content-Type") : "");
                if (!r.isSuccessOrProblem()) {
                    failures.add(file.getFileName() + " to " + path + ": " + r.status() + " " + r.text());
                }
            }
        }
        assertEquals(List.of(), failures);
    }
}
