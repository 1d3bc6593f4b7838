package org.dermatrend.prepare;

import org.dermatrend.calibrate.Calibration;
import org.dermatrend.mask.SkinMask;
import org.dermatrend.quality.QualityReport;
import org.opencv.core.Mat;

/**
 * A photo ready to measure: calibrated linear pixels, the skin mask, and the quality verdict.
 * Owns {@link #linear()} and {@link #mask()}; the decoded photo it came from stays the caller's.
 */
public final class PreparedPhoto implements AutoCloseable {
    private final Mat linear;
    private final SkinMask mask;
    private final Calibration calibration;
    private final QualityReport quality;
    private final PhotoContext context;
    private boolean pixelsReleased;

    PreparedPhoto(Mat linear, SkinMask mask, Calibration calibration, QualityReport quality, PhotoContext context) {
        this.linear = linear;
        this.mask = mask;
        this.calibration = calibration;
        this.quality = quality;
        this.context = context;
    }

    /**
     * {@code CV_32FC3} BGR linear light, calibrated when {@link Calibration#calibrated()}.
     *
     * @throws IllegalStateException after {@link #releasePixels}
     */
    public Mat linear() {
        if (pixelsReleased) {
            throw new IllegalStateException("the prepared photo's pixels were released after it was measured");
        }
        return linear;
    }

    /** Frees the calibrated pixels early (the mask, calibration and quality stay), once nothing will read them. */
    public void releasePixels() {
        pixelsReleased = true;
        linear.release();
    }

    public SkinMask mask() {
        return mask;
    }

    public Calibration calibration() {
        return calibration;
    }

    public QualityReport quality() {
        return quality;
    }

    public PhotoContext context() {
        return context;
    }

    @Override
    public void close() {
        linear.release();
        mask.close();
    }
}
