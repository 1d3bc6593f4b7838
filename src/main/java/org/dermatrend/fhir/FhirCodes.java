package org.dermatrend.fhir;

import java.util.List;
import java.util.Optional;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.trend.TrendBuilder;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.StringType;

/**
 * Our FHIR code systems, built from the metric registry ({@link MetricKey}) so that they cannot drift from
 * it. Their definitions are shipped in {@code api-spec/fhir/} ({@code FhirCodesTest} fails when a file
 * differs from what is built here, and says how to rewrite it).
 *
 * <p>{@value #METRICS} holds, per metric, the measurement ({@code pores.meanDiameterMm}, the metric's JSON
 * name) and, per rated metric, its trend across sessions ({@code trend.pores.meanDiameterMm}); the
 * statistics a trend carries as components ({@code baseline}, {@code slope-per-30-days}, …); and the
 * area report ({@code area-report}). {@value #VERDICTS} holds the trend's verdicts.
 */
public final class FhirCodes {
    /** The canonical URL of the metrics code system. */
    public static final String METRICS = "https://dermatrend.org/fhir/CodeSystem/metrics";
    /** The canonical URL of the trend verdicts code system. */
    public static final String VERDICTS = "https://dermatrend.org/fhir/CodeSystem/trend-verdict";
    /** The identifier system of a patient's pseudonymous reference (unique within the clinic that exports it). */
    public static final String PATIENT_REFERENCE = "https://dermatrend.org/fhir/sid/patient-reference";
    /** Both code systems' version: raise it when a concept's meaning changes (adding one does not). */
    public static final String VERSION = "1.0.0";

    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    public static final String MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type";

    /** The prefix of a trend concept: {@code trend.} + the metric's JSON name. */
    static final String TREND_PREFIX = "trend.";
    static final String AREA_REPORT = "area-report";

    /** A statistic of a trend, carried as an Observation component in the metric's unit (or per cent, or per 30 days). */
    enum Statistic {
        BASELINE("baseline", "Baseline value", "The metric at the baseline session (the first usable one)."),
        LATEST("latest", "Latest value", "The metric at the latest session in the series."),
        CHANGE_PERCENT("change-percent", "Change since baseline, per cent",
                "100 × (latest − baseline) / |baseline|, in per cent; absent when the baseline is 0."),
        SLOPE_PER_30_DAYS("slope-per-30-days", "Slope per 30 days",
                "The least-squares slope of the series, in the metric's unit per 30 days."),
        SLOPE_CI95_LOW("slope-ci95-low", "Slope per 30 days, 95 % interval, lower bound",
                "The lower bound of the slope's 95 % confidence interval (three or more sessions)."),
        SLOPE_CI95_HIGH("slope-ci95-high", "Slope per 30 days, 95 % interval, upper bound",
                "The upper bound of the slope's 95 % confidence interval (three or more sessions)."),
        MDC95("mdc95", "Minimal detectable change (MDC95)",
                "1.96 · √2 · SEM from the repeatability study (docs/metrics.md §10): a change within it is noise.");

        final String code;
        final String display;
        final String definition;

        Statistic(String code, String display, String definition) {
            this.code = code;
            this.display = display;
            this.definition = definition;
        }
    }

    /**
     * A trend verdict, as {@code GET /v1/areas/{id}/trend} says it, with the HL7 v3 ObservationInterpretation
     * code of the same meaning where there is one ({@code B} better, {@code W} worse; "no detectable change" and
     * "too few sessions" have none).
     */
    enum Verdict {
        IMPROVING("improving", "Improving", "The change since baseline exceeds the minimal detectable change in the good "
                + "direction and the slope's 95 % interval excludes zero.", "B", "Better"),
        STABLE("stable", "Stable", "No change beyond the measurement noise: the change is within the minimal detectable "
                + "change, or exceeds it while the sessions do not follow it (the slope's interval includes zero or points "
                + "the other way).", null, null),
        WORSENING("worsening", "Worsening", "The change since baseline exceeds the minimal detectable change in the bad "
                + "direction and the slope's 95 % interval excludes zero.", "W", "Worse"),
        INSUFFICIENT_DATA("insufficient-data", "Insufficient data", "Fewer than " + TrendBuilder.MIN_SESSIONS + " sessions "
                + "with a value of the metric, or no repeatability study of the metric to judge by.", null, null);

        final String code;
        final String display;
        final String definition;
        final String v3Code;
        final String v3Display;

        Verdict(String code, String display, String definition, String v3Code, String v3Display) {
            this.code = code;
            this.display = display;
            this.definition = definition;
            this.v3Code = v3Code;
            this.v3Display = v3Display;
        }

        static Optional<Verdict> of(String code) {
            for (Verdict v : values()) {
                if (v.code.equals(code)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }
    }

    private FhirCodes() {
    }

    /** The display of a metric's trend concept. */
    static String trendDisplay(MetricKey m) {
        return m.label() + ": change across treatment sessions";
    }

    /** The metrics code system: measurements, trends, trend statistics and the report, in that order. */
    public static CodeSystem metricsCodeSystem() {
        CodeSystem cs = header(METRICS, "DermatrendMetrics", "dermatrend skin metrics",
                "What dermatrend measures in a skin photo (one concept per metric of its registry, the code being the "
                        + "metric's JSON name, e.g. pores.meanDiameterMm), the trend of each rated metric across an area's "
                        + "treatment sessions (trend. + the metric's code), the statistics a trend carries, and the area report. "
                        + "Generated from org.dermatrend.metric.MetricKey; docs/metrics.md defines how each metric is measured.");
        cs.addProperty().setCode("kind").setType(PropertyType.CODE)
                .setDescription("measurement, trend, statistic or report");
        cs.addProperty().setCode("ucum").setType(PropertyType.STRING)
                .setDescription("The UCUM code of the values' unit (measurements and trends; a slope is this per 30 days)");
        cs.addProperty().setCode("better").setType(PropertyType.CODE)
                .setDescription("Which direction of change is an improvement: lower, higher, or none (measured, not rated)");
        cs.addProperty().setCode("rated").setType(PropertyType.BOOLEAN)
                .setDescription("Whether trends give the metric a verdict");
        for (MetricKey m : MetricKey.values()) {
            ConceptDefinitionComponent c = cs.addConcept().setCode(m.json()).setDisplay(m.label())
                    .setDefinition(m.label() + ", in " + m.unit() + " (UCUM " + m.ucum() + "), measured on the photo's skin; a "
                            + "follow-up is measured on the skin it shares with the baseline and anchored to the baseline's value. "
                            + (m.better() == MetricKey.Better.NONE ? "Measured, not rated."
                            : (m.better() == MetricKey.Better.LOWER ? "Lower" : "Higher") + " is better."));
            property(c, "kind", new CodeType("measurement"));
            property(c, "ucum", new StringType(m.ucum()));
            property(c, "better", new CodeType(m.better().json()));
            property(c, "rated", new BooleanType(m.isRated()));
        }
        for (MetricKey m : MetricKey.rated()) {
            ConceptDefinitionComponent c = cs.addConcept().setCode(TREND_PREFIX + m.json()).setDisplay(trendDisplay(m))
                    .setDefinition("The change of " + m.json() + " from the baseline session to the latest, in " + m.unit()
                            + ", with the verdict (interpretation, " + VERDICTS + ") and the statistics behind it as components.");
            property(c, "kind", new CodeType("trend"));
            property(c, "ucum", new StringType(m.ucum()));
            property(c, "better", new CodeType(m.better().json()));
        }
        for (Statistic s : Statistic.values()) {
            ConceptDefinitionComponent c = cs.addConcept().setCode(s.code).setDisplay(s.display).setDefinition(s.definition);
            property(c, "kind", new CodeType("statistic"));
        }
        ConceptDefinitionComponent report = cs.addConcept().setCode(AREA_REPORT).setDisplay("Skin treatment progress report")
                .setDefinition("The dermatologist's report of one treated skin area (timeline, aligned photos, one chart per "
                        + "metric with its trend and minimal detectable change), as GET /v1/areas/{id}/report?format=pdf gives it.");
        property(report, "kind", new CodeType("report"));
        cs.setCount(cs.getConcept().size());
        return cs;
    }

    /** The trend verdicts code system. */
    public static CodeSystem verdictsCodeSystem() {
        CodeSystem cs = header(VERDICTS, "DermatrendTrendVerdict", "dermatrend trend verdicts",
                "The verdict of a metric's trend across an area's treatment sessions, as GET /v1/areas/{id}/trend gives it "
                        + "(docs/metrics.md §10): a change inside the minimal detectable change is never improving.");
        for (Verdict v : Verdict.values()) {
            cs.addConcept().setCode(v.code).setDisplay(v.display).setDefinition(v.definition);
        }
        cs.setCount(cs.getConcept().size());
        return cs;
    }

    /** Both code systems, as shipped in api-spec/fhir. */
    public static List<CodeSystem> all() {
        return List.of(metricsCodeSystem(), verdictsCodeSystem());
    }

    private static CodeSystem header(String url, String name, String title, String description) {
        CodeSystem cs = new CodeSystem();
        cs.setId(url.substring(url.lastIndexOf('/') + 1));
        cs.setUrl(url).setVersion(VERSION).setName(name).setTitle(title).setStatus(PublicationStatus.ACTIVE)
                .setExperimental(false).setPublisher("dermatrend").setDescription(description).setCaseSensitive(true)
                .setContent(CodeSystemContentMode.COMPLETE);
        return cs;
    }

    private static void property(ConceptDefinitionComponent c, String code, org.hl7.fhir.r4.model.Type value) {
        c.addProperty().setCode(code).setValue(value);
    }
}
