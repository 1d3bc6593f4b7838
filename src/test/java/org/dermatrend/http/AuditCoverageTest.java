package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the spec that touches patient data leaves an audit entry: who, what record (and its
 * patient), which action, from where, how it ended. The operations are read from api-spec/openapi.yaml, so
 * a new endpoint is covered the day it is documented.
 */
class AuditCoverageTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;

    @TempDir
    Path temp;

    /** One documented operation, as called. */
    private record Call(String method, String template, String path) {
    }

    private static final List<String> DELETE_ORDER = List.of("/v1/report-links/{linkId}", "/v1/photos/{photoId}",
            "/v1/sessions/{sessionId}", "/v1/areas/{areaId}", "/v1/patients/{patientId}");

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#serviceKinds")
    void everyOperationOnPatientDataIsAudited(String kind) throws Exception {
        try (ApiHarness api = ApiHarness.start(kind, temp, c -> c.withPublicUrl("https://dermatrend.example.org/"), false)) {
            ApiHarness.Patient p = api.patient(ADMIN, "AUD-1", 1);
            JsonNode up = api.upload(ADMIN, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201).json();
            JsonNode link = api.postJson("/v1/areas/" + p.areaId() + "/report-links", ADMIN, Map.of()).expect(201).json();
            assertTrue(link.get("url").asText().startsWith("https://dermatrend.example.org/shared/reports/"), "from --public-url: " + link);
            String token = link.get("url").asText().substring(link.get("url").asText().lastIndexOf('/') + 1);
            Map<String, String> ids = Map.of("{patientId}", p.id(), "{areaId}", p.areaId(), "{sessionId}", p.sessionIds().get(0),
                    "{photoId}", up.get("photo").get("id").asText(), "{analysisId}", up.get("analysis").get("id").asText(),
                    "{linkId}", link.get("id").asText(), "{token}", token);

            OpenAPI spec = new OpenAPIV3Parser().read(Path.of("api-spec/openapi.yaml").toAbsolutePath().toString());
            List<Call> calls = new ArrayList<>();
            for (Map.Entry<String, PathItem> e : spec.getPaths().entrySet()) {
                if (!Audit.audited(e.getKey())) {
                    continue;
                }
                String path = e.getKey();
                for (Map.Entry<String, String> id : ids.entrySet()) {
                    path = path.replace(id.getKey(), id.getValue());
                }
                for (PathItem.HttpMethod m : e.getValue().readOperationsMap().keySet()) {
                    calls.add(new Call(m.name(), e.getKey(), path));
                }
            }
            assertTrue(calls.size() >= 30, "the spec's patient-data operations: " + calls.size());
            // Reads and writes first, erasures last and children before parents, so each call finds its record.
            calls.sort(Comparator.comparingInt((Call c) -> c.method().equals("DELETE") ? 1 + DELETE_ORDER.indexOf(c.template()) : 0));
            for (Call c : calls) {
                send(api, c);
            }

            Map<String, JsonNode> seen = new LinkedHashMap<>();
            for (JsonNode entry : api.get("/v1/audit?limit=1000", ADMIN).expect(200).json().get("items")) {
                seen.putIfAbsent(entry.get("route").asText() + " " + entry.get("action").asText(), entry);
            }
            for (Call c : calls) {
                String action = switch (c.method()) {
                    case "GET" -> "read";
                    case "POST" -> c.template().endsWith("/report-links") ? "share" : "create";
                    case "PATCH" -> "update";
                    default -> c.template().startsWith("/v1/report-links") ? "revoke" : "delete";
                };
                JsonNode entry = seen.get(c.template() + " " + action);
                assertTrue(entry != null, c.method() + " " + c.template() + " left no audit entry; seen: " + seen.keySet());
                assertFalse(entry.path("clientAddress").asText().isEmpty(), "from where: " + entry);
                if (c.template().contains("{") && !c.template().startsWith("/v1/audit")) { // a route that names a record
                    assertEquals(p.id(), entry.path("patientId").asText(), "which patient: " + c.method() + " " + c.template() + " " + entry);
                }
                if (c.template().startsWith("/shared/")) {
                    assertEquals("link", entry.get("actorType").asText(), entry::toString);
                    assertEquals(link.get("id").asText(), entry.get("actorId").asText());
                } else {
                    assertEquals("key", entry.get("actorType").asText(), entry::toString);
                }
            }

            // A request without a key is audited too, as a denial by an anonymous caller (kept with no clinic).
            api.get("/v1/patients/" + p.id(), null).problem(401, "unauthenticated");
            try (var db = api.openDatabase()) {
                long denied = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_log WHERE actor_type = 'anonymous' "
                        + "AND outcome = 'denied' AND route = '/v1/patients/{patientId}'").mapTo(Long.class).one());
                assertEquals(1, denied);
            }
            // The export has every entry of the page and more, one JSON object a line.
            ApiHarness.Resp export = api.get("/v1/audit/export", ADMIN).expect(200);
            String[] lines = export.text().split("\n");
            assertTrue(lines.length >= calls.size(), "lines: " + lines.length);
            assertTrue(ApiHarness.JSON.readTree(lines[0]).has("route"));
            // Only admins read it.
            api.get("/v1/audit", api.key(ADMIN, "clinician")).problem(403, "forbidden");
        }
    }

    @org.junit.jupiter.api.Test
    void aPublicUrlThatIsNotAnAddressIsRefusedNamingTheFlag() {
        var config = org.dermatrend.ServiceApp.Config.defaults(temp);
        for (String bad : List.of("dermatrend.example.org", "ftp://x.org", "https://x.org/?a=1", "https://")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> config.withPublicUrl(bad), bad);
            assertTrue(e.getMessage().contains("--public-url"), e.getMessage());
        }
        assertEquals("https://x.org/dt", config.withPublicUrl("https://x.org/dt/").publicUrl());
    }

    private static void send(ApiHarness api, Call c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + c.path()));
        switch (c.method()) {
            case "GET" -> api.sendUnchecked(b.GET(), c.path(), Request.Method.GET, c.path().startsWith("/shared/") ? null : ADMIN);
            case "DELETE" -> api.sendUnchecked(b.DELETE(), c.path(), Request.Method.DELETE, ADMIN);
            case "PATCH" -> api.sendUnchecked(b.header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")), c.path(), Request.Method.PATCH, ADMIN);
            case "POST" -> api.sendUnchecked(b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")),
                    c.path(), Request.Method.POST, ADMIN);
            default -> throw new AssertionError("no such method in the spec: " + c.method());
        }
    }
}
