package org.dermatrend.report;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dermatrend.align.Homography;
import org.dermatrend.compare.Comparison;
import org.dermatrend.cv.MatScope;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.overlay.OverlayRenderer;
import org.dermatrend.analysis.SeriesMeasurer;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The report's pictures, collected while a series is measured: every usable session's photo warped
 * into the baseline's frame at display size (so the baseline and any session line up pixel for
 * pixel), with its three overlay layers warped the same way. Encoded at once (JPEG for photos, PNG for
 * the transparent layers): nothing native outlives the callback.
 */
public final class ReportVisuals implements SeriesMeasurer.Observer {
    /** Width of the images in the report, px. */
    public static final int DISPLAY_WIDTH = 900;

    /** One session's pictures as data URIs. */
    public record Frame(String photo, String pores, String redness, String scars) {
    }

    private final OverlayRenderer overlays;
    private final Map<String, Frame> frames = new LinkedHashMap<>();
    private Size displaySize;
    private Homography baselineToDisplay;

    public ReportVisuals(OverlayRenderer overlays) {
        this.overlays = overlays;
    }

    /** Frames by the photo's name, in date order. */
    public Map<String, Frame> frames() {
        return frames;
    }

    @Override
    public void baseline(SeriesMeasurer.Photo photo, DecodedPhoto decoded, SkinScore score) {
        double f = DISPLAY_WIDTH / (double) decoded.width();
        displaySize = new Size(DISPLAY_WIDTH, Math.round(decoded.height() * f));
        baselineToDisplay = Homography.resize(f, f);
        frames.put(photo.name(), frame(decoded, score, baselineToDisplay, decoded.width()));
    }

    @Override
    public void followUp(SeriesMeasurer.Photo photo, DecodedPhoto after, Comparison comparison) {
        Homography afterToBefore = comparison.alignment().afterToBefore().orElseThrow();
        frames.put(photo.name(), frame(after, comparison.after().orElseThrow(), baselineToDisplay.after(afterToBefore), after.width()));
    }

    /** The photo and layers of one session, warped by {@code toDisplay} (its pixels → the baseline's display pixels). */
    private Frame frame(DecodedPhoto photo, SkinScore score, Homography toDisplay, int photoWidth) {
        try (MatScope scope = new MatScope()) {
            Mat m = scope.track(toDisplay.toMat());
            Mat warped = scope.mat();
            Imgproc.warpPerspective(photo.bgr(), warped, m, displaySize, Imgproc.INTER_AREA, Core.BORDER_CONSTANT, new Scalar(40, 40, 40));
            // Layers are drawn at the photo's own display scale, then carried into the baseline's frame.
            double f = DISPLAY_WIDTH / (double) photoWidth;
            Size own = new Size(DISPLAY_WIDTH, Math.round(photo.height() * f));
            Mat layerToDisplay = scope.track(toDisplay.after(Homography.resize(f, f).inverse()).toMat());
            try (OverlayRenderer.Layers layers = overlays.layers(photo.bgr(), score, own)) {
                return new Frame(jpeg(warped), png(scope, layers.pores(), layerToDisplay), png(scope, layers.redness(), layerToDisplay),
                        png(scope, layers.scars(), layerToDisplay));
            }
        }
    }

    private String png(MatScope scope, Mat layer, Mat toDisplay) {
        Mat warped = scope.mat();
        Imgproc.warpPerspective(layer, warped, toDisplay, displaySize, Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
        return "data:image/png;base64," + encode(".png", warped, new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 6));
    }

    private static String jpeg(Mat bgr) {
        return "data:image/jpeg;base64," + encode(".jpg", bgr, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 88));
    }

    private static String encode(String ext, Mat image, MatOfInt params) {
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(ext, image, out, params)) {
                throw new IllegalStateException("OpenCV could not encode a " + ext + " of " + image);
            }
            return Base64.getEncoder().encodeToString(out.toArray());
        } finally {
            out.release();
            params.release();
        }
    }
}
