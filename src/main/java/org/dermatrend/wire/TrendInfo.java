package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * An area's measurements across its sessions, in session order: the series a trend is read from.
 * Each usable session's values are the metrics of its analysis on the region it shares with the
 * baseline (the baseline's own values on its region); sessions without a finished analysis are
 * listed with their state or failure and left out of the series.
 *
 * @param metrics per metric key (a dotted path of the score object, e.g. {@code pores.meanDiameterMm}),
 *                the values of the usable sessions in order (null where that session has no value)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrendInfo(String areaId, String patientId, String areaName, String baselinePhotoId, List<Entry> sessions,
                        Map<String, List<Double>> metrics, List<String> notes) {

    /**
     * One photo of the area.
     *
     * @param usable  whether its values are in {@code metrics}
     * @param reason  why not, when not: the analysis' state ({@code queued}, {@code running}) or failure code
     * @param values  its metrics when usable
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String sessionId, LocalDate date, String photoId, String analysisId, String state, boolean usable,
                        String reason, Map<String, Double> values) {
    }
}
