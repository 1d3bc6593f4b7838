package org.dermatrend.mask;

import org.opencv.core.Mat;

/**
 * Where a photo shows measurable skin, and what was left out. Pixel counts are within the frame
 * (the region of interest when given, else the whole photo, less transparent pixels), counted at
 * the scale the mask was computed at (a photo finer than 0.02 mm/px is masked on a downsampled copy):
 * use the fractions, which do not depend on it.
 *
 * <p>Owns {@link #mask()} ({@code CV_8UC1}, 255 = skin, the photo's size) and {@link #lightness()}
 * ({@code CV_32FC1}, CIELAB L* of the calibrated linear image, at the scale the mask was computed at:
 * the photo's size, or smaller for photos finer than 0.02 mm/px): close it.
 */
public final class SkinMask implements AutoCloseable {
    private final Mat mask;
    private final Mat lightness;
    private final long framePx;
    private final long skinPx;
    private final long glarePx;
    private final long shadowPx;
    private final long hairPx;
    private final long skinColouredPx;
    private final double medianSkinLightness;

    SkinMask(Mat mask, Mat lightness, long framePx, long skinPx, long glarePx, long shadowPx, long hairPx,
             long skinColouredPx, double medianSkinLightness) {
        this.mask = mask;
        this.lightness = lightness;
        this.framePx = framePx;
        this.skinPx = skinPx;
        this.glarePx = glarePx;
        this.shadowPx = shadowPx;
        this.hairPx = hairPx;
        this.skinColouredPx = skinColouredPx;
        this.medianSkinLightness = medianSkinLightness;
    }

    public Mat mask() {
        return mask;
    }

    public Mat lightness() {
        return lightness;
    }

    /** Pixels considered at all (ROI ∩ opaque). */
    public long framePx() {
        return framePx;
    }

    /** Pixels in the final mask. */
    public long skinPx() {
        return skinPx;
    }

    /** Share of the frame that is measurable skin, 0..1. */
    public double skinFraction() {
        return framePx == 0 ? 0 : skinPx / (double) framePx;
    }

    /** Glare pixels (clipped or near-white) within the skin-coloured region, as a share of that region. */
    public double glareFraction() {
        return skinColouredPx == 0 ? 0 : glarePx / (double) skinColouredPx;
    }

    /** Deep-shadow pixels within the skin-coloured region, as a share of it. */
    public double shadowFraction() {
        return skinColouredPx == 0 ? 0 : shadowPx / (double) skinColouredPx;
    }

    /** Hair pixels within the skin-coloured region, as a share of it. */
    public double hairFraction() {
        return skinColouredPx == 0 ? 0 : hairPx / (double) skinColouredPx;
    }

    long glarePxCount() {
        return glarePx;
    }

    long shadowPxCount() {
        return shadowPx;
    }

    long hairPxCount() {
        return hairPx;
    }

    long skinColouredPxCount() {
        return skinColouredPx;
    }

    /** Median L* of skin-coloured pixels (before glare, hair and shadow are removed). */
    public double medianSkinLightness() {
        return medianSkinLightness;
    }

    @Override
    public void close() {
        mask.release();
        lightness.release();
    }
}
