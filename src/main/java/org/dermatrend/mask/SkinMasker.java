package org.dermatrend.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.cv.LabImage;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.PixelRect;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Finds the skin to measure: skin-coloured pixels (CIELAB hue and chroma), cleaned of speckle with
 * small holes (pores, thin hair) filled, less specular glare, deep shadow, hair strands (dark and light), the grey
 * card, pixels outside the region of interest and transparent pixels.
 *
 * <p>Colour is judged on the calibrated linear image when there is one, so a white-balance cast
 * does not move skin out of its hue band; clipping is judged on the raw 8-bit pixels. All steps
 * are whole-image OpenCV operations. Thread-safe.
 */
public final class SkinMasker {
    /** Photos finer than this are masked on a downsampled copy (the mask need not be finer). */
    static final double WORKING_MM_PER_PX = 0.02;

    private final ConfigSkinMask config;

    public SkinMasker(ConfigSkinMask config) {
        this.config = config;
    }

    /**
     * @param bgr8      upright raw pixels, {@code CV_8UC3}
     * @param linear    the same pixels in linear light ({@code CV_32FC3} BGR), calibrated if possible
     * @param grayCard  the grey reference rectangle, left out of the mask
     * @param roi       the client's region of interest; everything outside is left out
     * @param valid     opaque pixels ({@code CV_8UC1}), when the source had alpha
     * @param mmPerPx   scale, when known
     * @return the mask; the caller owns it
     */
    public SkinMask compute(Mat bgr8, Mat linear, Optional<PixelRect> grayCard, Optional<PixelRect> roi,
                            Optional<Mat> valid, OptionalDouble mmPerPx) {
        if (bgr8.size().width != linear.size().width || bgr8.size().height != linear.size().height
                || bgr8.type() != CvType.CV_8UC3 || linear.type() != CvType.CV_32FC3) {
            throw new IllegalArgumentException("expected CV_8UC3 and CV_32FC3 of one size, got " + bgr8 + " and " + linear);
        }
        double scale = mmPerPx.orElse(config.fallbackMmPerPx());
        if (scale >= WORKING_MM_PER_PX * 0.95) {
            return computeAtScale(bgr8, linear, grayCard, roi, valid, scale);
        }
        // A fine photo (e.g. 12 MP at 0.01 mm/px): the mask's millimetre-sized morphology would need kernels
        // of over 100 px, so it is computed on a copy at WORKING_MM_PER_PX and its mask scaled back up.
        double f = scale / WORKING_MM_PER_PX;
        Size small = new Size(Math.max(1, Math.round(bgr8.cols() * f)), Math.max(1, Math.round(bgr8.rows() * f)));
        try (MatScope scope = new MatScope()) {
            Mat bgrSmall = scope.mat();
            Imgproc.resize(bgr8, bgrSmall, small, 0, 0, Imgproc.INTER_AREA);
            Mat linSmall = scope.mat();
            Imgproc.resize(linear, linSmall, small, 0, 0, Imgproc.INTER_AREA);
            Optional<Mat> validSmall = valid.map(v -> {
                Mat m = scope.mat();
                Imgproc.resize(v, m, small, 0, 0, Imgproc.INTER_NEAREST);
                return m;
            });
            double fx = small.width / bgr8.cols();
            double fy = small.height / bgr8.rows();
            try (SkinMask coarse = computeAtScale(bgrSmall, linSmall, grayCard.map(r -> shrink(r, fx, fy)),
                    roi.map(r -> shrink(r, fx, fy)), validSmall, WORKING_MM_PER_PX)) {
                Mat mask = new Mat();
                Imgproc.resize(coarse.mask(), mask, bgr8.size(), 0, 0, Imgproc.INTER_NEAREST);
                Mat l = coarse.lightness().clone();
                return new SkinMask(mask, l, coarse.framePx(), coarse.skinPx(), coarse.glarePxCount(), coarse.shadowPxCount(),
                        coarse.hairPxCount(), coarse.skinColouredPxCount(), coarse.medianSkinLightness());
            }
        }
    }

    private static PixelRect shrink(PixelRect r, double fx, double fy) {
        int x = (int) Math.floor(r.x() * fx);
        int y = (int) Math.floor(r.y() * fy);
        return new PixelRect(x, y, Math.max(1, (int) Math.ceil((r.x() + r.width()) * fx) - x),
                Math.max(1, (int) Math.ceil((r.y() + r.height()) * fy) - y));
    }

    private SkinMask computeAtScale(Mat bgr8, Mat linear, Optional<PixelRect> grayCard, Optional<PixelRect> roi,
                                    Optional<Mat> valid, double scale) {
        int rows = bgr8.rows();
        int cols = bgr8.cols();
        try (MatScope scope = new MatScope()) {
            // CIELAB of the linear image (L 0..100).
            // Not clipped at 1: calibrated skin may be brighter than the reference white (a card in shade),
            // and CIELAB stays defined there (L* > 100) with its hue intact.
            Mat lab = scope.track(LabImage.fromLinear(linear));
            List<Mat> labPlanes = new ArrayList<>();
            Core.split(lab, labPlanes);
            labPlanes.forEach(scope::track);
            Mat lightness = labPlanes.get(0);
            Mat chroma = scope.mat();
            Core.magnitude(labPlanes.get(1), labPlanes.get(2), chroma);
            Mat hue = scope.mat();
            Core.phase(labPlanes.get(1), labPlanes.get(2), hue, true);
            // The working images are freed as soon as they are read for the last time: at 0.02 mm/px a 12 MP photo's are
            // 12 MB each, and holding all of them to the end tripled the stage's peak memory (docs/benchmarks.md).
            scope.releaseNow(lab, labPlanes.get(1), labPlanes.get(2));

            // The frame: ROI ∩ opaque.
            Mat frame = scope.track(Mat.zeros(rows, cols, CvType.CV_8UC1));
            Rect roiRect = roi.map(r -> clip(r, cols, rows)).orElse(new Rect(0, 0, cols, rows));
            scope.track(frame.submat(roiRect)).setTo(new Scalar(255));
            valid.ifPresent(v -> Core.bitwise_and(frame, v, frame));

            // Skin colour.
            Mat hueOk = hueBand(scope, hue);
            Mat chromaOk = scope.mat();
            Imgproc.threshold(chroma, chromaOk, config.minChroma(), 255, Imgproc.THRESH_BINARY);
            chromaOk.convertTo(chromaOk, CvType.CV_8U);
            Mat colour = scope.mat();
            Core.bitwise_and(hueOk, chromaOk, colour);
            Core.bitwise_and(colour, frame, colour);
            scope.releaseNow(hue, chroma, hueOk, chromaOk);

            // Glare: any raw channel clipped, or very light and nearly colourless.
            Mat rawMax = scope.mat();
            List<Mat> raw = new ArrayList<>();
            Core.split(bgr8, raw);
            raw.forEach(scope::track);
            Core.max(raw.get(0), raw.get(1), rawMax);
            Core.max(rawMax, raw.get(2), rawMax);
            Mat glare = scope.mat();
            Imgproc.threshold(rawMax, glare, config.clipCode() - 1, 255, Imgproc.THRESH_BINARY);
            // Judged on the raw capture: a calibration gain must not turn bright skin into "glare".
            Mat rawFloat = scope.mat();
            bgr8.convertTo(rawFloat, CvType.CV_32F, 1 / 255.0);
            Mat rawLab = scope.mat();
            Imgproc.cvtColor(rawFloat, rawLab, Imgproc.COLOR_BGR2Lab);
            List<Mat> rawPlanes = new ArrayList<>();
            Core.split(rawLab, rawPlanes);
            rawPlanes.forEach(scope::track);
            Mat rawChroma = scope.mat();
            Core.magnitude(rawPlanes.get(1), rawPlanes.get(2), rawChroma);
            Mat light = scope.mat();
            Imgproc.threshold(rawPlanes.get(0), light, config.glareLightness(), 255, Imgproc.THRESH_BINARY);
            Mat pale = scope.mat();
            Imgproc.threshold(rawChroma, pale, config.glareMaxChroma(), 255, Imgproc.THRESH_BINARY_INV);
            Core.bitwise_and(light, pale, light);
            light.convertTo(light, CvType.CV_8U);
            Core.bitwise_or(glare, light, glare);
            Core.bitwise_and(glare, frame, glare);
            scope.releaseNow(rawMax, rawFloat, rawLab, rawChroma, light, pale);
            raw.forEach(scope::releaseNow);
            rawPlanes.forEach(scope::releaseNow);

            // Clean the colour mask: open speckle, close gaps, fill enclosed holes (pores, strands,
            // glare spots inside skin), drop small islands.
            Mat skin = scope.mat();
            Core.bitwise_or(colour, glare, skin);
            Imgproc.morphologyEx(skin, skin, Imgproc.MORPH_OPEN, ellipse(scope, 3));
            Imgproc.morphologyEx(skin, skin, Imgproc.MORPH_CLOSE, ellipse(scope, odd(0.3 / scale)));
            long frameArea = Core.countNonZero(frame);
            fillHoles(skin, Math.max(64, (long) (0.02 * frameArea)));
            removeIslands(skin, Math.max(64, (long) (0.005 * frameArea)));
            Core.bitwise_and(skin, frame, skin);
            long skinColoured = Core.countNonZero(skin);
            double medianL = median(scope, lightness, skin);

            // Deep shadow: much darker than the skin, and wider than any pore.
            Mat shadow = scope.mat();
            Imgproc.threshold(lightness, shadow, config.shadowRatio() * medianL, 255, Imgproc.THRESH_BINARY_INV);
            shadow.convertTo(shadow, CvType.CV_8U);
            Core.bitwise_and(shadow, skin, shadow);
            openBinary(scope, shadow, odd(config.shadowMinMm() / scale));

            // Hair: thin dark strands found by a black-hat, kept when long.
            Mat hair = findHair(scope, lightness, skin, medianL, scale);

            Core.bitwise_and(glare, skin, glare);
            long glarePx = Core.countNonZero(glare);
            long shadowPx = Core.countNonZero(shadow);
            long hairPx = Core.countNonZero(hair);
            Mat exclude = scope.mat();
            Core.bitwise_or(glare, shadow, exclude);
            Core.bitwise_or(exclude, hair, exclude);
            grayCard.ifPresent(c -> {
                int mx = (int) Math.ceil(0.05 * c.width()) + 2;
                int my = (int) Math.ceil(0.05 * c.height()) + 2;
                Rect grown = clip(new PixelRect(Math.max(0, c.x() - mx), Math.max(0, c.y() - my), c.width() + 2 * mx,
                        c.height() + 2 * my), cols, rows);
                scope.track(exclude.submat(grown)).setTo(new Scalar(255));
            });
            Mat out = new Mat();
            Core.bitwise_not(exclude, exclude);
            Core.bitwise_and(skin, exclude, out);
            long skinPx = Core.countNonZero(out);
            return new SkinMask(out, scope.keep(lightness), frameArea, skinPx, glarePx, shadowPx, hairPx, skinColoured, medianL);
        }
    }

    private Mat hueBand(MatScope scope, Mat hueDeg) {
        Mat band = scope.mat();
        double lo = config.minHueDeg();
        double hi = config.maxHueDeg();
        if (lo >= 0) {
            Core.inRange(hueDeg, new Scalar(lo), new Scalar(hi), band);
        } else {
            Mat upper = scope.mat();
            Core.inRange(hueDeg, new Scalar(0), new Scalar(hi), band);
            Core.inRange(hueDeg, new Scalar(360 + lo), new Scalar(360), upper);
            Core.bitwise_or(band, upper, band);
        }
        return band;
    }

    /** The hair mask, owned by {@code outer}; the working images are freed on return. */
    private Mat findHair(MatScope outer, Mat lightness, Mat skin, double medianL, double scale) {
        try (MatScope scope = new MatScope()) {
            return outer.track(scope.keep(findHairIn(scope, lightness, skin, medianL, scale)));
        }
    }

    private Mat findHairIn(MatScope scope, Mat lightness, Mat skin, double medianL, double scale) {
        Mat kernel = ellipse(scope, odd(config.hairKernelMm() / scale));
        Mat blackhat = scope.mat();
        Imgproc.morphologyEx(lightness, blackhat, Imgproc.MORPH_BLACKHAT, kernel);
        Mat strands = scope.mat();
        Imgproc.threshold(blackhat, strands, config.hairContrast() * medianL, 255, Imgproc.THRESH_BINARY);
        strands.convertTo(strands, CvType.CV_8U);
        // Light (grey, blond, backlit) hairs: thin strands brighter than the skin around them.
        Mat tophat = scope.mat();
        Imgproc.morphologyEx(lightness, tophat, Imgproc.MORPH_TOPHAT, kernel);
        Mat light = scope.mat();
        Imgproc.threshold(tophat, light, config.lightHairContrast() * medianL, 255, Imgproc.THRESH_BINARY);
        light.convertTo(light, CvType.CV_8U);
        Core.bitwise_or(strands, light, strands);
        Core.bitwise_and(strands, skin, strands);
        Components components = components(scope, strands, 8);
        Mat labels = components.labels();
        int n = components.count();
        int[] st = components.stats();
        int minLength = (int) Math.ceil(config.hairMinLengthMm() / scale);
        int[] keep = new int[n];
        boolean any = false;
        for (int i = 1; i < n; i++) {
            int bw = st[i * 5 + Imgproc.CC_STAT_WIDTH];
            int bh = st[i * 5 + Imgproc.CC_STAT_HEIGHT];
            if (Math.max(bw, bh) >= minLength) {
                keep[i] = 255;
                any = true;
            }
        }
        Mat hair = scope.track(Mat.zeros(lightness.size(), CvType.CV_8UC1));
        if (any) {
            Mat labels8 = scope.mat();
            labelsToMask(labels, keep, labels8);
            Imgproc.dilate(labels8, hair, ellipse(scope, 3));
            Core.bitwise_and(hair, skin, hair);
        }
        return hair;
    }

    /** Sets to 255 the zero regions of {@code mask} that do not touch the border and are smaller than {@code maxArea}. */
    private static void fillHoles(Mat mask, long maxArea) {
        try (MatScope scope = new MatScope()) {
            fillHolesIn(scope, mask, maxArea);
        }
    }

    private static void fillHolesIn(MatScope scope, Mat mask, long maxArea) {
        Mat holes = scope.mat();
        Core.bitwise_not(mask, holes);
        Components components = components(scope, holes, 4);
        Mat labels = components.labels();
        int n = components.count();
        int[] st = components.stats();
        int[] fill = new int[n];
        boolean any = false;
        for (int i = 1; i < n; i++) {
            int x = st[i * 5 + Imgproc.CC_STAT_LEFT];
            int y = st[i * 5 + Imgproc.CC_STAT_TOP];
            int w = st[i * 5 + Imgproc.CC_STAT_WIDTH];
            int h = st[i * 5 + Imgproc.CC_STAT_HEIGHT];
            long area = st[i * 5 + Imgproc.CC_STAT_AREA];
            boolean touches = x == 0 || y == 0 || x + w == mask.cols() || y + h == mask.rows();
            if (!touches && area <= maxArea) {
                fill[i] = 255;
                any = true;
            }
        }
        if (any) {
            Mat filled = scope.mat();
            labelsToMask(labels, fill, filled);
            Core.bitwise_or(mask, filled, mask);
        }
    }

    /** Clears the non-zero regions of {@code mask} smaller than {@code minArea}. */
    private static void removeIslands(Mat mask, long minArea) {
        try (MatScope scope = new MatScope()) {
            removeIslandsIn(scope, mask, minArea);
        }
    }

    private static void removeIslandsIn(MatScope scope, Mat mask, long minArea) {
        Components components = components(scope, mask, 8);
        Mat labels = components.labels();
        int n = components.count();
        int[] st = components.stats();
        int[] keep = new int[n];
        for (int i = 1; i < n; i++) {
            keep[i] = st[i * 5 + Imgproc.CC_STAT_AREA] >= minArea ? 255 : 0;
        }
        labelsToMask(labels, keep, mask);
    }

    /**
     * {@code Imgproc.morphologyEx(mask, mask, MORPH_OPEN, ellipse(size))}, pixel for pixel, but run only
     * where it can leave anything. A 61-px disc (1.2 mm of deep shadow at 0.02 mm/px) cost 290 ms on a
     * 12 MP photo's mask, over half of the stage, while deep shadow on skin is usually a few specks.
     *
     * <p>Why it is exact: a pixel survives the erosion only when the disc around it, clipped to the
     * image (OpenCV treats outside as set), lies in the mask; that clipped disc is connected, so it lies
     * in one 8-connected component. A component that touches no image border and is narrower or lower
     * than the disc therefore contributes nothing, and dropping it changes neither the erosion nor the
     * dilation after it. The rest is opened on the bounding box of the kept components grown by the disc
     * size: every pixel within a disc of a kept pixel is inside it, and beyond it the mask is empty.
     * {@code SkinMaskerTest} checks the equality on random masks.
     *
     * @param mask {@code CV_8UC1}, 0 or 255, opened in place
     */
    static void openBinary(MatScope scope, Mat mask, int size) {
        int cols = mask.cols();
        int rows = mask.rows();
        Components components = components(scope, mask, 8);
        Mat labels = components.labels();
        int n = components.count();
        int[] st = components.stats();
        int[] keep = new int[n];
        boolean dropped = false;
        int x0 = cols;
        int y0 = rows;
        int x1 = 0;
        int y1 = 0;
        for (int i = 1; i < n; i++) {
            int x = st[i * 5 + Imgproc.CC_STAT_LEFT];
            int y = st[i * 5 + Imgproc.CC_STAT_TOP];
            int w = st[i * 5 + Imgproc.CC_STAT_WIDTH];
            int h = st[i * 5 + Imgproc.CC_STAT_HEIGHT];
            boolean border = x == 0 || y == 0 || x + w == cols || y + h == rows;
            if (border || w >= size && h >= size) {
                keep[i] = 255;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x + w);
                y1 = Math.max(y1, y + h);
            } else {
                dropped = true;
            }
        }
        if (x1 == 0) {
            mask.setTo(new Scalar(0));
            return;
        }
        if (dropped) {
            labelsToMask(labels, keep, mask);
        }
        Rect box = new Rect(Math.max(0, x0 - size), Math.max(0, y0 - size), 0, 0);
        box.width = Math.min(cols, x1 + size) - box.x;
        box.height = Math.min(rows, y1 + size) - box.y;
        Mat crop = scope.track(scope.track(mask.submat(box)).clone());
        Imgproc.morphologyEx(crop, crop, Imgproc.MORPH_OPEN, ellipse(scope, size));
        mask.setTo(new Scalar(0));
        crop.copyTo(scope.track(mask.submat(box)));
    }

    /**
     * Connected components of a binary mask: the label image ({@code CV_32S}, owned by the scope), how
     * many labels there are (the background, label 0, included) and their n×5 stats, row-major.
     */
    private record Components(Mat labels, int count, int[] stats) {
    }

    private static Components components(MatScope scope, Mat mask, int connectivity) {
        Mat labels = scope.mat();
        Mat stats = scope.mat();
        Mat centroids = scope.mat();
        int n = Imgproc.connectedComponentsWithStats(mask, labels, stats, centroids, connectivity, CvType.CV_32S);
        int[] st = new int[(int) stats.total()];
        stats.get(0, 0, st);
        return new Components(labels, n, st);
    }

    /** {@code out(p) = table[labels(p)]} as {@code CV_8UC1}; one bulk copy each way, the mapping in Java. */
    private static void labelsToMask(Mat labels, int[] table, Mat out) {
        int n = (int) labels.total();
        int[] ids = new int[n];
        labels.get(0, 0, ids);
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) table[ids[i]];
        }
        out.create(labels.rows(), labels.cols(), CvType.CV_8UC1);
        out.put(0, 0, bytes);
    }

    /** Median of {@code values} ({@code CV_32F}, 0..100) under {@code mask}, to 0.25. */
    private static double median(MatScope scope, Mat values, Mat mask) {
        Mat hist = scope.mat();
        MatOfInt channels = scope.track(new MatOfInt(0));
        MatOfInt bins = scope.track(new MatOfInt(400));
        MatOfFloat ranges = scope.track(new MatOfFloat(0f, 100.01f));
        Imgproc.calcHist(List.of(values), channels, mask, hist, bins, ranges);
        float[] h = new float[400];
        hist.get(0, 0, h);
        double total = 0;
        for (float v : h) {
            total += v;
        }
        if (total == 0) {
            return 0;
        }
        double acc = 0;
        for (int i = 0; i < h.length; i++) {
            acc += h[i];
            if (acc >= total / 2) {
                return (i + 0.5) * 100.01 / 400;
            }
        }
        return 100;
    }

    private static Mat ellipse(MatScope scope, int size) {
        return scope.track(Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(size, size)));
    }

    private static int odd(double px) {
        int v = Math.max(3, (int) Math.round(px));
        return v % 2 == 0 ? v + 1 : v;
    }

    private static Rect clip(PixelRect r, int cols, int rows) {
        int x0 = Math.max(0, Math.min(cols, r.x()));
        int y0 = Math.max(0, Math.min(rows, r.y()));
        int x1 = (int) Math.max(x0, Math.min(cols, (long) r.x() + r.width()));
        int y1 = (int) Math.max(y0, Math.min(rows, (long) r.y() + r.height()));
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }
}
