package org.dermatrend.overlay;

import java.util.ArrayList;
import java.util.List;
import org.dermatrend.cv.MatScope;
import org.dermatrend.measure.RednessMeter;
import org.dermatrend.measure.SkinScore;
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
 * index over the skin (blue = low, red = high, fixed scale so maps compare across photos; the
 * red-area threshold drawn as a white contour). Panels are scaled to at most {@code maxPanelPx} wide.
 */
public final class OverlayRenderer {
    /** Heat-map scale, haemoglobin index a.u.: this range maps onto the whole colour map. */
    static final double HEAT_LOW = 0.2;
    static final double HEAT_HIGH = 1.4;

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
            Mat scaled = scope.mat();
            haem.convertTo(scaled, CvType.CV_8U, 255 / (HEAT_HIGH - HEAT_LOW), -255 * HEAT_LOW / (HEAT_HIGH - HEAT_LOW));
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
            drawContours(scope, right, red, new Scalar(255, 255, 255), thick);

            double f = Math.min(1, maxPanelPx / (double) bgr8.cols());
            Size size = new Size(Math.round(bgr8.cols() * f), Math.round(bgr8.rows() * f));
            Mat l = scope.mat();
            Mat r = scope.mat();
            Imgproc.resize(left, l, size, 0, 0, Imgproc.INTER_AREA);
            Imgproc.resize(right, r, size, 0, 0, Imgproc.INTER_AREA);
            Mat out = new Mat();
            Core.hconcat(List.of(l, r), out);
            double fontScale = Math.max(0.5, size.width / 1400.0);
            Imgproc.putText(out, String.format("pores: %d", score.pores().pores().size()), new Point(10, 30 * fontScale),
                    Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, new Scalar(255, 255, 0), 2);
            Imgproc.putText(out, String.format("haemoglobin index %.1f-%.1f (red area: white edge)", HEAT_LOW, HEAT_HIGH),
                    new Point(size.width + 10, 30 * fontScale), Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, new Scalar(255, 255, 255), 2);
            return out;
        }
    }

    private static void drawContours(MatScope scope, Mat canvas, Mat mask, Scalar colour, int thickness) {
        List<MatOfPoint> contours = new ArrayList<>();
        Mat hierarchy = scope.mat();
        Imgproc.findContours(mask, contours, hierarchy, Imgproc.RETR_LIST, Imgproc.CHAIN_APPROX_NONE);
        contours.forEach(scope::track);
        Imgproc.drawContours(canvas, contours, -1, colour, thickness);
    }
}
