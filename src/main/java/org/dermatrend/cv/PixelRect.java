package org.dermatrend.cv;

import org.opencv.core.Rect;

/**
 * An axis-aligned rectangle in pixels of the upright (EXIF-applied) image, origin at the top-left
 * pixel, {@code x} to the right and {@code y} down. Used for the grey reference and the region of
 * interest the client marks.
 */
public record PixelRect(int x, int y, int width, int height) {

    public PixelRect {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("rectangle needs a positive width and height, got " + width + "x" + height);
        }
    }

    /**
     * Parses {@code "x,y,w,h"} (whole pixels, no spaces needed).
     *
     * @throws IllegalArgumentException with a message that says what form is expected
     */
    public static PixelRect parse(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected x,y,w,h in pixels (four whole numbers), got '" + text + "'");
        }
        int[] v = new int[4];
        for (int i = 0; i < 4; i++) {
            // ASCII digits only: Integer.parseInt also reads other scripts' digits ("١٢٣").
            if (!parts[i].matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("expected x,y,w,h in pixels (four whole numbers), got '" + text + "'");
            }
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected x,y,w,h in pixels (four whole numbers), got '" + text + "'");
            }
        }
        if (v[0] < 0 || v[1] < 0) {
            throw new IllegalArgumentException("x and y must not be negative, got '" + text + "'");
        }
        return new PixelRect(v[0], v[1], v[2], v[3]);
    }

    /** True when the whole rectangle lies inside an image of the given size. */
    public boolean fitsIn(int imageWidth, int imageHeight) {
        return x >= 0 && y >= 0 && (long) x + width <= imageWidth && (long) y + height <= imageHeight;
    }

    /** The same rectangle shrunk towards its centre so that it keeps {@code fraction} of its width and height. */
    public PixelRect inner(double fraction) {
        int w = Math.max(1, (int) Math.round(width * fraction));
        int h = Math.max(1, (int) Math.round(height * fraction));
        return new PixelRect(x + (width - w) / 2, y + (height - h) / 2, w, h);
    }

    public Rect toCv() {
        return new Rect(x, y, width, height);
    }

    public long area() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return x + "," + y + "," + width + "," + height;
    }
}
