package org.dermatrend.measure;

/**
 * Settings of {@link PoreDetector}; docs/metrics.md says how each was chosen.
 *
 * @param minDiameterMm    smallest pore reported (pores are 0.05–0.5 mm)
 * @param maxDiameterMm    largest pore reported; larger dark round spots are scars or lesions
 * @param seedContrast     a candidate is darker than its surroundings by at least this much, in
 *                         natural-log luminance (0.10 ≈ 10 % darker)
 * @param minPeakContrast  a pore's darkest point is at least this much darker than its surroundings
 * @param maxElongation    largest ratio of a pore's long to short axis (hair and lines are longer)
 * @param backgroundMm     width of the top-hat that estimates the skin around a pore; wider than any pore
 * @param workingMmPerPx   photos finer than this are downsampled to it first (pores stay ≥ 2.5 px)
 * @param fallbackMmPerPx  scale assumed for the sizes above when the photo has none
 * @param blobContrast     least scale-normalised Laplacian response of a pore's centre, in contrast units
 *                         (a disc of contrast c answers 0.74·c)
 * @param blobNoiseFactor  that response is also at least this many robust standard deviations of the
 *                         response over the skin at its scale
 */
public record ConfigPores(double minDiameterMm, double maxDiameterMm, double seedContrast, double minPeakContrast,
                          double maxElongation, double backgroundMm, double workingMmPerPx, double fallbackMmPerPx,
                          double blobContrast, double blobNoiseFactor) {

    public ConfigPores {
        if (!(minDiameterMm > 0 && minDiameterMm < maxDiameterMm && maxDiameterMm < backgroundMm)) {
            throw new IllegalArgumentException("need 0 < minDiameterMm < maxDiameterMm < backgroundMm");
        }
        if (!(seedContrast > 0 && minPeakContrast >= seedContrast && maxElongation >= 1 && workingMmPerPx > 0
                && fallbackMmPerPx > 0 && blobContrast > 0 && blobNoiseFactor >= 0)) {
            throw new IllegalArgumentException("pore contrasts, elongation and scales must be positive (peak ≥ seed)");
        }
    }

    public static ConfigPores defaults() {
        return new ConfigPores(0.04, 0.6, 0.08, 0.16, 2.0, 0.7, 0.02, 0.025, 0.08, 4.0);
    }

    /** A copy with another {@code minDiameterMm}: smallest pore reported, mm. */
    public ConfigPores withMinDiameterMm(double minDiameterMm) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /** A copy with another {@code maxDiameterMm}: largest pore reported, mm. */
    public ConfigPores withMaxDiameterMm(double maxDiameterMm) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /**
     * A copy with another {@code seedContrast}: least darkness of a candidate against its surroundings, natural-log luminance.
     */
    public ConfigPores withSeedContrast(double seedContrast) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /**
     * A copy with another {@code minPeakContrast}: least darkness of a pore's darkest point against its
     * surroundings, natural-log luminance.
     */
    public ConfigPores withMinPeakContrast(double minPeakContrast) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /** A copy with another {@code maxElongation}: largest ratio of a pore's long to short axis. */
    public ConfigPores withMaxElongation(double maxElongation) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /** A copy with another {@code backgroundMm}: width of the top-hat that estimates the surrounding skin, mm. */
    public ConfigPores withBackgroundMm(double backgroundMm) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /** A copy with another {@code workingMmPerPx}: scale finer photos are downsampled to first, mm per pixel. */
    public ConfigPores withWorkingMmPerPx(double workingMmPerPx) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /** A copy with another {@code fallbackMmPerPx}: scale assumed when the photo has none, mm per pixel. */
    public ConfigPores withFallbackMmPerPx(double fallbackMmPerPx) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /** A copy with another {@code blobContrast}: least blob response of a pore's centre, contrast units. */
    public ConfigPores withBlobContrast(double blobContrast) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }

    /** A copy with another {@code blobNoiseFactor}: least multiple of the response's robust SD over the skin. */
    public ConfigPores withBlobNoiseFactor(double blobNoiseFactor) {
        return new ConfigPores(minDiameterMm, maxDiameterMm, seedContrast, minPeakContrast, maxElongation, backgroundMm,
                workingMmPerPx, fallbackMmPerPx, blobContrast, blobNoiseFactor);
    }
}
