package org.dermatrend.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Select#kth} gives what sorting gives, on random, repetitive, ordered and organ-pipe inputs. */
class SelectTest {
    @Test
    void agreesWithSortingAtEveryQuantile() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + r.nextInt(trial < 200 ? 40 : 5000);
            float[] v = new float[n + r.nextInt(5)]; // longer than n: only the first n count
            int kind = trial % 5;
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (kind) {
                    case 0 -> (float) r.nextGaussian();
                    case 1 -> r.nextInt(4); // many equal values
                    case 2 -> i; // already sorted
                    case 3 -> v.length - i; // reversed
                    default -> Math.min(i, v.length - i); // organ pipe
                };
            }
            float[] sorted = Arrays.copyOf(v, n);
            Arrays.sort(sorted);
            for (int k : new int[] {0, n / 2, (int) (0.99 * (n - 1)), n - 1, r.nextInt(n)}) {
                float[] work = v.clone();
                assertEquals(sorted[k], Select.kth(work, n, k), "trial " + trial + " n=" + n + " k=" + k);
                float[] prefix = Arrays.copyOf(work, n);
                Arrays.sort(prefix);
                assertEquals(Arrays.toString(sorted), Arrays.toString(prefix), "the first n values are only reordered");
            }
        }
    }

    @Test
    void refusesAnIndexOutsideTheValues() {
        assertThrows(IllegalArgumentException.class, () -> Select.kth(new float[3], 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Select.kth(new float[3], 4, 0));
        assertThrows(IllegalArgumentException.class, () -> Select.kth(new float[3], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Select.kth(new float[3], 2, -1));
    }
}
