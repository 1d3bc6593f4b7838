package org.dermatrend.trend;

import java.util.List;
import java.util.Optional;

/**
 * A metric a trend rates, with its good direction. Keys are dotted paths of the score object. Only
 * metrics whose direction is clear for this treatment are rated: pigment (melanin index, ITA°) is
 * reported by {@code score} but has no "better" in a mean, so trends leave it out.
 *
 * @param lowerIsBetter true for every metric here (smaller pores, less redness, shallower and fewer scars)
 */
public record RatedMetric(String key, String unit, boolean lowerIsBetter, String label) {

    /** The rated metrics, in report order. */
    public static final List<RatedMetric> ALL = List.of(
            new RatedMetric("pores.meanDiameterMm", "mm", true, "Pore diameter, mean"),
            new RatedMetric("pores.medianDiameterMm", "mm", true, "Pore diameter, median"),
            new RatedMetric("pores.p90DiameterMm", "mm", true, "Pore diameter, 90th percentile"),
            new RatedMetric("pores.densityPerCm2", "per cm²", true, "Visible pores per cm²"),
            new RatedMetric("pores.areaFraction", "fraction", true, "Skin covered by pores"),
            new RatedMetric("redness.erythemaIndex", "EI", true, "Erythema index"),
            new RatedMetric("redness.meanAStar", "a*", true, "Redness a* (CIELAB)"),
            new RatedMetric("redness.haemoglobinIndex", "OD", true, "Haemoglobin index"),
            new RatedMetric("redness.areaFraction", "fraction", true, "Red area"),
            new RatedMetric("scars.meanDepthMm", "mm", true, "Scar depth, mean"),
            new RatedMetric("scars.maxDepthMm", "mm", true, "Scar depth, deepest"),
            new RatedMetric("scars.count", "scars", true, "Scars"),
            new RatedMetric("scars.areaFraction", "fraction", true, "Scarred skin"),
            new RatedMetric("scars.volumeMm3", "mm³", true, "Scar volume"));

    public static Optional<RatedMetric> of(String key) {
        return ALL.stream().filter(m -> m.key().equals(key)).findFirst();
    }

    /** Redness metrics: a photo shortly after a treatment shows the procedure's redness. */
    public boolean isRedness() {
        return key.startsWith("redness.");
    }
}
