package org.dermatrend.decode;

/**
 * Limits intake applies to untrusted photo bytes.
 *
 * @param maxPixels      largest accepted width × height; default 50 megapixels (a 12 MP phone photo
 *                       decodes to 36 MB of BGR; 50 MP bounds one decode to about 150 MB)
 * @param maxBytes       largest accepted file size in bytes; default 40 MB (40 000 000 bytes)
 * @param minShortSidePx smallest accepted shorter side of the image, in pixels; default 512, below
 *                       which a close-up holds too few pixels per pore to measure
 */
public record ConfigIntake(long maxPixels, long maxBytes, int minShortSidePx) {
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final long DEFAULT_MAX_BYTES = 40_000_000L;
    public static final int DEFAULT_MIN_SHORT_SIDE_PX = 512;

    public ConfigIntake {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        if (minShortSidePx < 1) {
            throw new IllegalArgumentException("minShortSidePx must be at least 1, got " + minShortSidePx);
        }
    }

    public static ConfigIntake defaults() {
        return new ConfigIntake(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES, DEFAULT_MIN_SHORT_SIDE_PX);
    }

    /** A copy with another {@code maxPixels}: largest accepted width × height, pixels. */
    public ConfigIntake withMaxPixels(long maxPixels) {
        return new ConfigIntake(maxPixels, maxBytes, minShortSidePx);
    }

    /** A copy with another {@code maxBytes}: largest accepted file size, bytes. */
    public ConfigIntake withMaxBytes(long maxBytes) {
        return new ConfigIntake(maxPixels, maxBytes, minShortSidePx);
    }

    /** A copy with another {@code minShortSidePx}: smallest accepted shorter side of the image, pixels. */
    public ConfigIntake withMinShortSidePx(int minShortSidePx) {
        return new ConfigIntake(maxPixels, maxBytes, minShortSidePx);
    }
}
