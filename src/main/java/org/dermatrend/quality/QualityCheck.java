package org.dermatrend.quality;

/**
 * One measured aspect of a photo, pass or fail. A check that could not be measured (no skin left to
 * measure it on, no scale given) has {@code null} value, verdict and score, and does not count in
 * the photo's score; another check then says why.
 *
 * @param name      the check, e.g. {@code sharpness}
 * @param value     measured value (units in docs/metrics.md), or {@code null} when it could not be measured
 * @param threshold the limit
 * @param limit     {@code min} (value must be at least the threshold) or {@code max} (at most)
 * @param passed    whether the value is on the right side of the threshold; {@code null} when not measured
 * @param score     0..100: 100 at the check's ideal value, 50 at the threshold, 0 at twice as far;
 *                  {@code null} when not measured
 */
public record QualityCheck(String name, Double value, double threshold, String limit, Boolean passed, Double score) {
}
