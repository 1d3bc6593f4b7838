package org.dermatrend.relief;

/**
 * One network input: a window of the shading image as planar floats, (3, height, width), with height
 * and width multiples of {@link ReliefNet#SIZE_MULTIPLE}.
 */
public record ReliefTile(float[] chw, int width, int height) {
    public ReliefTile {
        if (width <= 0 || height <= 0 || width % ReliefNet.SIZE_MULTIPLE != 0 || height % ReliefNet.SIZE_MULTIPLE != 0) {
            throw new IllegalArgumentException("tile " + width + "x" + height + " must be positive multiples of "
                    + ReliefNet.SIZE_MULTIPLE);
        }
        if (chw.length != 3 * width * height) {
            throw new IllegalArgumentException("tile holds " + chw.length + " floats, expected 3x" + width + "x" + height);
        }
    }
}
