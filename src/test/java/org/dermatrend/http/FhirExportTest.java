package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.dermatrend.cli.ServeCommand;
import org.dermatrend.domain.Role;
import org.dermatrend.fhir.FhirCodes;
import org.dermatrend.fhir.FhirValidation;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.service.AccessService;
import org.dermatrend.service.Caller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FHIR R4 export on a real service: a patient recorded through the API (two areas, photos analysed) and
 * the demo patient that {@code serve --demo} loads, each exported as a Bundle that HAPI FHIR's instance
 * validator (R4 profiles, UCUM, our code systems as shipped in api-spec/fhir) passes with no error, and
 * whose content is the trend's: the patient's reference and nothing else about them, every session value and
 * verdict of {@code GET /v1/areas/{id}/trend}, UCUM units, the PDF report, photos linked and not inline.
 */
class FhirExportTest {
    private static final String ADMIN = ApiHarness.ADMIN_KEY;
    private static final String PUBLIC = "https://dermatrend.example.org";
    private static FhirValidation validation;

    @TempDir
    Path temp;

    @BeforeAll
    static void validator() throws Exception {
        validation = new FhirValidation();
    }

    @Test
    void bundlesValidateAndCarryTheTrendsNumbers() throws Exception {
        try (ApiHarness api = ApiHarness.start("sqlite", temp, c -> c.withPublicUrl(PUBLIC + "/"), true)) {
            // A patient recorded through the API: three sessions of the left cheek, and a forehead photographed once.
            ApiHarness.Patient p = api.patient(ADMIN, "FHIR-001", 3);
            for (int i = 0; i < 3; i++) {
                api.upload(ADMIN, p.sessionIds().get(i), p.areaId(), ApiHarness.demoPhoto(i + 1), null).expect(201);
            }
            String forehead = api.postJson("/v1/patients/" + p.id() + "/areas", ADMIN, Map.of("name", "forehead", "mmPerPx", 0.025))
                    .expect(201).json().get("id").asText();
            api.upload(ADMIN, p.sessionIds().get(0), forehead, ApiHarness.demoPhoto(4), null).expect(201);
            // The demo patient, loaded as serve --demo loads it.
            AccessService.NewClinic first = api.app().bootstrapped().orElseThrow();
            ServeCommand.Demo demo = ServeCommand.seedDemo(api.app().records(),
                    new Caller(first.clinic().id(), first.adminKey().key().id(), Role.ADMIN, true));

            JsonNode cheek = api.awaitTrend(ADMIN, p.areaId(), Duration.ofMinutes(5));
            JsonNode brow = api.awaitTrend(ADMIN, forehead, Duration.ofMinutes(5));
            JsonNode demoTrend = api.awaitTrend(ADMIN, demo.area().id(), Duration.ofMinutes(5));
            assertEquals(3, count(cheek.get("sessions"), "usable"), cheek::toString);

            JsonNode patientBundle = fetch(api, "/v1/patients/" + p.id() + "/fhir", ADMIN, "patient FHIR-001");
            checkContent(api, patientBundle, p.id(), "FHIR-001", List.of(cheek, brow));
            JsonNode areaBundle = fetch(api, "/v1/areas/" + p.areaId() + "/fhir", ADMIN, "area left-cheek of FHIR-001");
            checkContent(api, areaBundle, p.id(), "FHIR-001", List.of(cheek));
            JsonNode demoBundle = fetch(api, "/v1/patients/" + demo.patient().id() + "/fhir", ADMIN, "demo patient DEMO-001");
            checkContent(api, demoBundle, demo.patient().id(), "DEMO-001", List.of(demoTrend));
            assertEquals(5, count(demoTrend.get("sessions"), "usable"), demoTrend::toString);
            // The demo course's redness fades beyond its MDC: the verdict travels as the interpretation.
            JsonNode redness = observation(demoBundle, "trend.redness.erythemaIndex", null);
            assertEquals("improving", redness.at("/interpretation/0/coding/0/code").asText());
            assertEquals("B", redness.at("/interpretation/0/coding/1/code").asText(), "HL7 v3 Better");

            // The validator does fail a wrong bundle: a unit that is not UCUM, a code that is not in our code system.
            String broken = patientBundle.toString().replace("\"code\":\"/cm2\"", "\"code\":\"/cm²\"")
                    .replace("\"code\":\"pores.meanDiameterMm\"", "\"code\":\"pores.meanDiameter\"");
            FhirValidation.Result bad = validation.validate(broken);
            assertTrue(bad.errors().size() >= 2, "a broken bundle must fail:\n" + bad.describeErrors());

            // Readers may export; an app key may not; another clinic's patient and area are not found; nor an unknown id.
            fetch(api, "/v1/areas/" + p.areaId() + "/fhir", api.key(ADMIN, "reviewer"), "area as a reviewer");
            String app = api.key(ADMIN, "app");
            api.get("/v1/patients/" + p.id() + "/fhir", app).problem(403, "forbidden");
            api.get("/v1/areas/" + p.areaId() + "/fhir", app).problem(403, "forbidden");
            String other = api.postJson("/v1/clinics", ADMIN, Map.of("name", "Clinic B")).expect(201).json().get("adminKey").get("key").asText();
            api.get("/v1/patients/" + p.id() + "/fhir", other).problem(404, "not-found");
            api.get("/v1/areas/" + p.areaId() + "/fhir", other).problem(404, "not-found");
            api.get("/v1/patients/00000000-0000-0000-0000-000000000000/fhir", ADMIN).problem(404, "not-found");
            api.get("/v1/areas/" + p.areaId() + "/fhir", null).problem(401, "unauthenticated");

            // The bound: a patient with more areas than a bundle holds is told to export them one by one.
            String many = api.postJson("/v1/patients", ADMIN, Map.of("reference", "FHIR-MANY")).expect(201).json().get("id").asText();
            for (int i = 0; i < 13; i++) {
                api.postJson("/v1/patients/" + many + "/areas", ADMIN, Map.of("name", "area-" + i)).expect(201);
            }
            JsonNode tooLarge = api.get("/v1/patients/" + many + "/fhir", ADMIN).problem(422, "export-too-large");
            assertTrue(tooLarge.get("detail").asText().contains("/v1/areas/{areaId}/fhir"), tooLarge::toString);
        }
    }

    /** GETs a bundle, checks its media type, validates it (0 errors) and prints the figures. */
    private static JsonNode fetch(ApiHarness api, String path, String key, String what) {
        ApiHarness.Resp r = api.get(path, key).expect(200);
        assertEquals("application/fhir+json", r.header("Content-Type").split(";")[0].trim());
        assertEquals("private, no-store", r.header("Cache-Control"));
        String json = r.text();
        FhirValidation.Result v = validation.validate(json);
        Map<String, Integer> kinds = new TreeMap<>();
        for (var w : v.warnings()) {
            kinds.merge(w.getMessage().replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "N"), 1, Integer::sum);
        }
        JsonNode bundle = r.json();
        System.out.println("FhirExportTest: " + what + ": " + bundle.get("entry").size() + " resources, " + json.length() + " bytes, "
                + v.errors().size() + " errors, " + v.warnings().size() + " warnings, " + v.infos() + " informational");
        kinds.forEach((m, n) -> System.out.println("FhirExportTest:   warning ×" + n + ": " + m));
        assertEquals(0, v.errors().size(), what + ":\n" + v.describeErrors());
        return bundle;
    }

    /**
     * The bundle holds the patient (reference only) and, per trend given, its report (PDF inline), photos (linked)
     * and an Observation per session value and per rated metric, with exactly the trend's numbers.
     */
    private static void checkContent(ApiHarness api, JsonNode bundle, String patientId, String reference, List<JsonNode> trends) {
        assertEquals("Bundle", bundle.get("resourceType").asText());
        assertEquals("collection", bundle.get("type").asText());
        Map<String, List<JsonNode>> byType = new LinkedHashMap<>();
        Set<String> fullUrls = new HashSet<>();
        for (JsonNode e : bundle.get("entry")) {
            JsonNode r = e.get("resource");
            byType.computeIfAbsent(r.get("resourceType").asText(), k -> new ArrayList<>()).add(r);
            assertEquals("urn:uuid:" + r.get("id").asText(), e.get("fullUrl").asText());
            assertTrue(fullUrls.add(e.get("fullUrl").asText()), "full URLs are unique: " + e.get("fullUrl"));
        }
        // The patient: its pseudonymous reference and nothing else (no name, birth date, sex, address, contact).
        assertEquals(1, byType.get("Patient").size());
        JsonNode patient = byType.get("Patient").get(0);
        Set<String> fields = new HashSet<>();
        patient.fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("resourceType", "id", "identifier"), fields, patient::toString);
        assertEquals(patientId, patient.get("id").asText());
        assertEquals(1, patient.get("identifier").size());
        assertEquals(FhirCodes.PATIENT_REFERENCE, patient.at("/identifier/0/system").asText());
        assertEquals(reference, patient.at("/identifier/0/value").asText());
        String subject = "urn:uuid:" + patientId;

        // Every quantity anywhere is UCUM.
        List<JsonNode> quantities = new ArrayList<>();
        collect(bundle, "valueQuantity", quantities);
        assertFalse(quantities.isEmpty());
        for (JsonNode q : quantities) {
            assertEquals(FhirCodes.UCUM, q.get("system").asText(), q::toString);
            assertTrue(q.has("code") && q.get("value").isNumber(), q::toString);
        }

        assertEquals(trends.size(), byType.get("DiagnosticReport").size());
        int expectedObservations = 0;
        int expectedMedia = 0;
        for (JsonNode trend : trends) {
            String area = trend.get("area").asText();
            JsonNode report = byType.get("DiagnosticReport").stream()
                    .filter(r -> r.at("/code/text").asText().endsWith(": " + area)).findFirst().orElseThrow(() -> new AssertionError(
                            "no report of " + area));
            assertEquals("final", report.get("status").asText());
            assertEquals(subject, report.at("/subject/reference").asText());
            JsonNode pdf = report.at("/presentedForm/0");
            assertEquals("application/pdf", pdf.get("contentType").asText());
            byte[] bytes = Base64.getDecoder().decode(pdf.get("data").asText());
            assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
            Set<String> results = new HashSet<>();
            report.get("result").forEach(r -> results.add(r.get("reference").asText()));

            // One Observation per value of every usable session, with the trend's number, date, unit and area.
            for (JsonNode s : trend.get("sessions")) {
                JsonNode media = byType.get("Media").stream().filter(m -> m.get("id").asText().equals(s.get("photo").asText()))
                        .findFirst().orElseThrow(() -> new AssertionError("no Media for photo " + s.get("photo")));
                expectedMedia++;
                assertEquals(PUBLIC + "/v1/photos/" + s.get("photo").asText() + "/image", media.at("/content/url").asText());
                assertFalse(media.get("content").has("data"), "photos are linked, not inline");
                assertEquals("image/jpeg", media.at("/content/contentType").asText());
                assertEquals(s.get("date").asText(), media.get("createdDateTime").asText());
                assertEquals(area, media.at("/bodySite/text").asText());
                if (!s.get("usable").asBoolean()) {
                    continue;
                }
                Map<String, Double> values = new HashMap<>();
                s.get("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
                assertFalse(values.isEmpty());
                for (Map.Entry<String, Double> v : values.entrySet()) {
                    MetricKey m = MetricKey.ofJson(v.getKey()).orElseThrow();
                    JsonNode o = observation(bundle, v.getKey(), s.get("date").asText(), area);
                    assertEquals("final", o.get("status").asText());
                    assertEquals(FhirCodes.METRICS, o.at("/code/coding/0/system").asText());
                    assertEquals(v.getValue(), o.at("/valueQuantity/value").asDouble(), 0.0, v.getKey() + " at " + s.get("date"));
                    assertEquals(m.ucum(), o.at("/valueQuantity/code").asText());
                    assertEquals(subject, o.at("/subject/reference").asText());
                    assertEquals("urn:uuid:" + s.get("photo").asText(), o.at("/derivedFrom/0/reference").asText());
                    assertTrue(results.contains("urn:uuid:" + o.get("id").asText()), "the report lists " + v.getKey());
                    expectedObservations++;
                }
            }
            // One per rated metric: the trend's change, the verdict as interpretation, the statistics as components.
            Map<String, JsonNode> metrics = new LinkedHashMap<>();
            trend.get("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue()));
            for (Map.Entry<String, JsonNode> e : metrics.entrySet()) {
                JsonNode t = e.getValue();
                JsonNode o = observation(bundle, "trend." + e.getKey(), null, area);
                assertEquals(FhirCodes.VERDICTS, o.at("/interpretation/0/coding/0/system").asText());
                assertEquals(t.get("verdict").asText(), o.at("/interpretation/0/coding/0/code").asText(), e.getKey());
                assertEquals(t.get("change").asDouble(), o.at("/valueQuantity/value").asDouble(), 0.0, e.getKey());
                Map<String, Double> components = new HashMap<>();
                o.path("component").forEach(c -> components.put(c.at("/code/coding/0/code").asText(), c.at("/valueQuantity/value").asDouble()));
                assertEquals(t.get("baseline").asDouble(), components.get("baseline"), 0.0);
                assertEquals(t.get("latest").asDouble(), components.get("latest"), 0.0);
                if (t.has("mdc")) {
                    assertEquals(t.get("mdc").asDouble(), components.get("mdc95"), 0.0);
                }
                if (t.has("slopeCi95")) {
                    assertEquals(t.get("slopeCi95").get(0).asDouble(), components.get("slope-ci95-low"), 0.0);
                }
                assertEquals(t.get("why").asText(), o.at("/note/0/text").asText());
                assertTrue(results.contains("urn:uuid:" + o.get("id").asText()));
                expectedObservations++;
            }
        }
        assertEquals(expectedObservations, byType.get("Observation").size(), "nothing but the trends' observations");
        assertEquals(expectedMedia, byType.get("Media").size(), "one Media per photo");
        // A photo's link works with the caller's key (the path part of the absolute URL, on this server).
        String url = byType.get("Media").get(0).at("/content/url").asText();
        ApiHarness.Resp image = api.get(url.substring(PUBLIC.length()), ADMIN).expect(200);
        assertEquals("image/jpeg", image.header("Content-Type"));
    }

    /** The one Observation with this code (and date and area, when given). */
    private static JsonNode observation(JsonNode bundle, String code, String date, String area) {
        JsonNode found = null;
        for (JsonNode e : bundle.get("entry")) {
            JsonNode r = e.get("resource");
            if (r.get("resourceType").asText().equals("Observation") && r.at("/code/coding/0/code").asText().equals(code)
                    && (date == null || r.path("effectiveDateTime").asText().equals(date))
                    && (area == null || r.at("/bodySite/text").asText().equals(area))) {
                assertTrue(found == null, "two observations of " + code + " " + date + " " + area);
                found = r;
            }
        }
        assertNotNull(found, "no observation of " + code + " " + date + " " + area);
        return found;
    }

    private static JsonNode observation(JsonNode bundle, String code, String date) {
        return observation(bundle, code, date, null);
    }

    private static void collect(JsonNode node, String field, List<JsonNode> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals(field)) {
                    out.add(e.getValue());
                }
                collect(e.getValue(), field, out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, field, out));
        }
    }

    private static int count(JsonNode sessions, String flag) {
        int n = 0;
        for (JsonNode s : sessions) {
            n += s.path(flag).asBoolean() ? 1 : 0;
        }
        return n;
    }
}
