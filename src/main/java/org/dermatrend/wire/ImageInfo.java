package org.dermatrend.wire;

/**
 * The {@code image} object of every per-photo answer.
 *
 * @param width           upright width, pixels
 * @param height          upright height, pixels
 * @param mmPerPx         the scale, or {@code null} when unknown
 * @param colorCalibrated whether colours were normalised to a grey reference
 * @param format          JPEG, PNG, TIFF or WebP
 * @param orientation     the EXIF orientation that was applied (1..8)
 * @param bitsPerSample   of the source file (16-bit sources are measured at 8 bits)
 */
public record ImageInfo(int width, int height, Double mmPerPx, boolean colorCalibrated, String format, int orientation,
                        int bitsPerSample) {
}
