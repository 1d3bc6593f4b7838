package org.dermatrend.overlay;

import java.util.ArrayList;
import java.util.List;
import org.dermatrend.cv.MatScope;
import org.dermatrend.measure.RednessMeter;
import org.dermatrend.measure.Scar;
import org.dermatrend.measure.ScarResult;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.relief.ReliefInput;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Draws what was measured so a person can check it: on the left the photo with the skin mask's
 * edge (yellow) and every pore outlined (cyan); on the right a redness heat map of the haemoglobin
 * index over the skin (blue = low, red = high; on colour-calibrated photos a fixed scale, so maps
 * compare across photos, with the red-area threshold as a white contour; without a grey card the
 * photo's own 5–95 % range, labelled as relative); third, the scar relief: depth below the
 * surrounding skin on a fixed 0–{@value #RELIEF_HIGH_MM} mm scale over the grey photo, each scar
 * circled at its diameter in its kind's colour (icepick magenta, boxcar orange, rolling green) with its
 * depth. Panels are scaled to at most {@code maxPanelPx} wide.
 */
public final class OverlayRenderer {
    /** Heat-map scale, haemoglobin index a.u.: this range maps onto the whole colour map. */
    static final double HEAT_LOW = 0.2;
    static final double HEAT_HIGH = 1.4;
    /** Relief scale, mm of depth: 0 maps to the cold end, this to the hot end. */
    static final double RELIEF_HIGH_MM = 0.5;

    private final int maxPanelPx;
    private final double redThreshold;

    public OverlayRenderer(int maxPanelPx, double redThreshold) {
        this.maxPanelPx = maxPanelPx;
        this.redThreshold = redThreshold;
    }

    /** @return a new {@code CV_8UC3} image, owned by the caller */
    public Mat render(Mat bgr8, SkinScore score) {
        try (MatScope scope = new MatScope()) {
            Mat skin = score.prepared().mask().mask();
            Mat left = scope.track(bgr8.clone());
            int thick = Math.max(1, (int) Math.round(bgr8.cols() / 1200.0));
            drawContours(scope, left, skin, new Scalar(0, 230, 255), thick);
            drawContours(scope, left, score.pores().poreMask(), new Scalar(255, 255, 0), thick);

            Mat haem = scope.track(RednessMeter.haemoglobinMap(score.prepared().linear()));
            Imgproc.GaussianBlur(haem, haem, new Size(0, 0), Math.max(1, bgr8.cols() / 800.0));
            // Calibrated colour: a fixed scale, comparable across photos. Without a grey card the index is
            // offset by the camera's white balance, so the map is scaled to this photo's own 5-95 % range.
            boolean calibrated = score.prepared().calibration().calibrated();
            double[] range = calibrated ? new double[] {HEAT_LOW, HEAT_HIGH} : percentiles(haem, skin);
            Mat scaled = scope.mat();
            haem.convertTo(scaled, CvType.CV_8U, 255 / (range[1] - range[0]), -255 * range[0] / (range[1] - range[0]));
            Mat heat = scope.mat();
            Imgproc.applyColorMap(scaled, heat, Imgproc.COLORMAP_JET);
            Mat grey = scope.mat();
            Imgproc.cvtColor(bgr8, grey, Imgproc.COLOR_BGR2GRAY);
            Imgproc.cvtColor(grey, grey, Imgproc.COLOR_GRAY2BGR);
            Mat blend = scope.mat();
            Core.addWeighted(heat, 0.65, grey, 0.35, 0, blend);
            Mat right = scope.track(grey.clone());
            blend.copyTo(right, skin);
            Mat red = scope.mat();
            Imgproc.threshold(haem, red, redThreshold, 255, Imgproc.THRESH_BINARY);
            red.convertTo(red, CvType.CV_8U);
            Core.bitwise_and(red, skin, red);
            if (calibrated) {
                drawContours(scope, right, red, new Scalar(255, 255, 255), thick);
            }

            double f = Math.min(1, maxPanelPx / (double) bgr8.cols());
            Size size = new Size(Math.round(bgr8.cols() * f), Math.round(bgr8.rows() * f));
            Mat l = scope.mat();
            Mat r = scope.mat();
            Imgproc.resize(left, l, size, 0, 0, Imgproc.INTER_AREA);
            Imgproc.resize(right, r, size, 0, 0, Imgproc.INTER_AREA);
            Mat relief = score.scars().isPresent() ? scope.track(reliefPanel(scope, grey, score.scars().get(), size))
                    : scope.track(notMeasuredPanel(grey, size));
            Mat out = new Mat();
            Core.hconcat(List.of(l, r, relief), out);
            double fontScale = Math.max(0.5, size.width / 1400.0);
            Imgproc.putText(out, String.format("pores: %d", score.pores().pores().size()), new Point(10, 30 * fontScale),
                    Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, new Scalar(255, 255, 0), 2);
            String legend = calibrated ? String.format("haemoglobin index %.1f-%.1f (red area: white edge)", range[0], range[1])
                    : String.format("relative redness (no grey card): index %.2f-%.2f", range[0], range[1]);
            Imgproc.putText(out, legend,
                    new Point(size.width + 10, 30 * fontScale), Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, new Scalar(255, 255, 255), 2);
            String reliefLegend = score.scars().map(s -> s.scaled()
                    ? String.format("scar depth 0-%.1f mm: %d scars", RELIEF_HIGH_MM, s.scars().size())
                    : String.format("scars: %d (no scale: depths not measured)", s.scars().size()))
                    .orElse("scars not measured: the photo failed the quality gate");
            Imgproc.putText(out, reliefLegend, new Point(2 * size.width + 10, 30 * fontScale), Imgproc.FONT_HERSHEY_SIMPLEX,
                    fontScale, new Scalar(255, 255, 255), 2);
            return out;
        }
    }

    /**
     * The three overlays as separate transparent layers ({@code CV_8UC4}, B, G, R, alpha) at
     * {@code size} (the photo's display size), for a viewer that toggles them over the photo: pore
     * outlines (cyan, opaque), redness (the haemoglobin heat map at 60 % opacity over skin, on the same
     * scale as {@link #render}), scar relief (the depth heat map, transparent where flat and opaque from
     * 0.15 mm, scars circled by kind). The caller owns the three Mats.
     */
    public record Layers(Mat pores, Mat redness, Mat scars) implements AutoCloseable {
        @Override
        public void close() {
            pores.release();
            redness.release();
            scars.release();
        }
    }

    public Layers layers(Mat bgr8, SkinScore score, Size size) {
        ScarResult scarResult = score.scars().orElseThrow(() -> new IllegalArgumentException(
                "layers need the scar relief, which is measured only on photos that pass the quality gate"));
        try (MatScope scope = new MatScope()) {
            Mat skin = scope.mat();
            Imgproc.resize(score.prepared().mask().mask(), skin, size, 0, 0, Imgproc.INTER_NEAREST);
            // Pores: outlines of the pore mask at display size.
            Mat poreMask = scope.mat();
            Imgproc.resize(score.pores().poreMask(), poreMask, size, 0, 0, Imgproc.INTER_NEAREST);
            Mat pores = Mat.zeros(size, CvType.CV_8UC4);
            drawContours(scope, pores, poreMask, new Scalar(255, 255, 0, 255), 1);
            // Redness: the heat map inside the skin.
            Mat haem = scope.track(RednessMeter.haemoglobinMap(score.prepared().linear()));
            Imgproc.GaussianBlur(haem, haem, new Size(0, 0), Math.max(1, bgr8.cols() / 800.0));
            boolean calibrated = score.prepared().calibration().calibrated();
            double[] range = calibrated ? new double[] {HEAT_LOW, HEAT_HIGH} : percentiles(haem, score.prepared().mask().mask());
            Mat small = scope.mat();
            Imgproc.resize(haem, small, size, 0, 0, Imgproc.INTER_AREA);
            Mat scaled = scope.mat();
            small.convertTo(scaled, CvType.CV_8U, 255 / (range[1] - range[0]), -255 * range[0] / (range[1] - range[0]));
            Mat heat = scope.mat();
            Imgproc.applyColorMap(scaled, heat, Imgproc.COLORMAP_JET);
            Mat redness = withAlpha(scope, heat, skin, 0.6);
            // Scar relief: opacity grows with depth, full from 0.15 mm.
            Mat depth = scope.mat();
            Imgproc.resize(scarResult.depthMm(), depth, size, 0, 0, Imgproc.INTER_LINEAR);
            Mat depth8 = scope.mat();
            depth.convertTo(depth8, CvType.CV_8U, 255 / RELIEF_HIGH_MM, 0);
            Mat inferno = scope.mat();
            Imgproc.applyColorMap(depth8, inferno, Imgproc.COLORMAP_INFERNO);
            Mat alpha = scope.mat();
            depth.convertTo(alpha, CvType.CV_8U, 255 / 0.15, 0);
            Mat scars = scope.mat();
            List<Mat> channels = new ArrayList<>();
            Core.split(inferno, channels);
            channels.forEach(scope::track);
            channels.add(alpha);
            Core.merge(channels, scars);
            double f = size.width / (double) bgr8.cols();
            double mmToPanel = f / (ReliefInput.MM_PER_PX * scarResult.canonicalFactor());
            for (Scar sc : scarResult.scars()) {
                Scalar colour = switch (sc.type()) {
                    case "icepick" -> new Scalar(255, 0, 255, 255);
                    case "boxcar" -> new Scalar(0, 165, 255, 255);
                    default -> new Scalar(80, 255, 80, 255);
                };
                Point c = new Point((sc.xPx() + 0.5) * f - 0.5, (sc.yPx() + 0.5) * f - 0.5);
                Imgproc.circle(scars, c, Math.max(3, (int) Math.round(sc.diameterMm() / 2 * mmToPanel)), colour, 1);
            }
            return new Layers(pores, redness, scars.clone());
        }
    }

    /** {@code bgr} with an alpha channel of {@code opacity} where {@code mask} is set, 0 elsewhere; a new Mat. */
    private static Mat withAlpha(MatScope scope, Mat bgr, Mat mask, double opacity) {
        Mat alpha = scope.mat();
        mask.convertTo(alpha, CvType.CV_8U, opacity, 0);
        List<Mat> channels = new ArrayList<>();
        Core.split(bgr, channels);
        channels.forEach(scope::track);
        channels.add(alpha);
        Mat out = new Mat();
        Core.merge(channels, out);
        return out;
    }

    /** The third panel of a photo whose scars were not measured: the photo in grey, dimmed. The caller owns it. */
    private static Mat notMeasuredPanel(Mat grey, Size size) {
        Mat out = new Mat();
        try {
            Imgproc.resize(grey, out, size, 0, 0, Imgproc.INTER_AREA);
            Core.multiply(out, new Scalar(0.5, 0.5, 0.5), out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** The relief panel at {@code size}: depth heat map over the grey photo, scars circled by kind. */
    private static Mat reliefPanel(MatScope scope, Mat grey, ScarResult scars, Size size) {
        Mat depth = scope.mat();
        Imgproc.resize(scars.depthMm(), depth, size, 0, 0, Imgproc.INTER_LINEAR);
        Mat scaled = scope.mat();
        depth.convertTo(scaled, CvType.CV_8U, 255 / RELIEF_HIGH_MM, 0);
        Mat heat = scope.mat();
        Imgproc.applyColorMap(scaled, heat, Imgproc.COLORMAP_INFERNO);
        Mat g = scope.mat();
        Imgproc.resize(grey, g, size, 0, 0, Imgproc.INTER_AREA);
        Mat out = new Mat();
        Core.addWeighted(heat, 0.7, g, 0.3, 0, out);
        double f = size.width / (double) grey.cols();
        // Panel pixels per mm: the photo is canonicalFactor × MM_PER_PX mm per pixel.
        double mmToPanel = f / (ReliefInput.MM_PER_PX * scars.canonicalFactor());
        int thick = Math.max(1, (int) Math.round(size.width / 800.0));
        for (Scar s : scars.scars()) {
            Scalar colour = switch (s.type()) {
                case "icepick" -> new Scalar(255, 0, 255);
                case "boxcar" -> new Scalar(0, 165, 255);
                default -> new Scalar(80, 255, 80);
            };
            Point c = new Point((s.xPx() + 0.5) * f - 0.5, (s.yPx() + 0.5) * f - 0.5);
            int radius = Math.max(3, (int) Math.round(s.diameterMm() / 2 * mmToPanel));
            Imgproc.circle(out, c, radius, colour, thick);
            if (scars.scaled()) {
                Imgproc.putText(out, String.format("%.2f", s.depthMm()), new Point(c.x + radius + 2, c.y),
                        Imgproc.FONT_HERSHEY_SIMPLEX, Math.max(0.35, size.width / 2400.0), colour, 1);
            }
        }
        return out;
    }

    /** The 5th and 95th percentiles of {@code values} under {@code mask} (a tiny span when flat). */
    private static double[] percentiles(Mat values, Mat mask) {
        int n = (int) values.total();
        float[] v = new float[n];
        byte[] m = new byte[n];
        values.get(0, 0, v);
        mask.get(0, 0, m);
        float[] sel = new float[n];
        int c = 0;
        for (int i = 0; i < n; i += 4) {
            if (m[i] != 0) {
                sel[c++] = v[i];
            }
        }
        if (c == 0) {
            return new double[] {HEAT_LOW, HEAT_HIGH};
        }
        java.util.Arrays.sort(sel, 0, c);
        double lo = sel[(int) (0.05 * (c - 1))];
        double hi = sel[(int) (0.95 * (c - 1))];
        return new double[] {lo, Math.max(hi, lo + 0.05)};
    }

    private static void drawContours(MatScope scope, Mat canvas, Mat mask, Scalar colour, int thickness) {
        List<MatOfPoint> contours = new ArrayList<>();
        Mat hierarchy = scope.mat();
        Imgproc.findContours(mask, contours, hierarchy, Imgproc.RETR_LIST, Imgproc.CHAIN_APPROX_NONE);
        contours.forEach(scope::track);
        Imgproc.drawContours(canvas, contours, -1, colour, thickness);
    }
}
