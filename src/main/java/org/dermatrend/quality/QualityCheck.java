package org.dermatrend.quality;

/**
 * One measured aspect of a photo, pass or fail.
 *
 * @param name      the check, e.g. {@code sharpness}
 * @param value     measured value (units in docs/metrics.md), or {@code null} when it could not be measured
 * @param threshold the limit
 * @param limit     {@code min} (value must be at least the threshold) or {@code max} (at most)
 * @param passed    whether the value is on the right side of the threshold
 * @param score     0..100: 100 at the check's ideal value, 50 at the threshold, 0 at twice as far
 */
public record QualityCheck(String name, Double value, double threshold, String limit, boolean passed, double score) {
}
