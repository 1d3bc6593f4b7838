package org.dermatrend.decode;

/**
 * What intake learns from a photo's header before decoding any pixel.
 *
 * @param format        the container, recognised from its first bytes
 * @param storedWidth   width in pixels as stored, before the EXIF orientation is applied
 * @param storedHeight  height in pixels as stored, before the EXIF orientation is applied
 * @param bitsPerSample 8 or 16 (1, 2 and 4 for PNG palettes and bilevel images, which decode to 8)
 * @param channels      samples per pixel as stored (1 grey, 2 grey+alpha, 3 colour, 4 colour+alpha or CMYK)
 * @param orientation   EXIF orientation 1..8 (1 when absent or unreadable)
 */
public record ImageHeader(ImageFormat format, int storedWidth, int storedHeight, int bitsPerSample, int channels,
                          int orientation) {

    /** True for orientations 5..8, whose upright frame swaps width and height. */
    public boolean swapsAxes() {
        return orientation >= 5;
    }

    /** Width of the upright image, in pixels. */
    public int uprightWidth() {
        return swapsAxes() ? storedHeight : storedWidth;
    }

    /** Height of the upright image, in pixels. */
    public int uprightHeight() {
        return swapsAxes() ? storedWidth : storedHeight;
    }

    public long pixelCount() {
        return (long) storedWidth * storedHeight;
    }
}
