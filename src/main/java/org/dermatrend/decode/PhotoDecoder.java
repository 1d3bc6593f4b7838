package org.dermatrend.decode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Photo intake: turns untrusted bytes into a {@link DecodedPhoto} or a {@link Refusal}.
 *
 * <p>Order of checks, cheapest first: byte limit (before reading a file), format by content, a walk
 * of the container structure (catches truncation and damage), pixel limits from the header (so a
 * decompression bomb is refused without allocating its pixels), then OpenCV's decoder, whose result
 * must match the header. Thread-safe: it holds only its immutable limits.
 */
public final class PhotoDecoder {
    private final ConfigIntake config;

    public PhotoDecoder(ConfigIntake config) {
        this.config = config;
    }

    public ConfigIntake config() {
        return config;
    }

    /** Reads and decodes a file, refusing it by its size before reading when it is too large. */
    public DecodeResult decode(Path file) throws IOException {
        long size = Files.size(file);
        if (size > config.maxBytes()) {
            return DecodeResult.refused(tooManyBytes(size));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return decode(in);
        }
    }

    /** Reads at most {@code maxBytes + 1} bytes from the stream, so an endless upload cannot exhaust memory. */
    public DecodeResult decode(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBytes() + 1));
        if (bytes.length > config.maxBytes()) {
            return DecodeResult.refused(new Refusal(RefusalCode.IMAGE_TOO_LARGE,
                    "The file is larger than the " + megabytes(config.maxBytes()) + " limit. Upload the photo at a lower resolution or higher compression."));
        }
        return decode(bytes);
    }

    /**
     * The checks of {@link #decode(byte[])} that need no pixels: byte limit, format, container structure
     * and dimensions. Milliseconds even for a large photo, so an upload can be refused while the client
     * waits; a photo that passes may still fail to decode later.
     *
     * @return the header, or the refusal
     */
    public Inspection inspect(byte[] bytes) {
        if (bytes.length == 0) {
            return new Inspection(null, new Refusal(RefusalCode.CORRUPT_IMAGE, "The file is empty (0 bytes). Upload the photo again."));
        }
        if (bytes.length > config.maxBytes()) {
            return new Inspection(null, tooManyBytes(bytes.length));
        }
        try {
            ImageHeader header = HeaderReader.read(bytes);
            Refusal sizeRefusal = checkSize(header);
            return sizeRefusal == null ? new Inspection(header, null) : new Inspection(null, sizeRefusal);
        } catch (RefusalException e) {
            return new Inspection(null, e.refusal());
        }
    }

    /** What {@link #inspect} found: exactly one of the two is set. */
    public record Inspection(ImageHeader header, Refusal refusal) {
        public boolean isRefused() {
            return refusal != null;
        }
    }

    /** Decodes photo bytes already in memory. */
    public DecodeResult decode(byte[] bytes) {
        if (bytes.length == 0) {
            return DecodeResult.refused(new Refusal(RefusalCode.CORRUPT_IMAGE, "The file is empty (0 bytes). Upload the photo again."));
        }
        if (bytes.length > config.maxBytes()) {
            return DecodeResult.refused(tooManyBytes(bytes.length));
        }
        ImageHeader header;
        try {
            header = HeaderReader.read(bytes);
        } catch (RefusalException e) {
            return DecodeResult.refused(e.refusal());
        }
        Refusal sizeRefusal = checkSize(header);
        if (sizeRefusal != null) {
            return DecodeResult.refused(sizeRefusal);
        }
        return decodePixels(bytes, header);
    }

    /** Refusal for the header's dimensions, or {@code null} when they are within the limits. */
    Refusal checkSize(ImageHeader h) {
        if (h.pixelCount() > config.maxPixels()) {
            return new Refusal(RefusalCode.IMAGE_TOO_LARGE, String.format(
                    "The image is %d x %d pixels (%.1f megapixels), over the limit of %.1f megapixels. Upload it at a lower resolution.",
                    h.storedWidth(), h.storedHeight(), h.pixelCount() / 1e6, config.maxPixels() / 1e6));
        }
        int shortSide = Math.min(h.storedWidth(), h.storedHeight());
        if (shortSide < config.minShortSidePx()) {
            return new Refusal(RefusalCode.IMAGE_TOO_SMALL, String.format(
                    "The image is %d x %d pixels; its shorter side must be at least %d pixels to resolve pores. "
                            + "Upload the original photo, not a thumbnail or a screenshot.",
                    h.storedWidth(), h.storedHeight(), config.minShortSidePx()));
        }
        return null;
    }

    private DecodeResult decodePixels(byte[] bytes, ImageHeader header) {
        try (MatScope scope = new MatScope()) {
            MatOfByte buffer = scope.track(new MatOfByte(bytes));
            // UNCHANGED keeps depth, channels and alpha, and does not apply EXIF: we do that ourselves for every format.
            Mat raw = scope.track(Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_UNCHANGED));
            // OpenCV's TIFF reader (libtiff's RGBA interface) already turns TIFFs upright, on every path we
            // accept (grey/RGB, 8/16-bit; tested for all 8 orientations); the other readers leave that to us.
            // A TIFF that comes back unswapped although its tag swaps the axes was not turned: we turn it.
            int orientation = header.orientation();
            boolean swappedByDecoder = header.swapsAxes() && raw.cols() == header.storedHeight() && raw.rows() == header.storedWidth();
            if (header.format() == ImageFormat.TIFF && (swappedByDecoder || !header.swapsAxes())) {
                orientation = 1;
            }
            boolean sizeOk = orientation == 1 && header.format() == ImageFormat.TIFF
                    ? raw.cols() == header.uprightWidth() && raw.rows() == header.uprightHeight()
                    : raw.cols() == header.storedWidth() && raw.rows() == header.storedHeight();
            if (raw.empty() || !sizeOk) {
                return DecodeResult.refused(new Refusal(RefusalCode.CORRUPT_IMAGE,
                        "The " + header.format().label() + " image data cannot be decoded (damaged or an encoding variant the decoder does not support). "
                                + "Export the photo again as an ordinary JPEG or PNG."));
            }
            Mat eight = scope.mat();
            if (raw.depth() == CvType.CV_8U) {
                raw.copyTo(eight);
            } else if (raw.depth() == CvType.CV_16U) {
                raw.convertTo(eight, CvType.CV_8U, 1.0 / 257.0);
            } else {
                return DecodeResult.refused(new Refusal(RefusalCode.UNSUPPORTED_FORMAT,
                        "The image has samples of OpenCV depth " + raw.depth() + "; only 8- and 16-bit photos are supported."));
            }
            Mat bgr = scope.mat();
            Mat alpha = null;
            switch (eight.channels()) {
                case 1:
                    Imgproc.cvtColor(eight, bgr, Imgproc.COLOR_GRAY2BGR);
                    break;
                case 2: {
                    List<Mat> planes = new ArrayList<>();
                    Core.split(eight, planes);
                    planes.forEach(scope::track);
                    Imgproc.cvtColor(planes.get(0), bgr, Imgproc.COLOR_GRAY2BGR);
                    alpha = planes.get(1);
                    break;
                }
                case 3:
                    eight.copyTo(bgr);
                    break;
                case 4: {
                    Imgproc.cvtColor(eight, bgr, Imgproc.COLOR_BGRA2BGR);
                    alpha = scope.mat();
                    Core.extractChannel(eight, alpha, 3);
                    break;
                }
                default:
                    return DecodeResult.refused(new Refusal(RefusalCode.UNSUPPORTED_FORMAT,
                            "The image has " + eight.channels() + " channels; only grey, RGB and RGBA are supported."));
            }
            Mat upright = Orientation.toUpright(bgr, orientation);
            Mat valid = null;
            if (alpha != null) {
                Mat threshold = scope.mat();
                Imgproc.threshold(alpha, threshold, 127, 255, Imgproc.THRESH_BINARY);
                valid = Orientation.toUpright(threshold, orientation);
            }
            return DecodeResult.decoded(new DecodedPhoto(upright, valid, header, header.format() == ImageFormat.JPEG ? bytes : null));
        }
    }

    private Refusal tooManyBytes(long size) {
        return new Refusal(RefusalCode.IMAGE_TOO_LARGE, String.format(
                "The file is %s, over the %s limit. Upload the photo at a lower resolution or higher compression.",
                megabytes(size), megabytes(config.maxBytes())));
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
