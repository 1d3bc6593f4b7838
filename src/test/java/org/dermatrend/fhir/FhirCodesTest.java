package org.dermatrend.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.metric.MetricKey;
import org.hl7.fhir.r4.model.CodeSystem;
import org.junit.jupiter.api.Test;

/**
 * Our code systems as shipped (api-spec/fhir) against the metric registry and the trend's verdicts, so that
 * neither can change without the other: a metric without a concept, a concept without a metric, a unit that
 * differs, or a file that is not what {@link FhirCodes} builds fails here. And the files are valid FHIR R4.
 *
 * <p>After a change of the registry, rewrite the files with
 * {@code mvn test -Dtest=FhirCodesTest -Ddermatrend.fhir.regenerate=true} and commit them.
 */
class FhirCodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ca.uhn.fhir.context.FhirContext R4 = ca.uhn.fhir.context.FhirContext.forR4();

    private static Map<String, CodeSystem> built() {
        Map<String, CodeSystem> out = new LinkedHashMap<>();
        out.put("CodeSystem-dermatrend-metrics.json", FhirCodes.metricsCodeSystem());
        out.put("CodeSystem-dermatrend-trend-verdict.json", FhirCodes.verdictsCodeSystem());
        assertEquals(FhirValidation.FILES.keySet(), out.keySet());
        return out;
    }

    @Test
    void theShippedFilesAreWhatTheRegistryBuilds() throws Exception {
        boolean regenerate = Boolean.getBoolean("dermatrend.fhir.regenerate");
        for (Map.Entry<String, CodeSystem> e : built().entrySet()) {
            String json = R4.newJsonParser().setPrettyPrint(true).encodeResourceToString(e.getValue()) + "\n";
            Path file = FhirValidation.FOLDER.resolve(e.getKey());
            assertEquals(FhirValidation.FILES.get(e.getKey()), e.getValue().getUrl());
            if (regenerate) {
                Files.writeString(file, json, StandardCharsets.UTF_8);
                System.out.println("FhirCodesTest: wrote " + file);
            }
            assertTrue(Files.exists(file), file + " is missing; write it with mvn test -Dtest=FhirCodesTest -Ddermatrend.fhir.regenerate=true");
            String difference = difference(JSON.readTree(json), JSON.readTree(Files.readString(file)), "");
            assertTrue(difference == null, file + " differs from what FhirCodes builds from MetricKey (" + difference + "); rewrite "
                    + "it with mvn test -Dtest=FhirCodesTest -Ddermatrend.fhir.regenerate=true and commit it");
        }
    }

    /** Reads the shipped metrics file itself, so the published definition is what is checked against the registry. */
    @Test
    void everyMetricHasItsConceptsAndEveryConceptItsMetric() throws Exception {
        JsonNode cs = JSON.readTree(Files.readString(FhirValidation.FOLDER.resolve("CodeSystem-dermatrend-metrics.json")));
        assertEquals(FhirCodes.METRICS, cs.get("url").asText());
        Map<String, List<JsonNode>> byKind = new LinkedHashMap<>();
        for (JsonNode c : cs.get("concept")) {
            byKind.computeIfAbsent(property(c, "kind").asText(), k -> new ArrayList<>()).add(c);
        }
        assertEquals(List.of("measurement", "trend", "statistic", "report"), new ArrayList<>(byKind.keySet()));
        assertEquals(Arrays.stream(MetricKey.values()).map(MetricKey::json).toList(), codes(byKind.get("measurement")),
                "one measurement concept per MetricKey, in the registry's order");
        assertEquals(MetricKey.rated().stream().map(m -> "trend." + m.json()).toList(), codes(byKind.get("trend")),
                "one trend concept per rated metric");
        for (JsonNode c : byKind.get("measurement")) {
            MetricKey m = MetricKey.ofJson(c.get("code").asText()).orElseThrow();
            assertEquals(m.label(), c.get("display").asText());
            assertEquals(m.ucum(), property(c, "ucum").asText(), m.json());
            assertEquals(m.better().json(), property(c, "better").asText(), m.json());
            assertEquals(m.isRated(), property(c, "rated").asBoolean(), m.json());
        }
        assertEquals(cs.get("concept").size(), cs.get("count").asInt());
    }

    /** The verdicts the spec says a trend gives are exactly the verdict concepts. */
    @Test
    void theVerdictConceptsAreTheTrendsVerdicts() throws Exception {
        OpenAPI spec = new OpenAPIV3Parser().read(Path.of("api-spec/openapi.yaml").toAbsolutePath().toString());
        Schema<?> metrics = (Schema<?>) spec.getComponents().getSchemas().get("Trend").getProperties().get("metrics");
        assertEquals("#/components/schemas/TrendMetric", ((Schema<?>) metrics.getAdditionalProperties()).get$ref());
        Schema<?> metric = spec.getComponents().getSchemas().get("TrendMetric");
        List<?> verdicts = metric.getProperties().get("verdict").getEnum();
        JsonNode cs = JSON.readTree(Files.readString(FhirValidation.FOLDER.resolve("CodeSystem-dermatrend-trend-verdict.json")));
        assertEquals(FhirCodes.VERDICTS, cs.get("url").asText());
        assertEquals(verdicts.stream().map(Object::toString).toList(), codes(cs.get("concept")));
    }

    @Test
    void theShippedCodeSystemsAreValidFhir() throws Exception {
        FhirValidation validation = new FhirValidation();
        for (String file : FhirValidation.FILES.keySet()) {
            FhirValidation.Result r = validation.validate(Files.readString(FhirValidation.FOLDER.resolve(file)));
            System.out.println("FhirCodesTest: " + file + ": " + r.errors().size() + " errors, " + r.warnings().size() + " warnings");
            assertEquals(0, r.errors().size(), file + ":\n" + r.describeErrors());
        }
    }

    /** The first place where the shipped file differs from what is built, as a JSON path and both values; null when none. */
    private static String difference(JsonNode built, JsonNode shipped, String path) {
        if (built.isObject() && shipped.isObject()) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            built.fieldNames().forEachRemaining(names::add);
            shipped.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String d = difference(built.path(n), shipped.path(n), path + "/" + n);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (built.isArray() && shipped.isArray()) {
            for (int i = 0; i < Math.max(built.size(), shipped.size()); i++) {
                String d = difference(built.path(i), shipped.path(i), path + "/" + i);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return built.equals(shipped) ? null : "at " + path + " it is " + shipped + ", built " + built;
    }

    private static List<String> codes(Iterable<JsonNode> concepts) {
        List<String> out = new ArrayList<>();
        concepts.forEach(c -> out.add(c.get("code").asText()));
        return out;
    }

    private static JsonNode property(JsonNode concept, String code) {
        for (JsonNode p : concept.path("property")) {
            if (p.get("code").asText().equals(code)) {
                for (String value : List.of("valueCode", "valueString", "valueBoolean")) {
                    if (p.has(value)) {
                        return p.get(value);
                    }
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
