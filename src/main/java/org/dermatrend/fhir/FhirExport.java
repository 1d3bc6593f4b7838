package org.dermatrend.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.wire.TrendInfo;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Media;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A patient's or an area's records as a FHIR R4 {@code Bundle} of type {@code collection}: the {@code Patient}
 * (its pseudonymous reference only), per area a {@code DiagnosticReport} with the PDF report, a {@code Media}
 * per photo (linked, not inline), an {@code Observation} per metric per usable session (the values of the
 * area's trend, so they equal {@code GET /v1/areas/{id}/trend}) and one per rated metric's trend with its
 * verdict as interpretation. Codes are ours ({@link FhirCodes}), units UCUM.
 *
 * <p>Resources are identified by {@code urn:uuid:} full URLs: the patient's and photos' ids are our record ids;
 * an observation's is derived from its analysis (or area) and metric, and the report's from its area, so the
 * same records export with the same ids. Thread-safe: the FHIR context is shared, a parser is made per bundle.
 */
public final class FhirExport {
    private final FhirContext fhir;

    /** @param fhir an R4 context (expensive to make: one per process) */
    public FhirExport(FhirContext fhir) {
        if (fhir.getVersion().getVersion() != ca.uhn.fhir.context.FhirVersionEnum.R4) {
            throw new IllegalArgumentException("the FHIR export writes R4, got a " + fhir.getVersion().getVersion() + " context");
        }
        this.fhir = fhir;
    }

    /**
     * One area as exported.
     *
     * @param trend       the area's trend (its sessions in date order, its rated metrics)
     * @param pdf         the area's PDF report, showing this trend
     * @param mediaTypes  photo id → the media type its image is served in ({@code image/jpeg}, {@code image/png})
     */
    public record AreaExport(Area area, TrendInfo trend, byte[] pdf, Map<String, String> mediaTypes) {
        public AreaExport {
            Objects.requireNonNull(area, "area");
            Objects.requireNonNull(trend, "trend");
            Objects.requireNonNull(pdf, "pdf");
            mediaTypes = Map.copyOf(mediaTypes);
        }
    }

    /**
     * The bundle as JSON ({@code application/fhir+json}, UTF-8).
     *
     * @param baseUrl the service's address as its users reach it, without a trailing slash: photos are linked as
     *                {@code baseUrl/v1/photos/{id}/image}
     * @param now     the bundle's timestamp and the reports' issue time
     */
    public byte[] json(Patient patient, List<AreaExport> areas, String baseUrl, Instant now) {
        return fhir.newJsonParser().encodeResourceToString(bundle(patient, areas, baseUrl, now)).getBytes(StandardCharsets.UTF_8);
    }

    /** The bundle as resources (see {@link #json}). */
    public Bundle bundle(Patient patient, List<AreaExport> areas, String baseUrl, Instant now) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION).setTimestamp(Date.from(now));
        bundle.setId(UUID.randomUUID().toString());
        org.hl7.fhir.r4.model.Patient p = new org.hl7.fhir.r4.model.Patient();
        p.setId(patient.id());
        p.addIdentifier().setSystem(FhirCodes.PATIENT_REFERENCE).setValue(patient.reference());
        add(bundle, p);
        Reference subject = ref(p);
        for (AreaExport a : areas) {
            addArea(bundle, subject, a, baseUrl, now);
        }
        return bundle;
    }

    private void addArea(Bundle bundle, Reference subject, AreaExport a, String baseUrl, Instant now) {
        Area area = a.area();
        CodeableConcept site = new CodeableConcept().setText(area.name());
        DiagnosticReport report = new DiagnosticReport();
        report.setId(id("report", area.id()));
        List<Resource> parts = new ArrayList<>();
        Map<String, Reference> mediaOfPhoto = new LinkedHashMap<>();
        boolean pending = false;
        for (TrendInfo.Session s : a.trend().sessions()) {
            pending |= "queued".equals(s.state()) || "running".equals(s.state());
            String mediaType = a.mediaTypes().get(s.photo());
            if (mediaType == null) {
                continue; // erased since the trend was read
            }
            Media m = new Media();
            m.setId(s.photo());
            m.setStatus(Media.MediaStatus.COMPLETED)
                    .setType(new CodeableConcept(new Coding(FhirCodes.MEDIA_TYPE, "image", "Image")))
                    .setSubject(subject.copy()).setCreated(date(s.date())).setBodySite(site.copy())
                    .setContent(new Attachment().setContentType(mediaType).setUrl(baseUrl + "/v1/photos/" + s.photo() + "/image")
                            .setTitle(area.name() + ", " + s.date()));
            parts.add(m);
            mediaOfPhoto.put(s.photo(), ref(m));
            report.addMedia().setComment("Session of " + s.date()).setLink(ref(m));
        }
        // Per usable session, every metric it has a value of: the trend's session values, unchanged.
        Map<MetricKey, List<Observation>> measured = new LinkedHashMap<>();
        for (TrendInfo.Session s : a.trend().sessions()) {
            if (!s.usable() || s.values() == null) {
                continue;
            }
            for (MetricKey m : MetricKey.values()) {
                Double v = s.values().get(m.json());
                if (v == null || !Double.isFinite(v)) {
                    continue;
                }
                Observation o = observation(subject, site, new Coding(FhirCodes.METRICS, m.json(), m.label()));
                o.setId(id(s.analysisId() != null ? s.analysisId() : s.photo(), m.json()));
                o.setEffective(date(s.date())).setValue(quantity(v, m.unit(), m.ucum()));
                o.setMethod(new CodeableConcept().setText(s.photo().equals(a.trend().baselinePhoto())
                        ? "dermatrend photo analysis: the baseline, measured on its region"
                        : "dermatrend photo analysis: measured on the skin shared with the baseline, anchored to the baseline's value"));
                Reference media = mediaOfPhoto.get(s.photo());
                if (media != null) {
                    o.addDerivedFrom(media.copy());
                }
                if (m.isRedness() && s.postTreatment()) {
                    o.addNote(new Annotation().setText("Taken 1 to 3 days after a treatment: the redness shows the procedure and is "
                            + "left out of the trend."));
                }
                measured.computeIfAbsent(m, k -> new ArrayList<>()).add(o);
                parts.add(o);
            }
        }
        // Per rated metric, its trend: the change since baseline, the verdict, and the statistics behind it.
        for (Map.Entry<String, TrendInfo.Metric> e : a.trend().metrics().entrySet()) {
            MetricKey m = MetricKey.ofJson(e.getKey()).orElseThrow(() -> new IllegalStateException("the trend rates "
                    + e.getKey() + ", which is not in the metric registry"));
            Observation o = trend(subject, site, area, m, e.getValue(), measured.getOrDefault(m, List.of()));
            parts.add(o);
        }
        for (Resource r : parts) {
            if (r instanceof Observation o) {
                report.addResult(ref(o));
            }
        }
        report.setStatus(pending ? DiagnosticReport.DiagnosticReportStatus.PARTIAL : DiagnosticReport.DiagnosticReportStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(FhirCodes.METRICS, FhirCodes.AREA_REPORT, "Skin treatment progress report"))
                        .setText("Skin treatment progress report: " + area.name()))
                .setSubject(subject.copy()).setIssued(Date.from(now));
        List<LocalDate> dates = a.trend().sessions().stream().map(TrendInfo.Session::date).filter(Objects::nonNull).toList();
        if (!dates.isEmpty()) {
            report.setEffective(new Period().setStartElement(date(dates.get(0))).setEndElement(date(dates.get(dates.size() - 1))));
        }
        String conclusion = conclusion(a.trend());
        if (!conclusion.isEmpty()) {
            report.setConclusion(conclusion);
        }
        report.addPresentedForm(new Attachment().setContentType("application/pdf").setData(a.pdf())
                .setTitle("dermatrend report, " + area.name()).setCreationElement(new DateTimeType(Date.from(now))));
        add(bundle, report);
        parts.forEach(r -> add(bundle, r));
    }

    private static Observation trend(Reference subject, CodeableConcept site, Area area, MetricKey m, TrendInfo.Metric t,
                                     List<Observation> series) {
        Observation o = observation(subject, site, new Coding(FhirCodes.METRICS, FhirCodes.TREND_PREFIX + m.json(),
                FhirCodes.trendDisplay(m)));
        o.setId(id(area.id(), FhirCodes.TREND_PREFIX + m.json()));
        List<LocalDate> shown = new ArrayList<>();
        for (int i = 0; i < t.dates().size(); i++) {
            if (t.values().get(i) != null) {
                shown.add(t.dates().get(i));
            }
        }
        if (!shown.isEmpty()) {
            o.setEffective(new Period().setStartElement(date(shown.get(0))).setEndElement(date(shown.get(shown.size() - 1))));
        }
        if (t.change() != null) {
            o.setValue(quantity(t.change(), m.unit(), m.ucum()));
        }
        FhirCodes.Verdict verdict = FhirCodes.Verdict.of(t.verdict()).orElseThrow(() -> new IllegalStateException("the trend's "
                + "verdict '" + t.verdict() + "' has no concept in " + FhirCodes.VERDICTS));
        CodeableConcept interpretation = new CodeableConcept(new Coding(FhirCodes.VERDICTS, verdict.code, verdict.display))
                .setText(verdict.display);
        if (verdict.v3Code != null) {
            interpretation.addCoding(new Coding(FhirCodes.INTERPRETATION, verdict.v3Code, verdict.v3Display));
        }
        o.addInterpretation(interpretation);
        String perMonth = (m.ucum().startsWith("/") ? "1" + m.ucum() : m.ucum()) + "/(30.d)";
        component(o, FhirCodes.Statistic.BASELINE, t.baseline(), m.unit(), m.ucum());
        component(o, FhirCodes.Statistic.LATEST, t.latest(), m.unit(), m.ucum());
        component(o, FhirCodes.Statistic.CHANGE_PERCENT, t.changePercent(), "%", "%");
        component(o, FhirCodes.Statistic.SLOPE_PER_30_DAYS, t.slopePer30Days(), m.unit() + " per 30 days", perMonth);
        if (t.slopeCi95() != null) {
            component(o, FhirCodes.Statistic.SLOPE_CI95_LOW, t.slopeCi95()[0], m.unit() + " per 30 days", perMonth);
            component(o, FhirCodes.Statistic.SLOPE_CI95_HIGH, t.slopeCi95()[1], m.unit() + " per 30 days", perMonth);
        }
        component(o, FhirCodes.Statistic.MDC95, t.mdc(), m.unit(), m.ucum());
        if (t.why() != null) {
            o.addNote(new Annotation().setText(t.why()));
        }
        if (t.leftOut() != null && !t.leftOut().isEmpty()) {
            o.addNote(new Annotation().setText("Left out (taken 1 to 3 days after a treatment): " + String.join(", ",
                    t.leftOut().stream().map(LocalDate::toString).toList())));
        }
        // Derived from the measurements in the series (not those it left out, like post-treatment redness).
        Set<String> inSeries = new HashSet<>();
        shown.forEach(d -> inSeries.add(d.toString()));
        series.stream().filter(s -> inSeries.contains(s.getEffectiveDateTimeType().getValueAsString()))
                .forEach(s -> o.addDerivedFrom(ref(s)));
        return o;
    }

    private static void component(Observation o, FhirCodes.Statistic s, Double value, String unit, String ucum) {
        if (value != null && Double.isFinite(value)) {
            o.addComponent().setCode(new CodeableConcept(new Coding(FhirCodes.METRICS, s.code, s.display)))
                    .setValue(quantity(value, unit, ucum));
        }
    }

    private static Observation observation(Reference subject, CodeableConcept site, Coding code) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL)
                .addCategory(new CodeableConcept(new Coding(FhirCodes.OBSERVATION_CATEGORY, "imaging", "Imaging")))
                .setCode(new CodeableConcept(code).setText(code.getDisplay()))
                .setSubject(subject.copy()).setBodySite(site.copy());
        return o;
    }

    /**
     * The metrics by verdict ("Improving: Pore diameter, mean; Erythema index. Stable: Scars."), verdicts in the code
     * system's order and metrics in the trend's; empty without rated metrics.
     */
    private static String conclusion(TrendInfo trend) {
        List<String> parts = new ArrayList<>();
        for (FhirCodes.Verdict v : FhirCodes.Verdict.values()) {
            List<String> labels = trend.metrics().values().stream().filter(t -> v.code.equals(t.verdict())).map(TrendInfo.Metric::label)
                    .toList();
            if (!labels.isEmpty()) {
                parts.add(v.display + ": " + String.join("; ", labels) + ".");
            }
        }
        return String.join(" ", parts);
    }

    /** The exact double as a FHIR decimal (its shortest decimal form, so it reads back as the same double). */
    private static Quantity quantity(double value, String unit, String ucum) {
        return new Quantity().setValue(BigDecimal.valueOf(value)).setUnit(unit).setSystem(FhirCodes.UCUM).setCode(ucum);
    }

    private static DateTimeType date(LocalDate d) {
        return new DateTimeType(d.toString());
    }

    private static String id(String owner, String what) {
        return UUID.nameUUIDFromBytes((owner + "/" + what).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Reference ref(Resource r) {
        return new Reference("urn:uuid:" + r.getIdElement().getIdPart());
    }

    private static void add(Bundle bundle, Resource r) {
        bundle.addEntry().setFullUrl("urn:uuid:" + r.getIdElement().getIdPart()).setResource(r);
    }
}
