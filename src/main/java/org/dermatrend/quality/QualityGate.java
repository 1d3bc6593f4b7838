package org.dermatrend.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.calibrate.Calibration;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.mask.SkinMask;
import org.dermatrend.util.Select;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Decides whether a photo can be measured, and says why not: focus, exposure, clipping, lighting
 * uniformity, glare, how much of the frame is skin, and whether the scale resolves pores. Each
 * check reports its measured value beside its threshold (docs/metrics.md defines them). Thread-safe.
 */
public final class QualityGate {
    /** Sharpness is measured at this scale (or native when coarser), so it means the same at any resolution. */
    static final double SHARPNESS_MM_PER_PX = 0.025;
    private static final double REBLUR_SIGMA_PX = 2.0;
    private static final double PRESMOOTH_SIGMA_PX = 1.0;
    private static final double EDGE_QUANTILE = 0.99;

    private final ConfigQuality config;

    public QualityGate(ConfigQuality config) {
        this.config = config;
    }

    /** The warning that withholds a photo's pore numbers: too blurred for pores, sharp enough for the rest. */
    public static final String PORES_WITHHELD = "blurred_for_pores";

    /** The warning that withholds a photo's a* and ITA°: lit too unevenly for them, evenly enough for the rest. */
    public static final String A_STAR_WITHHELD = "uneven_for_a_star";

    /**
     * @param bgr8        upright raw pixels, {@code CV_8UC3}
     * @param linear      linear-light pixels, {@code CV_32FC3} BGR, calibrated when a card was usable
     * @param mask        the skin mask of this photo
     * @param calibration what the grey reference gave
     * @param roi         the client's region of interest
     * @param mmPerPx     the scale, when known
     * @param greyscale   whether the source had no colour
     */
    public QualityReport assess(Mat bgr8, Mat linear, SkinMask mask, Calibration calibration, Optional<PixelRect> roi,
                                OptionalDouble mmPerPx, boolean greyscale) {
        return assess(bgr8, linear, mask, calibration, roi, Optional.empty(), mmPerPx, greyscale);
    }

    /**
     * As {@link #assess(Mat, Mat, SkinMask, Calibration, Optional, OptionalDouble, boolean)}, with the
     * pixels that hold the photo ({@code CV_8UC1}, 255 = valid: opaque, and inside a compared region):
     * clipped highlights and shadows are shares of those only, so transparent or out-of-region pixels
     * (often black) are not taken for crushed shadows.
     */
    public QualityReport assess(Mat bgr8, Mat linear, SkinMask mask, Calibration calibration, Optional<PixelRect> roi,
                                Optional<Mat> valid, OptionalDouble mmPerPx, boolean greyscale) {
        List<QualityCheck> checks = new ArrayList<>();
        List<QualityIssue> issues = new ArrayList<>();
        int cols = bgr8.cols();
        int rows = bgr8.rows();
        if (roi.isPresent() && !roi.get().fitsIn(cols, rows)) {
            issues.add(new QualityIssue("roi_outside_image", "The region of interest " + roi.get() + " does not lie inside the "
                    + cols + "x" + rows + " photo; give x,y,w,h in pixels of the upright photo.", null, null, QualityIssue.ERROR));
        }
        Rect frame = roi.filter(r -> r.fitsIn(cols, rows)).map(PixelRect::toCv).orElse(new Rect(0, 0, cols, rows));

        double blur = mask.skinPx() > 0 ? edgeBlurPx(mask.lightness(), mask.mask(), mmPerPx) : Double.POSITIVE_INFINITY;
        if (Double.isFinite(blur)) {
            check(checks, issues, "edgeBlurPx", blur, config.maxEdgeBlurPx(), 0.8, "blurred", String.format(
                    "The photo looks out of focus or shaken (edges blurred over %.1f px, at most %.1f). Hold the camera steady, focus on the skin and retake it.",
                    blur, config.maxEdgeBlurPx()));
            if (blur > ConfigQuality.MAX_PORE_BLUR_PX && blur <= config.maxEdgeBlurPx()) {
                issues.add(new QualityIssue(PORES_WITHHELD, String.format("Pores are not measured on this photo: its edges are "
                        + "blurred over %.2f px (at most %.2f for pores), which makes pores read larger than they are. Redness and "
                        + "scars are measured. For pore trends, hold the camera steady, focus on the skin and retake it.",
                        blur, ConfigQuality.MAX_PORE_BLUR_PX), blur, ConfigQuality.MAX_PORE_BLUR_PX, QualityIssue.WARNING));
            }
        } else {
            checks.add(new QualityCheck("edgeBlurPx", null, config.maxEdgeBlurPx(), "max", null, null));
        }

        double[] clipped = clippedShares(bgr8, frame, valid);
        check(checks, issues, "highlightsClipped", clipped[0], config.maxHighlightsClipped(), 0, "highlights_clipped", String.format(
                "%.1f%% of the frame is blown out to white (at most %.1f%%). Lower the exposure or move away from the light.",
                100 * clipped[0], 100 * config.maxHighlightsClipped()));
        check(checks, issues, "shadowsClipped", clipped[1], config.maxShadowsClipped(), 0, "shadows_clipped", String.format(
                "%.1f%% of the frame is crushed to black (at most %.1f%%). Add light or raise the exposure.",
                100 * clipped[1], 100 * config.maxShadowsClipped()));

        if (calibration.calibrated()) {
            double[] c = calibration.cardLinearRgb();
            double cardL = ColorMath.lightness(ColorMath.luminance(c[0], c[1], c[2]));
            exposure(checks, issues, "grey card", cardL, config.minCardLightness(), 40, 60, config.maxCardLightness());
        } else if (mask.skinPx() > 0) {
            exposure(checks, issues, "skin", mask.medianSkinLightness(), config.minSkinLightness(), 35, 80, config.maxSkinLightness());
        }

        double variation = mask.skinPx() > 0 ? illuminationVariation(linear, mask.mask()) : 0;
        check(checks, issues, "illuminationVariation", variation, config.maxIlluminationVariation(), 0.1, "uneven_illumination", String.format(
                "The light varies by %.0f%% across the skin (at most %.0f%%). Light the area evenly (diffuse light, no side lamp) and retake it.",
                100 * variation, 100 * config.maxIlluminationVariation()));
        if (variation > ConfigQuality.MAX_A_STAR_ILLUMINATION_VARIATION && variation <= config.maxIlluminationVariation()) {
            issues.add(new QualityIssue(A_STAR_WITHHELD, String.format("Redness a* and ITA are not reported on this photo: the "
                    + "light varies by %.0f%% across the skin (at most %.0f%% for them), and both follow the light. The erythema and "
                    + "haemoglobin indices, pores and scars are measured. For a* trends, light the area evenly (diffuse light, no "
                    + "side lamp) and retake it.", 100 * variation, 100 * ConfigQuality.MAX_A_STAR_ILLUMINATION_VARIATION),
                    round(variation, 4), ConfigQuality.MAX_A_STAR_ILLUMINATION_VARIATION, QualityIssue.WARNING));
        }

        check(checks, issues, "glareFraction", mask.glareFraction(), config.maxGlareFraction(), 0, "glare", String.format(
                "Shiny glare covers %.1f%% of the skin (at most %.1f%%). Blot oily skin, use diffuse or cross-polarised light, or change the angle.",
                100 * mask.glareFraction(), 100 * config.maxGlareFraction()));

        check(checks, issues, "skinFraction", mask.skinFraction(), config.minSkinFraction(), 0.8, "too_little_skin", String.format(
                "Only %.0f%% of the frame is measurable skin (need %.0f%%). Fill the frame with the treatment area or mark a region of interest.",
                100 * mask.skinFraction(), 100 * config.minSkinFraction()));

        if (mmPerPx.isPresent()) {
            double s = mmPerPx.getAsDouble();
            check(checks, issues, "mmPerPx", s, config.maxMmPerPx(), 0.025, "resolution_too_low", String.format(
                    "At %.3f mm per pixel pores (0.05-0.5 mm) are not resolved (need at most %.2f). Move closer or use a higher resolution.",
                    s, config.maxMmPerPx()));
            ScaleCheck.field(cols, rows, s).ifPresent(issues::add);
        } else {
            checks.add(new QualityCheck("mmPerPx", null, config.maxMmPerPx(), "max", null, null));
            issues.add(new QualityIssue("scale_unknown", "No scale was given, so sizes are in pixels only, scar depths and volume "
                    + "are not reported (depth from shading needs to know how many pixels a millimetre spans) and the resolution "
                    + "check was skipped. Give mmPerPx (from a ruler or sticker in the frame) to get sizes and depths in mm.",
                    null, config.maxMmPerPx(),
                    QualityIssue.WARNING));
        }
        if (greyscale) {
            issues.add(new QualityIssue("greyscale", "The photo has no colour, so redness cannot be measured. Upload a colour photo.",
                    null, null, QualityIssue.WARNING));
        }
        if (calibration.problem() != null) {
            issues.add(new QualityIssue(calibration.problemCode(), "The grey reference could not be used: " + calibration.problem()
                    + ". Colours were left uncalibrated.", calibration.cardUniformity(), null, QualityIssue.ERROR));
        } else if (calibration.grayRef() == null) {
            issues.add(new QualityIssue("color_not_calibrated", "No grey card was marked, so colours are the camera's own: redness "
                    + "and pigment values move with the light and the camera's white balance from session to session. Put an 18 % "
                    + "grey card in the frame and give its rectangle (grayRef) to make them comparable.", null, null,
                    QualityIssue.WARNING));
        }
        boolean ok = issues.stream().noneMatch(i -> QualityIssue.ERROR.equals(i.severity()));
        double score = checks.stream().filter(c -> c.score() != null).mapToDouble(QualityCheck::score).min().orElse(0);
        if (!ok) {
            score = Math.min(score, 49);
        }
        return new QualityReport(ok, round(score, 1), List.copyOf(issues), List.copyOf(checks));
    }

    private void exposure(List<QualityCheck> checks, List<QualityIssue> issues, String what, double lightness,
                          double min, double idealLow, double idealHigh, double max) {
        check(checks, issues, "exposure", lightness, min, idealLow, "underexposed", String.format(
                "The photo is too dark (%s L* %.0f, need at least %.0f). Add light or raise the exposure and retake it.", what, lightness, min));
        check(checks, issues, "exposure", lightness, max, idealHigh, "overexposed", String.format(
                "The photo is too bright (%s L* %.0f, at most %.0f). Lower the exposure and retake it.", what, lightness, max));
    }

    /**
     * Adds a check; its limit is {@code min} when the ideal lies above the threshold, else {@code max}.
     */
    private static void check(List<QualityCheck> checks, List<QualityIssue> issues, String name, double value,
                              double threshold, double ideal, String code, String message) {
        boolean isMin = ideal > threshold;
        boolean passed = isMin ? value >= threshold : value <= threshold;
        double span = Math.abs(threshold - ideal);
        double distance = isMin ? ideal - value : value - ideal;
        double score = span == 0 ? (passed ? 100 : 0) : Math.max(0, Math.min(100, 100 - 50 * distance / span));
        checks.add(new QualityCheck(name, round(value, 4), threshold, isMin ? "min" : "max", passed, round(score, 1)));
        if (!passed) {
            issues.add(new QualityIssue(code, message, round(value, 4), threshold, QualityIssue.ERROR));
        }
    }

    /**
     * Edge blur, in pixels at the working scale: the Gaussian σ that, applied to an ideal step edge,
     * would give the photo's strongest edges. Re-blur method (after Crété-Roffet et al. 2007): at the
     * strongest 5 % of gradients inside the eroded skin mask (pores, hair, lines: where signal beats
     * noise), compare the gradient energy g0 of the photo with g1 after a further blur of σ1 = 2 px.
     * For a step edge of blur σ, g1/g0 = σ / √(σ² + σ1²), which is solved for σ. The photo is first
     * smoothed with σ0 = 0.7 px so pixel noise is not taken for detail; σ0 is removed again in
     * quadrature. Measured on L* at {@link #SHARPNESS_MM_PER_PX} when the photo is finer.
     *
     * @return estimated edge blur σ in pixels (0 = crisp; large = out of focus); +∞ without skin
     */
    static double edgeBlurPx(Mat lightness, Mat skin, OptionalDouble mmPerPx) {
        try (MatScope scope = new MatScope()) {
            Mat l = lightness;
            Mat m = skin;
            // The skin mask has the photo's size; L* may have been computed smaller (fine photos).
            double factor = mmPerPx.isPresent() ? mmPerPx.getAsDouble() / SHARPNESS_MM_PER_PX : 1;
            if (factor < 0.95 || lightness.cols() != skin.cols()) {
                double f = Math.min(1, factor);
                Size size = new Size(Math.max(1, Math.round(skin.cols() * f)), Math.max(1, Math.round(skin.rows() * f)));
                l = scope.mat();
                Imgproc.resize(lightness, l, size, 0, 0, size.width < lightness.cols() ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
                m = scope.mat();
                Imgproc.resize(skin, m, size, 0, 0, Imgproc.INTER_NEAREST);
            }
            Mat inner = scope.mat();
            Imgproc.erode(m, inner, scope.track(Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(9, 9))));
            int count = Core.countNonZero(inner);
            if (count < 100) {
                return Double.POSITIVE_INFINITY;
            }
            Mat base = scope.mat();
            Imgproc.GaussianBlur(l, base, new Size(0, 0), PRESMOOTH_SIGMA_PX);
            Mat g0 = gradient(scope, base);
            Mat blurred = scope.mat();
            Imgproc.GaussianBlur(base, blurred, new Size(0, 0), REBLUR_SIGMA_PX);
            Mat g1 = gradient(scope, blurred);
            int n = (int) g0.total();
            float[] a = new float[n];
            float[] b = new float[n];
            byte[] k = new byte[n];
            g0.get(0, 0, a);
            g1.get(0, 0, b);
            inner.get(0, 0, k);
            float[] sel = new float[count];
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (k[i] != 0) {
                    sel[c++] = a[i];
                }
            }
            float cut = Select.kth(sel, c, (int) (EDGE_QUANTILE * (c - 1)));
            double s0 = 0;
            double s1 = 0;
            for (int i = 0; i < n; i++) {
                if (k[i] != 0 && a[i] >= cut) {
                    s0 += a[i];
                    s1 += b[i];
                }
            }
            if (s0 <= 1e-9) {
                return Double.POSITIVE_INFINITY;
            }
            double r = Math.min(0.999, s1 / s0);
            double sigma = REBLUR_SIGMA_PX * r / Math.sqrt(1 - r * r);
            return Math.sqrt(Math.max(0, sigma * sigma - PRESMOOTH_SIGMA_PX * PRESMOOTH_SIGMA_PX));
        }
    }

    private static Mat gradient(MatScope scope, Mat image) {
        Mat gx = scope.mat();
        Mat gy = scope.mat();
        Imgproc.Sobel(image, gx, CvType.CV_32F, 1, 0);
        Imgproc.Sobel(image, gy, CvType.CV_32F, 0, 1);
        Mat mag = scope.mat();
        Core.magnitude(gx, gy, mag);
        return mag;
    }

    /** Shares of the frame's valid pixels with a channel ≥ 250, and with every channel ≤ 5. */
    static double[] clippedShares(Mat bgr8, Rect frame, Optional<Mat> valid) {
        try (MatScope scope = new MatScope()) {
            Mat inside = valid.map(v -> scope.track(v.submat(frame))).orElse(null);
            Mat region = scope.track(bgr8.submat(frame));
            Mat grey = scope.mat();
            Mat maxC = scope.mat();
            java.util.List<Mat> planes = new ArrayList<>();
            Core.split(region, planes);
            planes.forEach(scope::track);
            Core.max(planes.get(0), planes.get(1), maxC);
            Core.max(maxC, planes.get(2), maxC);
            double total = inside == null ? frame.area() : Core.countNonZero(inside);
            if (total == 0) {
                return new double[] {0, 0};
            }
            Imgproc.threshold(maxC, grey, 249, 255, Imgproc.THRESH_BINARY);
            if (inside != null) {
                Core.bitwise_and(grey, inside, grey);
            }
            double high = Core.countNonZero(grey) / total;
            Imgproc.threshold(maxC, grey, 5, 255, Imgproc.THRESH_BINARY_INV);
            if (inside != null) {
                Core.bitwise_and(grey, inside, grey);
            }
            double low = Core.countNonZero(grey) / total;
            return new double[] {high, low};
        }
    }

    /**
     * Large-scale lighting variation over skin: the linear red channel (the one melanin and
     * haemoglobin absorb least, so a red lesion or a tan changes it least) smoothed with σ = 1/8 of the shorter side
     * (normalised convolution, so the mask's edges do not darken it), then (p95 − p5) / p50 of the
     * smoothed values at skin pixels. Computed on a copy at most 256 px on its shorter side.
     */
    static double illuminationVariation(Mat linear, Mat skin) {
        try (MatScope scope = new MatScope()) {
            double f = Math.min(1, 256.0 / Math.min(linear.cols(), linear.rows()));
            Size size = new Size(Math.max(1, Math.round(linear.cols() * f)), Math.max(1, Math.round(linear.rows() * f)));
            Mat small = scope.mat();
            Imgproc.resize(linear, small, size, 0, 0, Imgproc.INTER_AREA);
            Mat y = scope.mat();
            Core.extractChannel(small, y, 2);
            Mat m = scope.mat();
            Imgproc.resize(skin, m, size, 0, 0, Imgproc.INTER_NEAREST);
            Mat mf = scope.mat();
            m.convertTo(mf, CvType.CV_32F, 1 / 255.0);
            Mat ym = scope.mat();
            Core.multiply(y, mf, ym);
            double sigma = Math.min(size.width, size.height) / 8;
            Mat num = scope.mat();
            Mat den = scope.mat();
            Imgproc.GaussianBlur(ym, num, new Size(0, 0), sigma, sigma, Core.BORDER_REFLECT);
            Imgproc.GaussianBlur(mf, den, new Size(0, 0), sigma, sigma, Core.BORDER_REFLECT);
            Core.max(den, new Scalar(1e-6), den);
            Mat smooth = scope.mat();
            Core.divide(num, den, smooth);
            int n = (int) smooth.total();
            float[] v = new float[n];
            byte[] k = new byte[n];
            smooth.get(0, 0, v);
            m.get(0, 0, k);
            float[] sel = new float[n];
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (k[i] != 0) {
                    sel[c++] = v[i];
                }
            }
            if (c == 0) {
                return 0;
            }
            float[] s = Arrays.copyOf(sel, c);
            Arrays.sort(s);
            double p5 = s[(int) (0.05 * (c - 1))];
            double p50 = s[(int) (0.50 * (c - 1))];
            double p95 = s[(int) (0.95 * (c - 1))];
            return p50 <= 0 ? 0 : (p95 - p5) / p50;
        }
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
