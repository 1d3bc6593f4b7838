package org.dermatrend.measure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import org.dermatrend.cv.MatScope;
import org.dermatrend.relief.ReliefInput;
import org.dermatrend.relief.ReliefMethod;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Finds atrophic scars in one photo from its estimated relief.
 *
 * <ol>
 *   <li>The photo (linear light) and its skin mask are resampled to {@link ReliefInput#MM_PER_PX}
 *       and the {@link ReliefMethod} estimates depth below the surrounding skin.</li>
 *   <li>The large-scale surface shape (what a {@code surfaceWindowMm} grey-level opening keeps: broad
 *       offsets, curvature of the face) is removed, leaving local depressions; pixels off the skin
 *       mask count as flat.</li>
 *   <li>Depressions deeper than {@code edgeDepthMm} are split into connected components; a component
 *       is a scar when its deepest point reaches {@code minDepthMm}, it is at least
 *       {@code minDiameterMm} wide (pores are narrower) and its centre lies on skin.</li>
 *   <li>Each scar is classified by its floor and width: boxcar when the part deeper than 80 % of its
 *       depth covers at least {@code boxcarMinFloor} of the part deeper than 20 % (a flat floor between
 *       steep walls), otherwise icepick when narrower than {@code icepickMaxDiameterMm} (a cone) and
 *       rolling when wider (a shallow dish).</li>
 * </ol>
 * Thread-safe when its method is.
 */
public final class ScarDetector {
    private final ConfigScars config;
    private final ReliefMethod method;

    public ScarDetector(ConfigScars config, ReliefMethod method) {
        this.config = config;
        this.method = method;
    }

    /**
     * @param linear  the photo, {@code CV_32FC3} BGR linear light (any white balance)
     * @param skin    {@code CV_8UC1}, non-zero on skin, same size
     * @param mmPerPx the photo's scale, when known; without it {@link ConfigScars#fallbackMmPerPx()} is
     *                assumed and the result says it is not {@code scaled}
     * @return the scars; the caller owns the result
     */
    public ScarResult detect(Mat linear, Mat skin, OptionalDouble mmPerPx) {
        if (linear.type() != CvType.CV_32FC3 || skin.type() != CvType.CV_8UC1 || !linear.size().equals(skin.size())) {
            throw new IllegalArgumentException("detect needs CV_32FC3 linear light and a CV_8UC1 mask of one size, got "
                    + CvType.typeToString(linear.type()) + " " + linear.size() + " and "
                    + CvType.typeToString(skin.type()) + " " + skin.size());
        }
        double scale = mmPerPx.orElse(config.fallbackMmPerPx());
        double f = ReliefInput.factor(scale);
        try (MatScope scope = new MatScope()) {
            Mat lin = scope.track(ReliefInput.resample(linear, scale));
            Mat skinC = scope.track(ReliefInput.resample(skin, scale));
            Mat shading = scope.track(ReliefInput.shading(lin, skinC));
            Mat raw = scope.track(method.depthMm(shading, skinC));
            Mat relief = scope.keep(localDepressions(scope, raw, skinC));
            List<Scar> scars = new ArrayList<>();
            double scarAreaMm2 = components(scope, relief, skinC, f, scars);
            scars.sort(Comparator.comparingDouble(Scar::depthMm).reversed());
            double pxMm2 = ReliefInput.MM_PER_PX * ReliefInput.MM_PER_PX;
            double skinAreaMm2 = Core.countNonZero(skinC) * pxMm2;
            return new ScarResult(List.copyOf(scars), skinAreaMm2, scarAreaMm2, mmPerPx.isPresent(), relief, f);
        }
    }

    /** Depth minus the large-scale surface (a grey-level opening at quarter resolution), 0 off skin. */
    private Mat localDepressions(MatScope scope, Mat raw, Mat skin) {
        int q = 4;
        Mat small = scope.mat();
        Imgproc.resize(raw, small, new Size(Math.max(1, raw.cols() / q), Math.max(1, raw.rows() / q)), 0, 0, Imgproc.INTER_AREA);
        int k = Math.max(3, (int) Math.round(config.surfaceWindowMm() / (ReliefInput.MM_PER_PX * q)) | 1);
        Mat kernel = scope.track(Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(k, k)));
        Mat baseSmall = scope.mat();
        Imgproc.morphologyEx(small, baseSmall, Imgproc.MORPH_OPEN, kernel, new org.opencv.core.Point(-1, -1), 1,
                Core.BORDER_REFLECT);
        Mat base = scope.mat();
        Imgproc.resize(baseSmall, base, raw.size(), 0, 0, Imgproc.INTER_LINEAR);
        Imgproc.GaussianBlur(base, base, new Size(0, 0), 1.0 / ReliefInput.MM_PER_PX);
        Mat out = new Mat();
        Core.subtract(raw, base, out);
        Core.max(out, new Scalar(0), out);
        Mat off = scope.mat();
        Core.compare(skin, new Scalar(0), off, Core.CMP_EQ);
        out.setTo(new Scalar(0), off);
        return out;
    }

    /** Adds the scars among the depressions of {@code relief} to {@code out}; returns their area in mm². */
    private double components(MatScope scope, Mat relief, Mat skin, double f, List<Scar> out) {
        int w = relief.cols();
        int h = relief.rows();
        Mat mask = scope.mat();
        Core.compare(relief, new Scalar(config.edgeDepthMm()), mask, Core.CMP_GT);
        Mat labels = scope.mat();
        int n = Imgproc.connectedComponents(mask, labels, 8, CvType.CV_32S);
        if (n <= 1) {
            return 0;
        }
        int[] lab = new int[w * h];
        labels.get(0, 0, lab);
        float[] d = new float[w * h];
        relief.get(0, 0, d);
        byte[] sk = new byte[w * h];
        skin.get(0, 0, sk);
        double[] peak = new double[n];
        double[] sum = new double[n];
        double[] sx = new double[n];
        double[] sy = new double[n];
        int[] area = new int[n];
        for (int i = 0; i < lab.length; i++) {
            int l = lab[i];
            if (l == 0) {
                continue;
            }
            double v = d[i];
            peak[l] = Math.max(peak[l], v);
            sum[l] += v;
            sx[l] += v * (i % w);
            sy[l] += v * (i / w);
            area[l]++;
        }
        int[] n20 = new int[n];
        int[] n80 = new int[n];
        for (int i = 0; i < lab.length; i++) {
            int l = lab[i];
            if (l != 0) {
                if (d[i] >= 0.2 * peak[l]) {
                    n20[l]++;
                }
                if (d[i] >= 0.8 * peak[l]) {
                    n80[l]++;
                }
            }
        }
        double mm = ReliefInput.MM_PER_PX;
        double minArea = Math.PI * Math.pow(config.minDiameterMm() / 2 / mm, 2);
        double scarArea = 0;
        for (int l = 1; l < n; l++) {
            if (peak[l] < config.minDepthMm() || n20[l] < minArea) {
                continue;
            }
            double cx = sx[l] / sum[l];
            double cy = sy[l] / sum[l];
            int ix = Math.min(w - 1, Math.max(0, (int) Math.round(cx)));
            int iy = Math.min(h - 1, Math.max(0, (int) Math.round(cy)));
            if (sk[iy * w + ix] == 0) {
                continue;
            }
            double diameterMm = 2 * Math.sqrt(n20[l] / Math.PI) * mm;
            double floor = n80[l] / (double) n20[l];
            String type = floor >= config.boxcarMinFloor() ? "boxcar"
                    : diameterMm < config.icepickMaxDiameterMm() ? "icepick" : "rolling";
            out.add(new Scar((cx + 0.5) / f - 0.5, (cy + 0.5) / f - 0.5, diameterMm, peak[l], area[l] * mm * mm,
                    sum[l] * mm * mm, floor, type));
            scarArea += area[l] * mm * mm;
        }
        return scarArea;
    }
}
