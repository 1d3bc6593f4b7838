package org.dermatrend.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dermatrend.metric.MetricKey;

/**
 * One metric's change from the baseline to the follow-up, both measured on the region they share.
 *
 * @param before   the baseline's value
 * @param after    the follow-up's value
 * @param absolute after − before, in the metric's units
 * @param percent  100 · (after − before) / |before|, null when before is 0
 */
public record ChangeInfo(double before, double after, double absolute, Double percent) {

    /**
     * Every metric present in both scores ({@link ScoreInfo#metrics}), before → after, keyed by the
     * metric's JSON name in {@link MetricKey} order.
     */
    public static Map<String, ChangeInfo> between(ScoreInfo before, ScoreInfo after) {
        Map<String, ChangeInfo> out = new LinkedHashMap<>();
        Map<MetricKey, Double> a = after.metrics();
        before.metrics().forEach((key, x) -> {
            Double y = a.get(key);
            if (y != null) {
                out.put(key.json(), new ChangeInfo(x, y, round(y - x), x == 0 ? null : round(100 * (y - x) / Math.abs(x))));
            }
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
