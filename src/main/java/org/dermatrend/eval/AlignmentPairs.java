package org.dermatrend.eval;

import java.util.Random;
import org.dermatrend.align.Homography;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Builds before/after pairs whose transform is known exactly: the before photo is the centre of a
 * larger scene, the after photo is the same scene (or a re-render of it under another light and with
 * less redness) seen through a random camera motion: rotation, zoom, shift and a perspective tilt,
 * then a white-balance and exposure change and JPEG compression. Pixels of the after photo that fall
 * outside the scene are black and outside {@code afterValid}.
 */
public final class AlignmentPairs {
    /**
     * Ranges of the random camera motion (the alignment issue's): rotation ±{@code maxRotationDeg},
     * zoom 1/{@code maxScale}..{@code maxScale}, shift up to {@code maxShiftFraction} of the width,
     * tilt up to {@code maxTiltDeg} about a random axis in the image plane.
     */
    public record Motion(double maxRotationDeg, double maxScale, double maxShiftFraction, double maxTiltDeg) {
        public static Motion issueRanges() {
            return new Motion(20, 1.25, 0.15, 10);
        }
    }

    private AlignmentPairs() {
    }

    /**
     * A random after-to-before transform for {@code width × height} photos. The zoom {@code k} is after
     * pixels to before pixels; the tilt is a camera rotation about an in-plane axis through the
     * centre, with a focal length of 1.2 widths (a typical close-up lens).
     */
    public static Homography randomMotion(Random rng, int width, int height, Motion motion) {
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        double theta = Math.toRadians(uniform(rng, -motion.maxRotationDeg(), motion.maxRotationDeg()));
        double k = Math.exp(uniform(rng, -Math.log(motion.maxScale()), Math.log(motion.maxScale())));
        double shift = motion.maxShiftFraction() * width * Math.sqrt(rng.nextDouble());
        double shiftAngle = rng.nextDouble() * 2 * Math.PI;
        double tilt = Math.toRadians(uniform(rng, -motion.maxTiltDeg(), motion.maxTiltDeg()));
        double axis = rng.nextDouble() * Math.PI;
        return compose(cx, cy, theta, k, shift * Math.cos(shiftAngle), shift * Math.sin(shiftAngle), tilt, axis, 1.2 * width);
    }

    /** A rotation by {@code angleDeg} and zoom about the centre, then a shift: for tests. */
    public static Homography similarityForTest(int width, int height, double angleDeg, double zoom, double tx, double ty) {
        return compose((width - 1) / 2.0, (height - 1) / 2.0, Math.toRadians(angleDeg), zoom, tx, ty, 0, 0, 1.2 * width);
    }

    /**
     * {@code T(c + t) · k·R(θ) · Tilt · T(−c)}; Tilt = K·R_axis(tilt)·K⁻¹ with focal length {@code f}
     * px, R_axis a rotation by {@code tilt} about the in-plane unit axis at angle {@code axis}.
     */
    static Homography compose(double cx, double cy, double theta, double k, double tx, double ty, double tilt,
                              double axis, double f) {
        double ux = Math.cos(axis);
        double uy = Math.sin(axis);
        double c = Math.cos(tilt);
        double s = Math.sin(tilt);
        // Rodrigues' rotation about (ux, uy, 0).
        double[] r = {
            c + ux * ux * (1 - c), ux * uy * (1 - c), uy * s,
            uy * ux * (1 - c), c + uy * uy * (1 - c), -ux * s,
            -uy * s, ux * s, c};
        Homography kMat = Homography.of(f, 0, 0, 0, f, 0, 0, 0, 1);
        Homography tiltH = kMat.after(Homography.of(r)).after(kMat.inverse());
        Homography similarity = Homography.of(k * Math.cos(theta), -k * Math.sin(theta), 0,
                k * Math.sin(theta), k * Math.cos(theta), 0, 0, 0, 1);
        return Homography.translation(cx + tx, cy + ty).after(similarity).after(tiltH).after(Homography.translation(-cx, -cy));
    }

    /**
     * The pair: before = the centre {@code width × height} of {@code sceneBefore}; after =
     * {@code sceneAfter} seen through {@code afterToBefore} (so after pixel p shows before pixel
     * {@code afterToBefore(p)}), with linear-light gains and exposure applied and both encoded as JPEG.
     *
     * @param sceneBefore {@code CV_8UC3}, at least {@code width × height}
     * @param sceneAfter  the same scene, same size (may be the same Mat)
     * @param gainsRgb    white-balance gains on linear R, G, B of the after photo
     * @param jpegQuality 1..100, or 0 to keep the pixels lossless
     */
    public static AlignmentPair fromScene(String name, String kind, Mat sceneBefore, Mat sceneAfter, int width, int height,
                                          Homography afterToBefore, double[] gainsRgb, double exposure, int jpegQuality,
                                          String description) {
        if (sceneBefore.cols() < width || sceneBefore.rows() < height || !sceneBefore.size().equals(sceneAfter.size())) {
            throw new IllegalArgumentException("scenes must be equal and at least " + width + "x" + height + ": "
                    + sceneBefore + ", " + sceneAfter);
        }
        int ox = (sceneBefore.cols() - width) / 2;
        int oy = (sceneBefore.rows() - height) / 2;
        try (MatScope scope = new MatScope()) {
            Mat before = jpeg(scope.track(sceneBefore.submat(new Rect(ox, oy, width, height))), jpegQuality);
            Homography afterToScene = Homography.translation(ox, oy).after(afterToBefore);
            Mat m = scope.track(afterToScene.toMat());
            Mat warped = scope.mat();
            Imgproc.warpPerspective(sceneAfter, warped, m, new Size(width, height),
                    Imgproc.INTER_LINEAR | Imgproc.WARP_INVERSE_MAP, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            Mat ones = scope.track(new Mat(sceneAfter.size(), CvType.CV_8UC1, new Scalar(255)));
            Mat valid = new Mat();
            Imgproc.warpPerspective(ones, valid, m, new Size(width, height),
                    Imgproc.INTER_NEAREST | Imgproc.WARP_INVERSE_MAP, Core.BORDER_CONSTANT, new Scalar(0));
            Mat lit = scope.track(photometric(warped, gainsRgb, exposure));
            Mat after = jpeg(lit, jpegQuality);
            return new AlignmentPair(name, kind, before, after, valid, afterToBefore, description);
        }
    }

    /** Two unrelated photos: the centre {@code width × height} of each (both JPEG-encoded). */
    public static AlignmentPair unrelated(String name, Mat a, Mat b, int width, int height, int jpegQuality, String description) {
        try (MatScope scope = new MatScope()) {
            Mat before = jpeg(scope.track(centre(a, width, height)), jpegQuality);
            Mat after = jpeg(scope.track(centre(b, width, height)), jpegQuality);
            return new AlignmentPair(name, "unrelated", before, after, null, null, description);
        }
    }

    private static Mat centre(Mat m, int width, int height) {
        int w = Math.min(width, m.cols());
        int h = Math.min(height, m.rows());
        return m.submat(new Rect((m.cols() - w) / 2, (m.rows() - h) / 2, w, h));
    }

    /** Multiplies linear R, G, B by {@code gains × exposure} through an 8-bit look-up table; a new Mat. */
    static Mat photometric(Mat bgr8, double[] gainsRgb, double exposure) {
        Mat lut = new Mat(1, 256, CvType.CV_8UC3);
        try {
            byte[] table = new byte[256 * 3];
            for (int code = 0; code < 256; code++) {
                double linear = ColorMath.linearOf8Bit(code);
                for (int ch = 0; ch < 3; ch++) {
                    double g = gainsRgb[2 - ch] * exposure; // BGR order
                    table[3 * code + ch] = (byte) Math.round(255 * ColorMath.linearToSrgb(linear * g));
                }
            }
            lut.put(0, 0, table);
            Mat out = new Mat();
            Core.LUT(bgr8, lut, out);
            return out;
        } finally {
            lut.release();
        }
    }

    private static Mat jpeg(Mat bgr8, int quality) {
        if (quality <= 0) {
            return bgr8.clone();
        }
        MatOfByte buf = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            if (!Imgcodecs.imencode(".jpg", bgr8, buf, params)) {
                throw new IllegalStateException("JPEG encoding failed for " + bgr8);
            }
            return Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        } finally {
            buf.release();
            params.release();
        }
    }

    /**
     * SplitMix64 of a seed: {@code java.util.Random} seeded with consecutive numbers starts with nearly
     * equal first draws (every pair got an 8.4° rotation before this).
     */
    public static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double uniform(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
