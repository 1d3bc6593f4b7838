package org.dermatrend.align;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Live guidance for a repeat photo: how a camera frame's view differs from the area's baseline, in words a person
 * holding the camera can act on ("move left", "closer", "rotate clockwise", "too dark", "glare", "hold still"), and
 * whether the pose is inside the tolerance.
 *
 * <p>The frame is aligned to the baseline by the {@link Aligner} on small copies ({@value #WORK_SIDE} px on the long
 * side, a fast configuration); the frame's outline is mapped into the baseline and compared with the baseline's own
 * outline, both in fractions of the baseline's size: the centre's offset (shift), the outline's size (scale), its
 * angle (rotation) and what a similarity cannot explain (tilt, as the corners' residual). The tolerance is the pose
 * range of the real re-capture study whose repeatability sets the shipped MDCs (docs/metrics.md §10,
 * {@code RealRecapture.Ranges.issue16}: rotation ±6°, scale ±5 %, shift 3 % of the frame, tilt 3°, about 3 % of
 * corner residual): a photo taken inside it is one whose metrics that MDC was measured on.
 */
public final class PoseGuide {
    /** The long side, in pixels, of the copies frames and baselines are compared at. */
    public static final int WORK_SIDE = 480;
    /** Tolerance: the re-capture study's ranges. */
    public static final double MAX_SHIFT = 0.03;
    public static final double MAX_SCALE_CHANGE = 0.05;
    public static final double MAX_ROTATION_DEG = 6;
    public static final double MAX_TILT = 0.03;
    /** A frame whose mean 8-bit grey is under this is too dark to judge (or to photograph). */
    static final double MIN_MEAN_GREY = 50;
    /** Share of pixels with a clipped channel (≥ 250) above which the frame has glare. */
    static final double MAX_CLIPPED = 0.01;
    /** Sharpness (variance of the Laplacian) relative to the baseline's at the same size, under which the frame is blurred. */
    static final double MIN_SHARPNESS = 0.35;

    private final Aligner aligner;

    public PoseGuide() {
        // The coarse search on 128 px instead of 256 quarters its cost (measured: 590 -> 210 ms a frame on 2 busy cores, the
        // same pose to 0.01°); features and the fine fit stay at 480 px, where smaller copies lost the match.
        this(ConfigAlignment.defaults().withFeatureLongSidePx(WORK_SIDE).withEccLongSidePx(WORK_SIDE).withSearchLongSidePx(128)
                .withEccIterations(15).withMaxLinearScale(1.6).withMinInliers(12));
    }

    PoseGuide(ConfigAlignment config) {
        this.aligner = new Aligner(config, 1);
    }


    /**
     * What to tell the person.
     *
     * @param state        {@code ok} (inside the tolerance, no light problem), {@code adjust} (hints say what), or
     *                     {@code lost} (the frame could not be matched to the baseline: point the camera at the area)
     * @param hints        what to do, most important first (empty when ok)
     * @param shiftX       the view's centre offset from the baseline's, as a share of the baseline's width (+ right)
     * @param shiftY       the same, of its height (+ down)
     * @param scale        the view's size over the baseline's (> 1: the camera sees more, it is too far)
     * @param rotationDeg  the view's rotation against the baseline (+ clockwise)
     * @param tilt         the corners' mean residual after the similarity, as a share of the baseline's diagonal
     * @param cornerError  the corners' mean distance from the baseline's, as a share of its diagonal
     * @param ms           time the guidance took
     */
    public record Guidance(String state, List<String> hints, double shiftX, double shiftY, double scale, double rotationDeg,
                           double tilt, double cornerError, double ms) {
    }

    /** A baseline made ready for many frames: its small copy and its sharpness. */
    public static final class Reference implements AutoCloseable {
        private final Mat small;
        private final double sharpness;

        private Reference(Mat small, double sharpness) {
            this.small = small;
            this.sharpness = sharpness;
        }

        @Override
        public void close() {
            small.release();
        }
    }

    /** Prepares a baseline photo (upright {@code CV_8UC3}); the caller closes it. */
    public static Reference reference(Mat baselineBgr) {
        Mat small = shrink(baselineBgr);
        try {
            return new Reference(small, sharpness(small));
        } catch (RuntimeException e) {
            small.release();
            throw e;
        }
    }

    /** Guidance for one camera frame (upright {@code CV_8UC3}, any size). */
    public Guidance guide(Reference baseline, Mat frameBgr) {
        long t0 = System.nanoTime();
        try (MatScope s = new MatScope()) {
            Mat frame = s.track(shrink(frameBgr));
            List<String> light = new ArrayList<>();
            Mat grey = s.track(new Mat());
            Imgproc.cvtColor(frame, grey, Imgproc.COLOR_BGR2GRAY);
            double mean = Core.mean(grey).val[0];
            if (mean < MIN_MEAN_GREY) {
                light.add("Too dark: add light or move to a brighter place");
            }
            Mat max = s.track(new Mat());
            List<Mat> ch = new ArrayList<>();
            Core.split(frame, ch);
            ch.forEach(s::track);
            Core.max(ch.get(0), ch.get(1), max);
            Core.max(max, ch.get(2), max);
            Mat clipped = s.track(new Mat());
            Imgproc.threshold(max, clipped, 249, 255, Imgproc.THRESH_BINARY);
            if (Core.countNonZero(clipped) > MAX_CLIPPED * clipped.total()) {
                light.add("Glare: tilt the camera a little or move the light to the side");
            }
            if (sharpness(frame) < MIN_SHARPNESS * baseline.sharpness) {
                light.add("Blurred: hold still and let the camera focus on the skin");
            }
            Alignment a = aligner.align(baseline.small, frame, Optional.empty(), Optional.empty());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!a.ok() || a.afterToBefore().isEmpty()) {
                List<String> hints = new ArrayList<>(light);
                hints.add(0, "Point the camera at the same area as the baseline (the ghost picture)");
                return new Guidance("lost", hints, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, ms);
            }
            Guidance pose = pose(a.afterToBefore().get(), frame.cols(), frame.rows(), baseline.small.cols(), baseline.small.rows(), ms);
            List<String> hints = new ArrayList<>(pose.hints());
            hints.addAll(light);
            String state = hints.isEmpty() ? "ok" : "adjust";
            return new Guidance(state, hints, pose.shiftX(), pose.shiftY(), pose.scale(), pose.rotationDeg(), pose.tilt(),
                    pose.cornerError(), ms);
        }
    }

    /**
     * The pose of a frame from its transform into the baseline ({@code frameToBaseline}, in the small copies' pixels)
     * and the hints that bring it inside the tolerance.
     */
    static Guidance pose(Homography frameToBaseline, int frameW, int frameH, int baseW, int baseH, double ms) {
        // The frame's corners and centre, in the baseline, in units of the baseline's size (0..1 is the baseline).
        double[][] fc = {{0, 0}, {frameW, 0}, {frameW, frameH}, {0, frameH}};
        double[][] bc = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
        double[][] mapped = new double[4][];
        for (int i = 0; i < 4; i++) {
            double[] p = frameToBaseline.apply(fc[i][0], fc[i][1]);
            mapped[i] = new double[] {p[0] / baseW, p[1] / baseH};
        }
        double[] centre = frameToBaseline.apply(frameW / 2.0, frameH / 2.0);
        double shiftX = centre[0] / baseW - 0.5;
        double shiftY = centre[1] / baseH - 0.5;
        // Similarity of the outline (least squares over the 4 corners, in baseline pixels so x and y weigh alike).
        double mx = 0;
        double my = 0;
        double bx = 0;
        double by = 0;
        for (int i = 0; i < 4; i++) {
            mx += mapped[i][0] * baseW / 4;
            my += mapped[i][1] * baseH / 4;
            bx += bc[i][0] * baseW / 4;
            by += bc[i][1] * baseH / 4;
        }
        double sxx = 0;
        double sxy = 0;
        double norm = 0;
        for (int i = 0; i < 4; i++) {
            double ux = bc[i][0] * baseW - bx;
            double uy = bc[i][1] * baseH - by;
            double vx = mapped[i][0] * baseW - mx;
            double vy = mapped[i][1] * baseH - my;
            sxx += ux * vx + uy * vy;
            sxy += ux * vy - uy * vx;
            norm += ux * ux + uy * uy;
        }
        double a = sxx / norm;
        double b = sxy / norm;
        double scale = Math.hypot(a, b);
        double rotation = Math.toDegrees(Math.atan2(b, a)); // y points down: positive is clockwise on the screen
        double diag = Math.hypot(baseW, baseH);
        double residual = 0;
        double corner = 0;
        for (int i = 0; i < 4; i++) {
            double ux = bc[i][0] * baseW - bx;
            double uy = bc[i][1] * baseH - by;
            double px = mx + a * ux - b * uy;
            double py = my + b * ux + a * uy;
            residual += Math.hypot(px - mapped[i][0] * baseW, py - mapped[i][1] * baseH) / diag / 4;
            corner += Math.hypot((mapped[i][0] - bc[i][0]) * baseW, (mapped[i][1] - bc[i][1]) * baseH) / diag / 4;
        }
        List<String> hints = new ArrayList<>();
        // The camera sees a region to the right of the baseline's: move it left (and so on).
        if (Math.abs(shiftX) > MAX_SHIFT || Math.abs(shiftY) > MAX_SHIFT) {
            if (Math.abs(shiftX) >= Math.abs(shiftY)) {
                hints.add(shiftX > 0 ? "Move the camera left" : "Move the camera right");
            } else {
                hints.add(shiftY > 0 ? "Move the camera up" : "Move the camera down");
            }
        }
        if (scale > 1 + MAX_SCALE_CHANGE) {
            hints.add("Move closer");
        } else if (scale < 1 - MAX_SCALE_CHANGE) {
            hints.add("Move back");
        }
        if (Math.abs(rotation) > MAX_ROTATION_DEG) {
            hints.add(String.format(Locale.ROOT, "Rotate the camera %s (by about %.0f°)", rotation > 0 ? "counter-clockwise" : "clockwise",
                    Math.abs(rotation)));
        }
        if (residual > MAX_TILT) {
            hints.add("Hold the camera square to the skin (it is tilted)");
        }
        return new Guidance(hints.isEmpty() ? "ok" : "adjust", hints, shiftX, shiftY, scale, rotation, residual, corner, ms);
    }

    private static Mat shrink(Mat bgr) {
        double f = Math.min(1.0, WORK_SIDE / (double) Math.max(bgr.cols(), bgr.rows()));
        Mat small = new Mat();
        Imgproc.resize(bgr, small, new Size(Math.max(1, Math.round(bgr.cols() * f)), Math.max(1, Math.round(bgr.rows() * f))), 0, 0,
                Imgproc.INTER_AREA);
        return small;
    }

    private static double sharpness(Mat bgrSmall) {
        try (MatScope s = new MatScope()) {
            Mat grey = s.track(new Mat());
            Imgproc.cvtColor(bgrSmall, grey, Imgproc.COLOR_BGR2GRAY);
            Mat lap = s.track(new Mat());
            Imgproc.Laplacian(grey, lap, CvType.CV_32F);
            MatOfDouble mean = s.track(new MatOfDouble());
            MatOfDouble sd = s.track(new MatOfDouble());
            Core.meanStdDev(lap, mean, sd);
            double v = sd.get(0, 0)[0];
            return v * v;
        }
    }
}
