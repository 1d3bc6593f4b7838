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
     * Every number of the compared sections present in both scores, keyed by its dotted path
     * ({@code pores.meanDiameterMm}). Fields in pixels ({@code …Px}) are left out: the two photos'
     * pixels differ in size whenever the camera moved; their mm counterparts are comparable.
     */
    public static Map<String, ChangeInfo> between(JsonNode before, JsonNode after) {
        Map<String, ChangeInfo> out = new LinkedHashMap<>();
        for (String section : SECTIONS) {
            JsonNode b = before.get(section);
            JsonNode a = after.get(section);
            if (b == null || a == null || !b.isObject()) {
                continue;
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                JsonNode bv = b.get(field);
                JsonNode av = a.get(field);
                if (field.endsWith("Px") || bv == null || av == null || !bv.isNumber() || !av.isNumber()) {
                    continue;
                }
                double x = bv.asDouble();
                double y = av.asDouble();
                out.put(section + "." + field, new ChangeInfo(x, y, round(y - x), x == 0 ? null : round(100 * (y - x) / Math.abs(x))));
            }
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
