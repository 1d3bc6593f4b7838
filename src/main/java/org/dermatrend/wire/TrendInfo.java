package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * An area's trend: its sessions and, per rated metric, the series, the change since baseline, the
 * slope per 30 days with its 95 % interval, the minimal detectable change and a verdict. The same
 * object from {@code dermatrend trend MANIFEST.json --json} and {@code GET /v1/areas/{id}/trend}.
 *
 * @param metrics per metric key (dotted path of the score), in report order
 * @param notes   what limits the trend, as {@code code: sentence}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrendInfo(String patient, String area, String areaId, LocalDate baselineDate, String baselinePhoto,
                        List<Session> sessions, Map<String, Metric> metrics, List<String> notes) {

    /**
     * One session's photo of the area.
     *
     * @param photo         the manifest's file name (CLI) or the photo id (API)
     * @param usable        whether its values are in the series
     * @param reason        why not, when not (a quality gate, alignment or intake code, or the analysis' state)
     * @param postTreatment taken 1 to 3 days after a treatment: its redness is left out by default
     * @param values        its metrics, on the skin it shares with the baseline (anchored to the baseline's own value)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Session(LocalDate date, String photo, String sessionId, String analysisId, String state, boolean usable,
                          String reason, boolean postTreatment, List<String> qualityWarnings, Map<String, Double> values) {
    }

    /**
     * One metric across the usable sessions.
     *
     * @param dates          the sessions in the series
     * @param values         the metric at those sessions (null where left out, e.g. post-treatment redness)
     * @param change         latest − baseline, in the metric's units
     * @param changePercent  100 · change / |baseline|
     * @param slopeCi95      the 95 % interval of the slope (null with fewer than three points)
     * @param mdc            the minimal detectable change (MDC95) of the metric, from the repeatability registry
     * @param verdict        {@code improving}, {@code stable}, {@code worsening} or {@code insufficient-data}
     * @param why            the verdict's reason, in one sentence
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metric(String label, String unit, String better, List<LocalDate> dates, List<Double> values,
                         Double baseline, Double latest, Double change, Double changePercent, Double slopePer30Days,
                         double[] slopeCi95, Double mdc, String verdict, String why, List<LocalDate> leftOut) {
    }
}
