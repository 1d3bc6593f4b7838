package org.dermatrend.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.LabImage;
import org.dermatrend.cv.MatScope;
import org.dermatrend.optics.Chromophores;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Measures redness on linear, calibrated colour (never normalised on the skin itself).
 *
 * <ul>
 * <li><b>Erythema index</b> {@code EI = 100·(log10 R − log10 G)} per pixel, averaged (DOMAIN.md,
 * Diffey/Dawson form). A ratio of two channels, so exposure and shading cancel; a white-balance cast
 * does not, which is why a grey card matters.</li>
 * <li><b>a*</b>: mean CIELAB a* (Chromameter's measure).</li>
 * <li><b>Haemoglobin and melanin indices</b>: optical density {@code OD = −ln(RGB)} is split per
 * pixel into melanin, haemoglobin and a neutral term (shading, exposure) by inverting
 * {@code [M H 1]}, with Tsumura's haemoglobin direction and the melanin direction of
 * {@link Chromophores} (the same the phantom renderer uses). The neutral term absorbs lighting, so the indices are shading-invariant.
 * Units are optical density with an unknown constant offset (the dermis colour), so only
 * differences and trends are meaningful.</li>
 * <li><b>Red area</b>: share of skin whose haemoglobin index, smoothed over {@code smoothingMm},
 * is at least {@code redHaemoglobinIndex}.</li>
 * </ul>
 * Pore pixels are left out (their darkness is not skin colour). Photos finer than 0.02 mm/px are
 * measured on a copy resampled to it. Thread-safe.
 */
public final class RednessMeter {
    /** Photos finer than this are measured on a copy resampled to it. */
    static final double WORKING_MM_PER_PX = 0.02;
    private static final double[][] UNMIX = unmixing();

    private final ConfigRedness config;

    public RednessMeter(ConfigRedness config) {
        this.config = config;
    }

    /**
     * @param linear  calibrated linear BGR, {@code CV_32FC3}
     * @param skin    skin mask, {@code CV_8UC1}
     * @param pores   pore mask to leave out, {@code CV_8UC1}
     * @param mmPerPx scale, when known
     */
    public RednessResult measure(Mat linear, Mat skin, Mat pores, OptionalDouble mmPerPx) {
        double scale = mmPerPx.orElse(config.fallbackMmPerPx());
        if (scale >= WORKING_MM_PER_PX * 0.95) {
            return measureAtScale(linear, skin, pores, scale);
        }
        // Averages over area: measured at a fixed physical scale, so photos of different resolution agree.
        try (MatScope scope = new MatScope()) {
            double f = scale / WORKING_MM_PER_PX;
            Size small = new Size(Math.max(1, Math.round(linear.cols() * f)), Math.max(1, Math.round(linear.rows() * f)));
            Mat lin = scope.mat();
            Imgproc.resize(linear, lin, small, 0, 0, Imgproc.INTER_AREA);
            Mat s = scope.mat();
            Imgproc.resize(skin, s, small, 0, 0, Imgproc.INTER_NEAREST);
            Mat p = scope.mat();
            Imgproc.resize(pores, p, small, 0, 0, Imgproc.INTER_NEAREST);
            return measureAtScale(lin, s, p, WORKING_MM_PER_PX);
        }
    }

    private RednessResult measureAtScale(Mat linear, Mat skin, Mat pores, double scale) {
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.mat();
            Mat notPore = scope.mat();
            Core.bitwise_not(pores, notPore);
            Core.bitwise_and(skin, notPore, mask);
            long n = Core.countNonZero(mask);
            if (n == 0) {
                return new RednessResult(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            Mat safe = scope.mat();
            Core.max(linear, new Scalar(1e-4, 1e-4, 1e-4), safe);
            Mat od = scope.mat();
            Core.log(safe, od);
            // Working images are freed after their last read: the stage's peak memory is then a few of them, not all.
            scope.releaseNow(safe, notPore);
            Core.multiply(od, new Scalar(-1, -1, -1), od); // −ln B, −ln G, −ln R
            List<Mat> ch = new ArrayList<>();
            Core.split(od, ch);
            ch.forEach(scope::track);
            // EI = 100·(log10 R − log10 G) = 100/ln10 · (OD_G − OD_R)
            Mat ei = scope.mat();
            Core.subtract(ch.get(1), ch.get(2), ei);
            double erythema = Core.mean(ei, mask).val[0] * 100 / Math.log(10);
            scope.releaseNow(ei);
            ch.forEach(scope::releaseNow);

            Mat haem = scope.mat();
            Mat mel = scope.mat();
            Core.transform(od, haem, row(scope, UNMIX[1]));
            Core.transform(od, mel, row(scope, UNMIX[0]));
            double haemoglobin = Core.mean(haem, mask).val[0];
            double melanin = Core.mean(mel, mask).val[0];
            scope.releaseNow(od, mel);

            double sigma = config.smoothingMm() / scale;
            Mat smooth = haem;
            if (sigma > 0.3) {
                smooth = scope.mat();
                Imgproc.GaussianBlur(haem, smooth, new Size(0, 0), sigma);
            }
            Mat red = scope.mat();
            Imgproc.threshold(smooth, red, config.redHaemoglobinIndex(), 255, Imgproc.THRESH_BINARY);
            red.convertTo(red, CvType.CV_8U);
            Core.bitwise_and(red, mask, red);
            double redArea = Core.countNonZero(red) / (double) n;
            scope.releaseNow(haem, smooth, red);

            Mat lab = scope.track(LabImage.fromLinear(linear));
            Scalar meanLab = Core.mean(lab, mask);
            double ita = ColorMath.itaDegrees(new double[] {meanLab.val[0], meanLab.val[1], meanLab.val[2]});
            return new RednessResult(erythema, meanLab.val[1], redArea, haemoglobin, melanin, ita, n);
        }
    }

    /**
     * Per-pixel haemoglobin index of a linear BGR image ({@code CV_32FC1}, a.u.), for heat maps.
     * The caller owns the result.
     */
    public static Mat haemoglobinMap(Mat linear) {
        try (MatScope scope = new MatScope()) {
            Mat safe = scope.mat();
            Core.max(linear, new Scalar(1e-4, 1e-4, 1e-4), safe);
            Mat od = scope.mat();
            Core.log(safe, od);
            Core.multiply(od, new Scalar(-1, -1, -1), od);
            Mat haem = new Mat();
            Core.transform(od, haem, row(scope, UNMIX[1]));
            return haem;
        }
    }

    /** A 1×3 {@code CV_32F} row for {@link Core#transform} over B, G, R optical densities. */
    private static Mat row(MatScope scope, double[] rgbWeights) {
        Mat m = scope.track(new Mat(1, 3, CvType.CV_32F));
        m.put(0, 0, (float) rgbWeights[2], (float) rgbWeights[1], (float) rgbWeights[0]);
        return m;
    }

    /**
     * Rows of the inverse of {@code A = [M H 1]} (columns: melanin, haemoglobin and neutral
     * directions over R, G, B): row 0 gives melanin, row 1 haemoglobin, row 2 the neutral term.
     */
    static double[][] unmixing() {
        double[][] a = new double[3][3];
        for (int c = 0; c < 3; c++) {
            a[c][0] = Chromophores.MELANIN[c];
            a[c][1] = Chromophores.HAEMOGLOBIN[c];
            a[c][2] = 1;
        }
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
                - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int r0 = (j + 1) % 3;
                int r1 = (j + 2) % 3;
                int c0 = (i + 1) % 3;
                int c1 = (i + 2) % 3;
                inv[i][j] = (a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0]) / det;
            }
        }
        return inv;
    }
}
