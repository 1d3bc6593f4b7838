package org.dermatrend.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric's change from the baseline to the follow-up, both measured on the region they share.
 *
 * @param before   the baseline's value
 * @param after    the follow-up's value
 * @param absolute after − before, in the metric's units
 * @param percent  100 · (after − before) / |before|, null when before is 0
 */
public record ChangeInfo(double before, double after, double absolute, Double percent) {

    /** Score sections whose numbers are compared. */
    private static final String[] SECTIONS = {"pores", "redness", "scars"};

    /**
     * The comparable numbers of a score, keyed by dotted path ({@code pores.meanDiameterMm}): every
     * number in the compared sections except fields in pixels ({@code …Px}), which differ in size
     * whenever the camera moved (their mm counterparts are comparable). Nulls are left out.
     */
    public static Map<String, Double> metrics(JsonNode score) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String section : SECTIONS) {
            JsonNode s = score.get(section);
            if (s == null || !s.isObject()) {
                continue;
            }
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                JsonNode v = s.get(field);
                if (!field.endsWith("Px") && v.isNumber()) {
                    out.put(section + "." + field, v.asDouble());
                }
            }
        }
        return out;
    }

    /** Every metric present in both scores (see {@link #metrics}), before → after. */
    public static Map<String, ChangeInfo> between(JsonNode before, JsonNode after) {
        Map<String, ChangeInfo> out = new LinkedHashMap<>();
        Map<String, Double> a = metrics(after);
        metrics(before).forEach((key, x) -> {
            Double y = a.get(key);
            if (y != null) {
                out.put(key, new ChangeInfo(x, y, round(y - x), x == 0 ? null : round(100 * (y - x) / Math.abs(x))));
            }
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
