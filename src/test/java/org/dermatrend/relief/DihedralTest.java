package org.dermatrend.relief;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DihedralTest {
    private static float[] ramp(int channels, int side) {
        float[] v = new float[channels * side * side];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return v;
    }

    private static float[] apply(int t, float[] src, int channels, int side) {
        float[] out = new float[src.length];
        Dihedral.apply(t, src, channels, side, out, 0);
        return out;
    }

    @Test
    void theEightTransformsAreDistinctAndFourQuarterTurnsAreTheIdentity() {
        float[] v = ramp(2, 5);
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < 8; t++) {
            seen.add(java.util.Arrays.toString(apply(t, v, 2, 5)));
        }
        assertEquals(8, seen.size());
        float[] turned = v;
        for (int i = 0; i < 4; i++) {
            turned = apply(1, turned, 2, 5);
        }
        assertArrayEquals(v, turned);
        assertArrayEquals(v, apply(4, apply(4, v, 2, 5), 2, 5), "a mirror twice is the identity");
        assertArrayEquals(v, apply(0, v, 2, 5));
    }

    @Test
    void everyChannelMovesTheSameWay() {
        int side = 4;
        float[] v = new float[2 * side * side];
        v[1 * side + 3] = 1;              // channel 0, (x 3, y 1)
        v[side * side + 1 * side + 3] = 1; // channel 1, same pixel
        for (int t = 0; t < 8; t++) {
            float[] out = apply(t, v, 2, side);
            for (int i = 0; i < side * side; i++) {
                assertEquals(out[i], out[side * side + i], "transform " + t + " pixel " + i);
            }
        }
    }

    @Test
    void theEstimatorsMirrorIsItsOwnInverseOnNonSquareTiles() {
        float[] v = new float[2 * 3 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        for (boolean fx : new boolean[] {false, true}) {
            for (boolean fy : new boolean[] {false, true}) {
                float[] once = ReliefEstimator.mirror(v, 2, 5, 3, fx, fy);
                assertArrayEquals(v, ReliefEstimator.mirror(once, 2, 5, 3, fx, fy));
            }
        }
        assertEquals(4, ReliefEstimator.mirror(v, 2, 5, 3, true, false)[0], "left-right: the row's last pixel comes first");
        assertEquals(10, ReliefEstimator.mirror(v, 2, 5, 3, false, true)[0], "upside down: the last row comes first");
    }

    @Test
    void writesAtTheOffsetOnly() {
        float[] v = ramp(1, 3);
        float[] out = new float[20];
        Dihedral.apply(2, v, 1, 3, out, 5);
        assertEquals(0, out[4]);
        assertEquals(8, out[5], "a half turn puts the last pixel first");
        assertEquals(0, out[14]);
    }
}
