package org.dermatrend.eval;

import java.util.Random;
import org.dermatrend.align.Homography;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.PixelRect;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Re-photographs a real photo of unchanged skin, as a clinic would at the next session: the camera
 * moves (rotation ±{@code maxRotationDeg}, zoom within ±{@code maxZoom}, a shift, a small perspective
 * tilt), the light changes colour (each linear channel ±{@code maxChannelGain}) and strength (exposure
 * ±{@code maxExposure}), the sensor adds shot and read noise, the camera stores JPEG at quality
 * 88–95, and a grey card lies in a corner of the frame, lit by the same light. Every session, the
 * first too, is such a view of the centre of the source photo (a square of {@code viewFraction} of its
 * shorter side), so every session is resampled alike and none is the untouched original.
 *
 * <p>The skin itself does not change: whatever a metric's reading moves by across the sessions of one
 * photo is measurement noise. The card is 18 % grey under the session's light, so a calibrated
 * reading sees the source photo's own colours again; what calibration leaves is the JPEG's rounding of
 * the card (docs/metrics.md §7), as in a real clinic photo.
 */
public final class RealRecapture {
    /** The ranges of one re-capture; see the class comment. */
    public record Ranges(double maxRotationDeg, double maxZoom, double maxShiftFraction, double maxTiltDeg,
                         double maxChannelGain, double maxExposure, int minJpegQuality, int maxJpegQuality,
                         double viewFraction) {
        /** The pores issue's ranges: ±6°, ±5 % scale, small shift and perspective, ±10 % per channel and exposure. */
        public static Ranges issue16() {
            return new Ranges(6, 0.05, 0.03, 3, 0.10, 0.10, 88, 95, 0.72);
        }
    }

    /**
     * One session's photo: JPEG bytes, the card's rectangle in it, the transform from its pixels to the
     * source photo's (the truth an alignment or a per-pore match can be checked against), and how it was made.
     */
    public record Session(byte[] jpeg, PixelRect card, int viewSize, Homography viewToSource, String description) {
    }

    private static final double CARD_REFLECTANCE = 0.18;
    private static final double CARD_FRACTION = 0.13;

    private final Ranges ranges;

    public RealRecapture(Ranges ranges) {
        this.ranges = ranges;
    }

    /** The view's side for a source of this size (a square). */
    public int viewSize(int width, int height) {
        return (int) Math.round(ranges.viewFraction() * Math.min(width, height));
    }

    /**
     * @param source  the real photo, {@code CV_8UC3} (BGR, sRGB-encoded)
     * @param seed    this session's seed (the same seed makes the same session)
     * @param corner  which corner holds the card (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left):
     *                the same for every session of one skin
     */
    public Session session(Mat source, long seed, int corner) {
        Random rng = new Random(AlignmentPairs.mix(seed));
        int v = viewSize(source.cols(), source.rows());
        double theta = AlignmentPairs.uniform(rng, -ranges.maxRotationDeg(), ranges.maxRotationDeg());
        double zoom = 1 + AlignmentPairs.uniform(rng, -ranges.maxZoom(), ranges.maxZoom());
        double shift = ranges.maxShiftFraction() * v * Math.sqrt(rng.nextDouble());
        double shiftAngle = rng.nextDouble() * 2 * Math.PI;
        double tilt = AlignmentPairs.uniform(rng, -ranges.maxTiltDeg(), ranges.maxTiltDeg());
        double axis = rng.nextDouble() * Math.PI;
        double[] gains = new double[3];
        for (int c = 0; c < 3; c++) {
            gains[c] = 1 + AlignmentPairs.uniform(rng, -ranges.maxChannelGain(), ranges.maxChannelGain());
        }
        double exposure = 1 + AlignmentPairs.uniform(rng, -ranges.maxExposure(), ranges.maxExposure());
        int quality = ranges.minJpegQuality() + rng.nextInt(ranges.maxJpegQuality() - ranges.minJpegQuality() + 1);
        // View pixel p shows source pixel viewToSource(p): about the view's centre, placed on the source's centre.
        double c = (v - 1) / 2.0;
        Homography aboutCentre = AlignmentPairs.compose(c, c, Math.toRadians(theta), zoom,
                shift * Math.cos(shiftAngle), shift * Math.sin(shiftAngle), Math.toRadians(tilt), axis, 1.2 * v);
        Homography viewToSource = Homography.translation((source.cols() - v) / 2.0, (source.rows() - v) / 2.0).after(aboutCentre);
        try (MatScope scope = new MatScope()) {
            Mat view = scope.mat();
            Imgproc.warpPerspective(source, view, scope.track(viewToSource.toMat()), new Size(v, v),
                    Imgproc.INTER_LINEAR | Imgproc.WARP_INVERSE_MAP, Core.BORDER_REFLECT, new Scalar(0, 0, 0));
            int side = (int) Math.round(CARD_FRACTION * v);
            int margin = Math.max(2, v / 40);
            int x = corner == 1 || corner == 2 ? v - margin - side : margin;
            int y = corner == 2 || corner == 3 ? v - margin - side : margin;
            byte[] px = new byte[v * v * 3];
            view.get(0, 0, px);
            // Linear light under the session's light, a card, then shot and read noise, back to 8-bit sRGB.
            for (int yy = 0; yy < v; yy++) {
                for (int xx = 0; xx < v; xx++) {
                    boolean card = xx >= x && xx < x + side && yy >= y && yy < y + side;
                    int p = 3 * (yy * v + xx);
                    for (int ch = 0; ch < 3; ch++) {
                        double g = gains[2 - ch] * exposure; // BGR
                        double l = (card ? CARD_REFLECTANCE : ColorMath.linearOf8Bit(px[p + ch] & 0xff)) * g;
                        double sigma = Math.sqrt(2.5e-4 * l + 4e-6);
                        l = Math.max(0, l + sigma * rng.nextGaussian());
                        px[p + ch] = (byte) Math.round(255 * Math.min(1, ColorMath.linearToSrgb(Math.min(1, l))));
                    }
                }
            }
            view.put(0, 0, px);
            MatOfByte buf = scope.track(new MatOfByte());
            MatOfInt params = scope.track(new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
            if (!Imgcodecs.imencode(".jpg", view, buf, params)) {
                throw new IllegalStateException("JPEG encoding failed for a " + v + " px view");
            }
            // The card's inner part: its rim is blurred by JPEG and mixed with the skin beside it.
            int inset = Math.max(2, side / 10);
            PixelRect rect = new PixelRect(x + inset, y + inset, side - 2 * inset, side - 2 * inset);
            String description = String.format("rotation %+.1f deg, zoom %.3f, shift %.0f px, tilt %+.1f deg, gains R %.3f G %.3f "
                    + "B %.3f, exposure %.3f, JPEG q%d", theta, zoom, shift, tilt, gains[0], gains[1], gains[2], exposure, quality);
            return new Session(buf.toArray(), rect, v, viewToSource, description);
        }
    }
}
