package org.dermatrend.align;

import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * What two session photos share, with what differs between sessions taken out: the log of grey
 * brightness (a light or exposure change becomes an offset), high-passed (shading, redness patches
 * and white balance vary slowly), and only its clearly dark details kept. What is left is pores, hair, lines and texture, the features alignment matches on.
 */
final class StructureImage {
    /** Values are clipped to ±this many units. */
    private static final double CLIP = 3.0;
    /** Darkening within this many robust standard deviations of the fine contrast is left out as shading. */
    private static final double DEAD_ZONE_SIGMAS = 2.5;
    /** Floor of that σ (natural log): 8-bit quantisation and noise of a very flat photo. */
    private static final double MIN_SIGMA = 0.01;

    private StructureImage() {
    }

    /**
     * @param bgr8   an upright {@code CV_8UC3} photo (BGR)
     * @param scale  the working copy's size relative to the photo (≤ 1)
     * @return {@code CV_32FC1} structure at {@code scale}, 0 where the skin is not clearly darker than its
     *         surround, else minus one unit per σ of extra darkness, down to −3; the caller owns it
     */
    static Mat compute(Mat bgr8, double scale) {
        try (MatScope scope = new MatScope()) {
            Mat grey = scope.mat();
            Imgproc.cvtColor(bgr8, grey, Imgproc.COLOR_BGR2GRAY);
            Mat small = grey;
            if (scale < 1) {
                small = scope.mat();
                Imgproc.resize(grey, small, new Size(Math.max(1, Math.round(bgr8.cols() * scale)),
                        Math.max(1, Math.round(bgr8.rows() * scale))), 0, 0, Imgproc.INTER_AREA);
            }
            Mat f = scope.mat();
            small.convertTo(f, CvType.CV_32F, 1, 1);
            Core.log(f, f);
            // Background over about 1/120 of the long side (10 px at 1200 px): shading, redness patches and
            // white balance vary more slowly than that.
            double sigma = Math.max(2.0, Math.max(small.cols(), small.rows()) / 120.0);
            Mat background = scope.mat();
            Imgproc.GaussianBlur(f, background, new Size(0, 0), sigma);
            Mat out = new Mat();
            Core.subtract(f, background, out);
            // Only what is clearly darker than its surround: pores, hair, lines and spots are pigment or
            // openings and stay put when the light moves; the fine relief shading turns over with the light.
            // "Clearly" is relative to the photo's own fine contrast σ (a robust standard deviation of the
            // high-pass): a dead zone of DEAD_ZONE_SIGMAS·σ, then one unit per σ.
            double sd = Math.max(MIN_SIGMA, robustSigma(out));
            Core.add(out, new Scalar(DEAD_ZONE_SIGMAS * sd), out);
            Core.multiply(out, new Scalar(1 / sd), out);
            Core.min(out, new Scalar(0), out);
            Core.max(out, new Scalar(-CLIP), out);
            return out;
        }
    }

    /** 1.4826 × the median absolute value of a zero-centred {@code CV_32F} image (every 7th pixel). */
    private static double robustSigma(Mat highPass) {
        float[] all = new float[(int) highPass.total()];
        highPass.get(0, 0, all);
        int n = (all.length + 6) / 7;
        float[] sample = new float[n];
        for (int i = 0, j = 0; i < all.length && j < n; i += 7, j++) {
            sample[j] = Math.abs(all[i]);
        }
        java.util.Arrays.sort(sample);
        return 1.4826 * sample[n / 2];
    }

    /** An 8-bit copy of a structure image for feature detectors (0 at 128, −3 units at 8). */
    static Mat to8Bit(Mat structure) {
        Mat out = new Mat();
        structure.convertTo(out, CvType.CV_8U, 40, 128);
        return out;
    }
}
