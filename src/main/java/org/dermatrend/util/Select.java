package org.dermatrend.util;

import java.util.Arrays;

/**
 * Order statistics without sorting: the value a sort would put at index {@code k}, in linear expected time.
 * A percentile of a 12-megapixel photo's samples costs a few milliseconds this way instead of the ~150 ms of
 * {@link Arrays#sort(float[])}, and the answer is the same value.
 */
public final class Select {
    private Select() {
    }

    /**
     * The value {@code Arrays.sort(values, 0, n)} would leave at index {@code k}. Reorders {@code values[0..n)}.
     * Quickselect with a median-of-three pivot; a range that keeps failing to shrink (an adversarial order) is
     * sorted instead, so the worst case is {@code O(n log n)}, not quadratic.
     *
     * @param values no NaN among the first {@code n}
     * @throws IllegalArgumentException unless {@code 0 ≤ k < n ≤ values.length}
     */
    public static float kth(float[] values, int n, int k) {
        if (n <= 0 || n > values.length || k < 0 || k >= n) {
            throw new IllegalArgumentException("k=" + k + " must lie in [0, n) with 0 < n=" + n + " <= " + values.length);
        }
        int lo = 0;
        int hi = n - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(n)) + 8;
        while (hi > lo) {
            if (--budget < 0 || hi - lo < 16) {
                Arrays.sort(values, lo, hi + 1);
                return values[k];
            }
            float pivot = medianOfThree(values[lo], values[(lo + hi) >>> 1], values[hi]);
            // Hoare partition: [lo..j] <= pivot <= [i..hi].
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = values[i];
                    values[i] = values[j];
                    values[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return values[k]; // between the parts: equal to the pivot
            }
        }
        return values[k];
    }

    private static float medianOfThree(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
