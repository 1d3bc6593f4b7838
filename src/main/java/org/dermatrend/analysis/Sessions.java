package org.dermatrend.analysis;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.trend.TrendBuilder;
import org.dermatrend.wire.AnalysisResult;
import org.dermatrend.wire.ScoreInfo;
import org.dermatrend.wire.TrendInfo;

/**
 * An area's analyses → the sessions a trend is built from, the same for the CLI (analysed on the spot)
 * and the service (read from the store). The baseline is the first session, by date, whose analysis is a
 * baseline that passed; sessions before it are listed with their reason. A follow-up's values are its
 * score on the skin it shares with the baseline, anchored to the baseline's own value
 * ({@link TrendBuilder#anchored}); a follow-up measured against another photo than the trend's baseline
 * (its area gained an earlier usable photo since) is listed as {@code baseline_changed}, one whose
 * baseline is still being analysed as {@code baseline_pending}.
 */
public final class Sessions {
    private Sessions() {
    }

    /**
     * One session's photo and how its analysis ended.
     *
     * @param photo      the name results use for it (a file name, or the photo id)
     * @param sessionId  the stored session, or null (CLI)
     * @param analysisId the stored analysis, or null (CLI)
     * @param state      the stored analysis' state, or null (CLI)
     * @param result     the result, when the analysis is done
     * @param reason     why there is no result (an outcome's {@link Outcome#reason()} or the analysis' state)
     */
    public record Entry(LocalDate date, String photo, String sessionId, String analysisId, String state, boolean postTreatment,
                        AnalysisResult result, String reason) {
    }

    /** The entry of an outcome analysed on the spot. */
    public static Entry of(LocalDate date, String photo, boolean postTreatment, Outcome<AnalysisResult> outcome) {
        return new Entry(date, photo, null, null, null, postTreatment, outcome.done() ? outcome.valueOrNull() : null,
                outcome.reason());
    }

    /** The sessions, in the order given (date order). */
    public static List<TrendInfo.Session> assemble(List<Entry> entries) {
        List<TrendInfo.Session> out = new ArrayList<>();
        Map<MetricKey, Double> baselineOwn = null;
        String baselinePhoto = null;
        boolean pendingBefore = false;
        for (Entry e : entries) {
            Map<String, Double> values = null;
            String reason = e.reason();
            List<String> warnings = null;
            AnalysisResult r = e.result();
            if (r != null) {
                warnings = warnings(r.score());
                Map<MetricKey, Double> own = r.score().metrics();
                if (r.baseline()) {
                    if (baselineOwn == null) {
                        baselineOwn = own;
                        baselinePhoto = r.baselinePhotoId();
                        values = MetricKey.byJson(own);
                    } else {
                        reason = "second_baseline";
                    }
                } else if (baselineOwn == null) {
                    reason = pendingBefore ? "baseline_pending" : "baseline_not_usable";
                } else if (!r.baselinePhotoId().equals(baselinePhoto)) {
                    reason = "baseline_changed";
                } else {
                    values = MetricKey.byJson(TrendBuilder.anchored(baselineOwn, r.baselineScore().metrics(), own));
                }
            }
            pendingBefore |= r == null && ("queued".equals(e.state()) || "running".equals(e.state()));
            out.add(new TrendInfo.Session(e.date(), e.photo(), e.sessionId(), e.analysisId(), e.state(), values != null,
                    values != null ? null : reason, e.postTreatment(), values != null ? warnings : null, values));
        }
        return out;
    }

    /** The codes of the quality gate's warnings (not failures) in a score, or null when none. */
    static List<String> warnings(ScoreInfo score) {
        if (score == null || score.quality() == null) {
            return null;
        }
        List<String> w = score.quality().issues().stream().filter(i -> i.severity().equals("warning")).map(i -> i.code()).toList();
        return w.isEmpty() ? null : w;
    }
}
