package org.dermatrend.mask;

/**
 * Settings of {@link SkinMasker}. Sizes in mm are converted with the photo's scale; without a scale
 * the pixel fallbacks apply (they assume about 0.025 mm per pixel, a close-up 40 mm across at 1600 px).
 *
 * @param minHueDeg        skin hue lower bound, CIELAB hue angle in degrees (may be negative: −25 = 335°)
 * @param maxHueDeg        skin hue upper bound; skin of every Fitzpatrick type sits around 20–80°
 * @param minChroma        least CIELAB chroma of skin; below it is grey (card, paper, clipped)
 * @param glareLightness   L* above which a low-chroma pixel is specular glare (DOMAIN.md: ~92)
 * @param glareMaxChroma   chroma below which a very light pixel counts as glare
 * @param clipCode         8-bit code value at or above which a channel is clipped
 * @param shadowRatio      deep shadow: darker than this share of the median skin L*
 * @param shadowMinMm      deep shadow must be at least this wide, so pores are never taken for shadow
 * @param hairKernelMm     width of the black-hat that finds thin dark strands
 * @param hairContrast     strand darker than its surroundings by this share of the median skin L*
 * @param lightHairContrast a light strand is brighter than its surroundings by this share of the median skin L*
 * @param hairMinLengthMm  a strand at least this long is hair (pores are at most 0.5 mm)
 * @param fallbackMmPerPx  scale assumed for these sizes when the photo has none
 */
public record ConfigSkinMask(double minHueDeg, double maxHueDeg, double minChroma, double glareLightness,
                             double glareMaxChroma, int clipCode, double shadowRatio, double shadowMinMm,
                             double hairKernelMm, double hairContrast, double lightHairContrast, double hairMinLengthMm,
                             double fallbackMmPerPx) {

    public ConfigSkinMask {
        if (!(minHueDeg < maxHueDeg) || maxHueDeg - minHueDeg > 360) {
            throw new IllegalArgumentException("hue range must satisfy min < max within 360 degrees");
        }
        if (minChroma < 0 || glareLightness <= 0 || glareLightness > 100 || clipCode < 1 || clipCode > 255) {
            throw new IllegalArgumentException("chroma, glare lightness or clip code out of range");
        }
        if (shadowRatio <= 0 || shadowRatio >= 1 || shadowMinMm <= 0 || hairKernelMm <= 0 || hairContrast <= 0 || lightHairContrast <= 0
                || hairMinLengthMm <= 0 || fallbackMmPerPx <= 0) {
            throw new IllegalArgumentException("shadow and hair settings must be positive (shadowRatio below 1)");
        }
    }

    public static ConfigSkinMask defaults() {
        return new ConfigSkinMask(-25, 110, 5, 92, 15, 250, 0.35, 1.2, 0.35, 0.35, 0.12, 1.0, 0.025);
    }

    /** A copy with another {@code minHueDeg}: skin hue lower bound, CIELAB hue angle in degrees (may be negative). */
    public ConfigSkinMask withMinHueDeg(double minHueDeg) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code maxHueDeg}: skin hue upper bound, CIELAB hue angle in degrees. */
    public ConfigSkinMask withMaxHueDeg(double maxHueDeg) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code minChroma}: least CIELAB chroma of skin. */
    public ConfigSkinMask withMinChroma(double minChroma) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code glareLightness}: L* (0..100) above which a low-chroma pixel is glare. */
    public ConfigSkinMask withGlareLightness(double glareLightness) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code glareMaxChroma}: chroma below which a very light pixel counts as glare. */
    public ConfigSkinMask withGlareMaxChroma(double glareMaxChroma) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code clipCode}: 8-bit code value (1..255) at or above which a channel is clipped. */
    public ConfigSkinMask withClipCode(int clipCode) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code shadowRatio}: deep shadow is darker than this share of the median skin L*, (0, 1). */
    public ConfigSkinMask withShadowRatio(double shadowRatio) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code shadowMinMm}: least width of a deep shadow, mm. */
    public ConfigSkinMask withShadowMinMm(double shadowMinMm) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code hairKernelMm}: width of the black-hat that finds thin dark strands, mm. */
    public ConfigSkinMask withHairKernelMm(double hairKernelMm) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code hairContrast}: darkness of a strand against its surroundings, share of the median skin L*. */
    public ConfigSkinMask withHairContrast(double hairContrast) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /**
     * A copy with another {@code lightHairContrast}: brightness of a light strand against its surroundings,
     * share of the median skin L*.
     */
    public ConfigSkinMask withLightHairContrast(double lightHairContrast) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code hairMinLengthMm}: least length of a strand that is hair, mm. */
    public ConfigSkinMask withHairMinLengthMm(double hairMinLengthMm) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }

    /** A copy with another {@code fallbackMmPerPx}: scale assumed when the photo has none, mm per pixel. */
    public ConfigSkinMask withFallbackMmPerPx(double fallbackMmPerPx) {
        return new ConfigSkinMask(minHueDeg, maxHueDeg, minChroma, glareLightness, glareMaxChroma, clipCode, shadowRatio,
                shadowMinMm, hairKernelMm, hairContrast, lightHairContrast, hairMinLengthMm, fallbackMmPerPx);
    }
}
