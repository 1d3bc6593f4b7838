package org.dermatrend.measure;

/**
 * Settings of {@link RednessMeter}.
 *
 * @param redHaemoglobinIndex haemoglobin index at and above which skin counts as red (areaFraction);
 *                            0.85 a.u. ≈ 0.25 above the phantoms' default base haemoglobin, i.e. about
 *                            the middle of an erythema patch (docs/metrics.md)
 * @param smoothingMm         σ of the smoothing before the per-pixel red/not-red decision
 * @param fallbackMmPerPx     scale assumed for {@code smoothingMm} when the photo has none
 */
public record ConfigRedness(double redHaemoglobinIndex, double smoothingMm, double fallbackMmPerPx) {

    public ConfigRedness {
        if (!(smoothingMm >= 0 && fallbackMmPerPx > 0) || Double.isNaN(redHaemoglobinIndex)) {
            throw new IllegalArgumentException("redness settings out of range");
        }
    }

    public static ConfigRedness defaults() {
        return new ConfigRedness(0.85, 0.25, 0.025);
    }

    /** A copy with another {@code redHaemoglobinIndex}: haemoglobin index (a.u.) at and above which skin counts as red. */
    public ConfigRedness withRedHaemoglobinIndex(double redHaemoglobinIndex) {
        return new ConfigRedness(redHaemoglobinIndex, smoothingMm, fallbackMmPerPx);
    }

    /** A copy with another {@code smoothingMm}: σ of the smoothing before the red/not-red decision, mm. */
    public ConfigRedness withSmoothingMm(double smoothingMm) {
        return new ConfigRedness(redHaemoglobinIndex, smoothingMm, fallbackMmPerPx);
    }

    /** A copy with another {@code fallbackMmPerPx}: scale assumed for smoothingMm when the photo has none, mm per pixel. */
    public ConfigRedness withFallbackMmPerPx(double fallbackMmPerPx) {
        return new ConfigRedness(redHaemoglobinIndex, smoothingMm, fallbackMmPerPx);
    }
}
