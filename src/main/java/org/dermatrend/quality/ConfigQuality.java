package org.dermatrend.quality;

/**
 * Thresholds of the quality gate; docs/metrics.md says how each was chosen.
 *
 * @param maxEdgeBlurPx            largest edge blur σ, pixels at 0.025 mm/px (native pixels without a scale)
 * @param maxHighlightsClipped     largest share of frame pixels with a channel at 250 or more
 * @param maxShadowsClipped        largest share of frame pixels with every channel at 5 or less
 * @param minSkinLightness         least median skin L* without a grey card
 * @param maxSkinLightness         largest median skin L* without a grey card
 * @param minCardLightness         least grey-card L* (an 18 % card reads 49.5 when well exposed)
 * @param maxCardLightness         largest grey-card L*
 * @param maxIlluminationVariation largest (p95 − p5) / median of the large-scale skin luminance
 * @param maxGlareFraction         largest share of skin-coloured pixels that are glare
 * @param minSkinFraction          least share of the frame that is measurable skin
 * @param maxMmPerPx               coarsest scale that still resolves pores (0.05 mm pores need ≤ 0.1 mm/px)
 */
public record ConfigQuality(double maxEdgeBlurPx, double maxHighlightsClipped, double maxShadowsClipped,
                            double minSkinLightness, double maxSkinLightness, double minCardLightness,
                            double maxCardLightness, double maxIlluminationVariation, double maxGlareFraction,
                            double minSkinFraction, double maxMmPerPx) {

    public ConfigQuality {
        if (maxEdgeBlurPx <= 0 || maxHighlightsClipped <= 0 || maxShadowsClipped <= 0
                || minSkinLightness >= maxSkinLightness || minCardLightness >= maxCardLightness
                || maxIlluminationVariation <= 0 || maxGlareFraction <= 0 || minSkinFraction <= 0 || minSkinFraction > 1
                || maxMmPerPx <= 0) {
            throw new IllegalArgumentException("quality thresholds out of range");
        }
    }

    /**
     * Largest edge blur (px at 0.025 mm/px) at which pores are measured (docs/metrics.md §4). Blur makes pores
     * read larger, type VI twice as fast as light skin; the edge-blur estimate also reads 0.77–0.89 on the
     * project's own sharp treatment-course photos (scar walls and resampling count as blur), so a limit at the
     * diameter's MDC would withhold pores on sharp photos. 1.0 halves the worst bias the 1.5 limit let through
     * (light skin +0.016 mm, type VI about +0.035 mm at it, against +0.06 and +0.08 at 1.5). A photo between
     * this and {@code maxEdgeBlurPx} passes for redness and scars with the warning {@code blurred_for_pores}, and
     * its pore numbers are withheld. Sizes corrected for blur are what would close the gap.
     */
    public static final double MAX_PORE_BLUR_PX = 1.0;

    /**
     * Largest illumination variation at which CIELAB a* and ITA° are reported (docs/metrics.md §4). Neither is a
     * ratio: both follow the light, and a* moved 1.5-3 MDCs on average at 0.6-0.85 on phantoms and real close-ups
     * given a light falloff. The erythema and haemoglobin indices, pores and scars are measured against the local
     * background or as ratios, and stayed within their MDCs up to {@code maxIlluminationVariation} (0.85; beyond it
     * type VI skin loses pores in the dark side, 1.2x the density's MDC at 0.93): a photo between the two passes
     * with the warning {@code uneven_for_a_star}.
     */
    public static final double MAX_A_STAR_ILLUMINATION_VARIATION = 0.60;

    public static ConfigQuality defaults() {
        return new ConfigQuality(1.5, 0.02, 0.05, 22, 90, 30, 70, 0.85, 0.03, 0.30, 0.10);
    }

    /** A copy with another {@code maxEdgeBlurPx}: largest edge blur σ, pixels at 0.025 mm/px. */
    public ConfigQuality withMaxEdgeBlurPx(double maxEdgeBlurPx) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code maxHighlightsClipped}: largest share of frame pixels with a channel at 250 or more. */
    public ConfigQuality withMaxHighlightsClipped(double maxHighlightsClipped) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code maxShadowsClipped}: largest share of frame pixels with every channel at 5 or less. */
    public ConfigQuality withMaxShadowsClipped(double maxShadowsClipped) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code minSkinLightness}: least median skin L* (0..100) without a grey card. */
    public ConfigQuality withMinSkinLightness(double minSkinLightness) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code maxSkinLightness}: largest median skin L* (0..100) without a grey card. */
    public ConfigQuality withMaxSkinLightness(double maxSkinLightness) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code minCardLightness}: least grey-card L* (0..100). */
    public ConfigQuality withMinCardLightness(double minCardLightness) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code maxCardLightness}: largest grey-card L* (0..100). */
    public ConfigQuality withMaxCardLightness(double maxCardLightness) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code maxIlluminationVariation}: largest (p95 − p5) / median of the large-scale skin luminance. */
    public ConfigQuality withMaxIlluminationVariation(double maxIlluminationVariation) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code maxGlareFraction}: largest share of skin-coloured pixels that are glare. */
    public ConfigQuality withMaxGlareFraction(double maxGlareFraction) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code minSkinFraction}: least share of the frame that is measurable skin, (0, 1]. */
    public ConfigQuality withMinSkinFraction(double minSkinFraction) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }

    /** A copy with another {@code maxMmPerPx}: coarsest scale accepted, mm per pixel. */
    public ConfigQuality withMaxMmPerPx(double maxMmPerPx) {
        return new ConfigQuality(maxEdgeBlurPx, maxHighlightsClipped, maxShadowsClipped, minSkinLightness, maxSkinLightness,
                minCardLightness, maxCardLightness, maxIlluminationVariation, maxGlareFraction, minSkinFraction, maxMmPerPx);
    }
}
