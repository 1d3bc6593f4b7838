package org.dermatrend.decode;

import java.util.Optional;
import org.opencv.core.Mat;

/**
 * A photo that passed intake: upright pixels in a fixed form, with what the header said.
 *
 * <p>{@link #bgr()} is always {@code CV_8UC3} in OpenCV's B, G, R order, sRGB-encoded as stored
 * (16-bit sources are scaled to 8 bits; greyscale is copied into the three channels). Where the
 * source had an alpha channel, {@link #validMask()} is a {@code CV_8UC1} mask, 255 where alpha is at
 * least half, and metrics only count those pixels. This object owns both Mats: close it.
 */
public final class DecodedPhoto implements AutoCloseable {
    private final Mat bgr;
    private final Mat validMask;
    private final ImageHeader header;
    private final byte[] jpeg;

    DecodedPhoto(Mat bgr, Mat validMask, ImageHeader header, byte[] jpeg) {
        this.bgr = bgr;
        this.validMask = validMask;
        this.header = header;
        this.jpeg = jpeg;
    }

    /**
     * Wraps pixels that did not come through intake (the phantom renderer, tests). Takes ownership
     * of {@code bgr}, which must be {@code CV_8UC3}.
     */
    public static DecodedPhoto ofUpright(Mat bgr, ImageFormat format) {
        if (bgr.type() != org.opencv.core.CvType.CV_8UC3 || bgr.empty()) {
            throw new IllegalArgumentException("expected a non-empty CV_8UC3 image, got " + bgr);
        }
        return new DecodedPhoto(bgr, null, new ImageHeader(format, bgr.cols(), bgr.rows(), 8, 3, 1), null);
    }

    /**
     * Like {@link #ofUpright(Mat, ImageFormat)} for pixels that are the decoding of {@code jpeg}
     * (stored upright), so that calibration can read the grey card from its DCT coefficients.
     */
    public static DecodedPhoto ofJpeg(Mat bgr, byte[] jpeg) {
        DecodedPhoto p = ofUpright(bgr, ImageFormat.JPEG);
        return new DecodedPhoto(p.bgr, null, p.header, jpeg.clone());
    }

    /** The original file's bytes when it is a JPEG (for reading flat regions from DCT coefficients). */
    public Optional<byte[]> jpegBytes() {
        return Optional.ofNullable(jpeg);
    }

    /** Upright 8-bit BGR pixels; owned by this object. */
    public Mat bgr() {
        return bgr;
    }

    /** Pixels to measure (alpha ≥ 128) when the source had alpha; owned by this object. */
    public Optional<Mat> validMask() {
        return Optional.ofNullable(validMask);
    }

    public ImageHeader header() {
        return header;
    }

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    /** True when the source had one grey channel, so it carries no colour to measure. */
    public boolean greyscale() {
        return header.channels() <= 2;
    }

    @Override
    public void close() {
        bgr.release();
        if (validMask != null) {
            validMask.release();
        }
    }
}
