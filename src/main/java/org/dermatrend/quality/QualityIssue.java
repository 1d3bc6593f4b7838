package org.dermatrend.quality;

/**
 * Something wrong with a photo, as the API reports it.
 *
 * @param code      stable snake_case code, e.g. {@code blurred}
 * @param message   what is wrong and what to do, for a person
 * @param value     the measured value, or {@code null} when there is none (e.g. unknown scale)
 * @param threshold the limit it was held to, or {@code null}
 * @param severity  {@code error} (the photo fails the gate) or {@code warning} (reported, not failing)
 */
public record QualityIssue(String code, String message, Double value, Double threshold, String severity) {
    public static final String ERROR = "error";
    public static final String WARNING = "warning";
}
