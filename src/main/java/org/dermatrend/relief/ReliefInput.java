package org.dermatrend.relief;

import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * What the relief network sees, computed the same way for training patches and for photos.
 *
 * <p>The photo, in linear light, is resampled to the canonical scale {@link #MM_PER_PX} (area
 * averaging when it is finer, as it nearly always is) and turned into a <em>shading</em> image:
 * per channel {@code GAIN · (ln(v + FLOOR) − G_σ * ln(v + FLOOR))} with a Gaussian of σ
 * {@link #BACKGROUND_SIGMA_MM}. The logarithm turns reflectance × illumination into a sum, and
 * subtracting the local mean removes skin tone, white balance, exposure and slow light falloff, so
 * the network sees the relative light and shade of the surface. Channels stay separate (B, G, R,
 * OpenCV order) so the network can tell pigment (which darkens blue and green more than red) from
 * shading (which darkens all three alike).
 */
public final class ReliefInput {
    /** The canonical scale the network works at, mm per pixel (12.5 px per mm). */
    public static final double MM_PER_PX = 0.08;
    /**
     * Largest canonical image {@link #resample} makes, in pixels (80 MP: about 1 GB as {@code CV_32FC3}).
     * Photos that pass the quality gate are at most 0.10 mm/px, i.e. at most 1.56× their own pixel count here.
     */
    public static final long MAX_CANONICAL_PIXELS = 80_000_000L;
    /** σ of the local mean removed from the log image, mm. */
    static final double BACKGROUND_SIGMA_MM = 3.0;
    /** Scale applied to the log ratio so typical inputs have unit spread. */
    static final double GAIN = 4.0;
    /** Added to linear values before the logarithm, so that dark noise does not explode. */
    static final double FLOOR = 0.01;

    private static final Mat LINEAR_LUT;

    static {
        org.dermatrend.cv.OpenCvNatives.load();
        LINEAR_LUT = new Mat(1, 256, CvType.CV_32FC1);
        float[] v = new float[256];
        for (int i = 0; i < 256; i++) {
            v[i] = ColorMath.linearOf8Bit(i);
        }
        LINEAR_LUT.put(0, 0, v);
    }

    private ReliefInput() {
    }

    /**
     * The scale factor from photo pixels to canonical pixels: canonical size = photo size × factor.
     *
     * @param mmPerPx the photo's scale, mm per pixel (positive)
     */
    public static double factor(double mmPerPx) {
        if (!(mmPerPx > 0)) {
            throw new IllegalArgumentException("mmPerPx must be positive, got " + mmPerPx);
        }
        return mmPerPx / MM_PER_PX;
    }

    /** Linear light ({@code CV_32FC3}, 0..1) of an 8-bit sRGB BGR image. The caller owns the result. */
    public static Mat linear(Mat bgr8) {
        if (bgr8.type() != CvType.CV_8UC3 || bgr8.empty()) {
            throw new IllegalArgumentException("linear needs a non-empty CV_8UC3 image, got "
                    + CvType.typeToString(bgr8.type()) + " " + bgr8.size());
        }
        Mat out = new Mat();
        Core.LUT(bgr8, LINEAR_LUT, out);
        return out;
    }

    /**
     * Resamples an image or mask to the canonical scale: area averaging when shrinking (as a coarser
     * sensor would), bilinear when enlarging; masks by nearest neighbour. The caller owns the result.
     *
     * @param image   linear light ({@code CV_32FC3}) or a mask ({@code CV_8UC1})
     * @param mmPerPx the photo's scale
     */
    public static Mat resample(Mat image, double mmPerPx) {
        double f = factor(mmPerPx);
        long w = Math.max(1, Math.round(image.cols() * f));
        long h = Math.max(1, Math.round(image.rows() * f));
        if (w * h > MAX_CANONICAL_PIXELS) {
            throw new IllegalArgumentException(String.format("a %dx%d image at %s mm/px would be %dx%d at the relief scale, over "
                    + "the %d-pixel budget; only photos that pass the quality gate reach this stage", image.cols(), image.rows(),
                    mmPerPx, w, h, MAX_CANONICAL_PIXELS));
        }
        Mat out = new Mat();
        boolean mask = image.type() == CvType.CV_8UC1;
        int how = mask ? Imgproc.INTER_NEAREST : f < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
        Imgproc.resize(image, out, new Size(w, h), 0, 0, how);
        return out;
    }

    /**
     * The shading input of linear light already at the canonical scale ({@code CV_32FC3} BGR, any
     * white balance): {@code CV_32FC3}, same size. The caller owns the result.
     */
    public static Mat shading(Mat linearCanonical) {
        return shading(linearCanonical, null);
    }

    /**
     * As {@link #shading(Mat)}, with the local mean taken over skin only (a normalised convolution:
     * {@code G * (log · m) / G * m}) and every pixel off the skin set to 0, i.e. flat average skin. A
     * grey card, a backdrop or a strand of hair then neither pulls the surroundings of the skin next to
     * it darker or brighter nor shows the network an edge it never saw in training.
     *
     * @param skin {@code CV_8UC1} of the same size, non-zero on skin; null means all skin
     */
    public static Mat shading(Mat linearCanonical, Mat skin) {
        if (linearCanonical.type() != CvType.CV_32FC3 || linearCanonical.empty()) {
            throw new IllegalArgumentException("shading needs a non-empty CV_32FC3 image, got "
                    + CvType.typeToString(linearCanonical.type()) + " " + linearCanonical.size());
        }
        try (MatScope scope = new MatScope()) {
            Mat log = scope.mat();
            Core.max(linearCanonical, new org.opencv.core.Scalar(0, 0, 0), log);
            Core.add(log, new org.opencv.core.Scalar(FLOOR, FLOOR, FLOOR), log);
            Core.log(log, log);
            double sigma = BACKGROUND_SIGMA_MM / MM_PER_PX;
            Mat mean = scope.mat();
            Mat off = null;
            if (skin == null) {
                Imgproc.GaussianBlur(log, mean, new Size(0, 0), sigma, 0, Core.BORDER_REFLECT);
            } else {
                Mat weight = scope.mat();
                skin.convertTo(weight, CvType.CV_32F, 1 / 255.0);
                Core.min(weight, new org.opencv.core.Scalar(1), weight);
                Mat weight3 = scope.mat();
                Core.merge(java.util.List.of(weight, weight, weight), weight3);
                Mat weighted = scope.mat();
                Core.multiply(log, weight3, weighted);
                Imgproc.GaussianBlur(weighted, mean, new Size(0, 0), sigma, 0, Core.BORDER_REFLECT);
                // The weights are the same in every channel: blur them once, then spread to three.
                Mat norm1 = scope.mat();
                Imgproc.GaussianBlur(weight, norm1, new Size(0, 0), sigma, 0, Core.BORDER_REFLECT);
                Core.max(norm1, new org.opencv.core.Scalar(1e-6), norm1);
                Mat norm = scope.mat();
                Core.merge(java.util.List.of(norm1, norm1, norm1), norm);
                Core.divide(mean, norm, mean);
                off = scope.mat();
                Core.compare(skin, new org.opencv.core.Scalar(0), off, Core.CMP_EQ);
            }
            Mat out = new Mat();
            Core.subtract(log, mean, out);
            Core.multiply(out, new org.opencv.core.Scalar(GAIN, GAIN, GAIN), out);
            if (off != null) {
                out.setTo(new org.opencv.core.Scalar(0, 0, 0), off);
            }
            return out;
        }
    }

    /**
     * A window of a {@code CV_32FC3} shading image as planar floats, channel-major (C, H, W): what
     * the network takes.
     */
    public static float[] planar(Mat shading, Rect window) {
        int w = window.width;
        int h = window.height;
        float[] interleaved = new float[3 * w * h];
        try (MatScope scope = new MatScope()) {
            Mat roi = scope.track(shading.submat(window));
            Mat dense = roi.isContinuous() ? roi : scope.track(roi.clone());
            dense.get(0, 0, interleaved);
        }
        float[] chw = new float[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            chw[i] = interleaved[3 * i];
            chw[plane + i] = interleaved[3 * i + 1];
            chw[2 * plane + i] = interleaved[3 * i + 2];
        }
        return chw;
    }
}
