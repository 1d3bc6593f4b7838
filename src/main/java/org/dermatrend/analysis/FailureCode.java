package org.dermatrend.analysis;

/**
 * Every way an analysis can end without a result, with its one spelling: the {@code failureCode} of a
 * stored analysis, the {@code code} of a CLI error line and the key the HTTP layer maps to a problem.
 */
public enum FailureCode {
    /** The photo was refused at intake (format, size, damage); the refusal's own code says which. */
    IMAGE_REFUSED("image_refused"),
    /** The baseline photo of a pair was refused at intake. */
    BASELINE_REFUSED("baseline_refused"),
    /** A request value is outside what the analysis accepts (e.g. a scale no close-up has). */
    INVALID_REQUEST("invalid_request"),
    /** The region of interest does not lie inside the photo it is given in. */
    ROI_OUTSIDE_IMAGE("roi_outside_image"),
    /** The grey card rectangle does not lie inside its photo. */
    GRAY_REF_OUTSIDE_IMAGE("gray_ref_outside_image"),
    /** A stage's working image would exceed its pixel budget ({@link Budgets}). */
    OVER_BUDGET("over_budget"),
    /** The photo failed the quality gate. */
    QUALITY_FAILED("quality_failed"),
    /** The baseline passed the gate on its region but fails it on the skin it shares with the follow-up. */
    BASELINE_QUALITY_FAILED("baseline_quality_failed"),
    /** The photos could not be shown to be the same skin, or overlap too little. */
    ALIGNMENT_REFUSED("alignment_refused");

    private final String code;

    FailureCode(String code) {
        this.code = code;
    }

    /** The stable snake_case spelling clients and stored records use. */
    public String code() {
        return code;
    }
}
