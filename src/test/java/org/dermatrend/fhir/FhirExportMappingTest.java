package org.dermatrend.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.trend.MdcRegistry;
import org.dermatrend.trend.TrendBuilder;
import org.dermatrend.wire.TrendInfo;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The export's mapping on a trend made by hand (no server, no photos): exact values, a report still waiting for
 * an analysis, post-treatment redness, stable ids, and a verdict the code system does not know.
 */
class FhirExportMappingTest {
    private static final FhirContext R4 = FhirContext.forR4();
    private static final FhirExport EXPORT = new FhirExport(R4);
    private static final Patient PATIENT = new Patient("6f1c1e6e-0000-4000-8000-000000000001", "c", "P-042", Instant.EPOCH);
    private static final Area AREA = new Area("6f1c1e6e-0000-4000-8000-000000000002", "c", PATIENT.id(), "left-cheek", null, 0.025,
            Instant.EPOCH);
    private static final byte[] PDF = "%PDF-1.5 not really".getBytes(StandardCharsets.US_ASCII);
    private static FhirValidation validation;

    @BeforeAll
    static void validator() throws Exception {
        validation = new FhirValidation();
    }

    /** Three usable sessions (the third two days after a treatment), then one still queued. */
    private static TrendInfo trend() {
        List<TrendInfo.Session> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (MetricKey m : MetricKey.values()) {
                values.put(m.json(), (0.1 + 0.2) * (10 - i) + m.ordinal()); // 0.30000000000000004 × …: not a short decimal
            }
            boolean queued = i == 3;
            sessions.add(new TrendInfo.Session(LocalDate.of(2026, 1 + i, 5), "6f1c1e6e-0000-4000-8000-00000000010" + i, "s" + i,
                    "6f1c1e6e-0000-4000-8000-00000000020" + i, queued ? "queued" : "done", !queued, queued ? "queued" : null, i == 2,
                    null, queued ? null : values));
        }
        return new TrendBuilder(MdcRegistry.packaged()).build(PATIENT.reference(), AREA.name(), AREA.id(), sessions, false, List.of());
    }

    private static Map<String, String> jpegs(TrendInfo t) {
        Map<String, String> out = new LinkedHashMap<>();
        t.sessions().forEach(s -> out.put(s.photo(), "image/jpeg"));
        return out;
    }

    @Test
    void aTrendBecomesValidResourcesWithItsExactNumbers() {
        TrendInfo t = trend();
        FhirExport.AreaExport area = new FhirExport.AreaExport(AREA, t, PDF, jpegs(t));
        String json = new String(EXPORT.json(PATIENT, List.of(area), "https://x.example.org", Instant.parse("2026-12-01T10:00:00Z")),
                StandardCharsets.UTF_8);
        FhirValidation.Result r = validation.validate(json);
        assertEquals(0, r.errors().size(), r.describeErrors());

        Bundle b = R4.newJsonParser().parseResource(Bundle.class, json);
        DiagnosticReport report = (DiagnosticReport) b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(x -> x instanceof DiagnosticReport).findFirst().orElseThrow();
        assertEquals(DiagnosticReport.DiagnosticReportStatus.PARTIAL, report.getStatus(), "an analysis is still queued");
        assertEquals(4, report.getMedia().size(), "every photo, the queued one too");
        List<Observation> observations = b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(x -> x instanceof Observation).map(x -> (Observation) x).toList();
        assertEquals(3 * MetricKey.values().length + t.metrics().size(), observations.size());
        for (Observation o : observations) {
            String code = o.getCode().getCodingFirstRep().getCode();
            if (code.startsWith("trend.")) {
                continue;
            }
            TrendInfo.Session s = t.sessions().stream().filter(x -> x.date().toString().equals(o.getEffectiveDateTimeType()
                    .getValueAsString())).findFirst().orElseThrow();
            assertEquals(s.values().get(code), o.getValueQuantity().getValue().doubleValue(), 0.0, "exactly the trend's " + code);
            assertEquals(MetricKey.ofJson(code).orElseThrow().isRedness() && s.postTreatment(), o.hasNote(),
                    code + " at " + s.date() + ": only post-treatment redness has a note");
        }
        Observation redness = observations.stream().filter(o -> o.getCode().getCodingFirstRep().getCode()
                .equals("trend.redness.erythemaIndex")).findFirst().orElseThrow();
        assertTrue(redness.getNote().stream().anyMatch(n -> n.getText().contains("2026-03-05")), "left out: " + redness.getNote());
        assertEquals(2, redness.getDerivedFrom().size(), "the series without the left-out session");
    }

    @Test
    void theSameRecordsExportWithTheSameIds() {
        TrendInfo t = trend();
        FhirExport.AreaExport area = new FhirExport.AreaExport(AREA, t, PDF, jpegs(t));
        Bundle one = EXPORT.bundle(PATIENT, List.of(area), "https://x.example.org", Instant.EPOCH);
        Bundle two = EXPORT.bundle(PATIENT, List.of(area), "https://x.example.org", Instant.EPOCH.plusSeconds(60));
        assertEquals(one.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList(),
                two.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList());
        assertNotEquals(one.getIdElement().getIdPart(), two.getIdElement().getIdPart(), "each bundle is its own");
    }

    @Test
    void aVerdictWithoutAConceptIsABrokenContract() {
        TrendInfo t = trend();
        Map<String, TrendInfo.Metric> metrics = new LinkedHashMap<>(t.metrics());
        TrendInfo.Metric m = metrics.get("pores.meanDiameterMm");
        metrics.put("pores.meanDiameterMm", new TrendInfo.Metric(m.label(), m.unit(), m.better(), m.dates(), m.values(), m.baseline(),
                m.latest(), m.change(), m.changePercent(), m.slopePer30Days(), m.slopeCi95(), m.mdc(), "much-better", m.why(),
                m.leftOut()));
        TrendInfo odd = new TrendInfo(t.patient(), t.area(), t.areaId(), t.baselineDate(), t.baselinePhoto(), t.sessions(), metrics,
                t.notes());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EXPORT.bundle(PATIENT,
                List.of(new FhirExport.AreaExport(AREA, odd, PDF, jpegs(odd))), "https://x.example.org", Instant.EPOCH));
        assertTrue(e.getMessage().contains("much-better"), e.getMessage());
    }
}
