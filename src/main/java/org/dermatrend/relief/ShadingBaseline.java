package org.dermatrend.relief;

import java.util.List;
import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The OpenCV-only baseline the network must beat: depth read from darkness. A scar is a pit, and a pit
 * is darker than the skin around it (its far wall faces away from the light, its floor is partly in
 * shadow), so the baseline takes the luminance of the shading image (the log ratio to the 3 mm
 * surroundings, so skin tone and white balance are gone), smooths it over 0.25 mm so that pores
 * fade, and calls every darkening a depression of {@code gainMm} mm per unit of log darkness. The gain
 * is fitted by least squares on training patches (the same renderer and randomisation the network
 * learns from), so the comparison is between methods, not between data.
 */
public final class ShadingBaseline implements ReliefMethod {
    /** Smoothing that removes pores before darkness is read, mm. */
    static final double SMOOTHING_MM = 0.25;
    /** Pixels deeper than this in truth are the ones the gain is fitted on. */
    static final double SCAR_PIXEL_MM = 0.02;
    private final double gainMm;

    /** @param gainMm depth in mm per unit of smoothed log darkness (see {@link #fitGain}) */
    public ShadingBaseline(double gainMm) {
        if (!(gainMm > 0)) {
            throw new IllegalArgumentException("gainMm must be positive, got " + gainMm);
        }
        this.gainMm = gainMm;
    }

    public double gainMm() {
        return gainMm;
    }

    @Override
    public Mat depthMm(Mat shading) {
        try (MatScope scope = new MatScope()) {
            Mat dark = scope.track(darkness(shading));
            Mat out = new Mat();
            Core.multiply(dark, new Scalar(gainMm), out);
            return out;
        }
    }

    @Override
    public String name() {
        return "baseline";
    }

    /** Smoothed log darkness ≥ 0 ({@code CV_32FC1}): minus the mean of the shading channels, divided by the input gain. */
    static Mat darkness(Mat shading) {
        try (MatScope scope = new MatScope()) {
            Mat grey = scope.mat();
            Imgproc.cvtColor(shading, grey, Imgproc.COLOR_BGR2GRAY);
            Mat smooth = scope.mat();
            Imgproc.GaussianBlur(grey, smooth, new Size(0, 0), SMOOTHING_MM / ReliefInput.MM_PER_PX);
            Mat out = new Mat();
            Core.multiply(smooth, new Scalar(-1 / ReliefInput.GAIN), out);
            Core.max(out, new Scalar(0), out);
            return out;
        }
    }

    /**
     * One square patch with its true relief, as the training code renders them.
     * {@code input()} is the network's input, 3 planes (channel-major) of side × side shading;
     * {@code depthMm()} the true depth below the surrounding skin, side × side, mm.
     */
    public interface Sample {
        float[] input();

        float[] depthMm();
    }

    /**
     * The least-squares gain between darkness and true scar depth over the pixels inside scars (true
     * depth above 0.02 mm), on the given training patches: the gain that serves the depth inside scars
     * best, which is what the evaluation scores first.
     */
    public static double fitGain(List<? extends Sample> patches) {
        double sxy = 0;
        double sxx = 0;
        for (Sample patch : patches) {
            int p = (int) Math.round(Math.sqrt(patch.depthMm().length));
            try (MatScope scope = new MatScope()) {
                float[] chw = patch.input();
                float[] hwc = new float[chw.length];
                int plane = p * p;
                for (int i = 0; i < plane; i++) {
                    hwc[3 * i] = chw[i];
                    hwc[3 * i + 1] = chw[plane + i];
                    hwc[3 * i + 2] = chw[2 * plane + i];
                }
                Mat shading = scope.track(new Mat(p, p, CvType.CV_32FC3));
                shading.put(0, 0, hwc);
                Mat dark = scope.track(darkness(shading));
                float[] x = new float[plane];
                dark.get(0, 0, x);
                float[] y = patch.depthMm();
                for (int i = 0; i < plane; i++) {
                    if (y[i] > SCAR_PIXEL_MM) {
                        sxy += x[i] * y[i];
                        sxx += x[i] * x[i];
                    }
                }
            }
        }
        if (sxx <= 0) {
            throw new IllegalArgumentException("the patches hold no darkness to fit a gain to");
        }
        return sxy / sxx;
    }
}
