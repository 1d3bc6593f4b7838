package org.dermatrend.relief;

/**
 * The eight symmetries of a square (four rotations, each optionally mirrored) applied to planar
 * channel-major images. Turning a patch and its depth map together keeps the pair physically true:
 * the light direction turns with the skin.
 */
public final class Dihedral {
    private Dihedral() {
    }

    /**
     * Writes transform {@code t} (0..7; 0 is the identity) of {@code src}, {@code channels} planes of
     * {@code side × side}, into {@code dst} starting at {@code offset}.
     */
    public static void apply(int t, float[] src, int channels, int side, float[] dst, int offset) {
        if (t < 0 || t > 7) {
            throw new IllegalArgumentException("transform must be 0..7, got " + t);
        }
        int plane = side * side;
        int last = side - 1;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int sx;
                    int sy;
                    switch (t & 3) {
                        case 0: sx = x; sy = y; break;
                        case 1: sx = y; sy = last - x; break;
                        case 2: sx = last - x; sy = last - y; break;
                        default: sx = last - y; sy = x; break;
                    }
                    if (t >= 4) {
                        sx = last - sx;
                    }
                    dst[offset + base + y * side + x] = src[base + sy * side + sx];
                }
            }
        }
    }
}
