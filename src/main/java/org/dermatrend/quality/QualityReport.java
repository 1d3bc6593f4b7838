package org.dermatrend.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * The quality gate's verdict on one photo.
 *
 * @param ok     no error-severity issue: the photo may be measured
 * @param score  0..100, the lowest score of the checks (a photo is as good as its worst aspect);
 *               below 50 exactly when some check failed
 * @param issues what is wrong, errors and warnings
 * @param checks every check with its measured value and threshold, passed or not
 */
public record QualityReport(boolean ok, double score, List<QualityIssue> issues, List<QualityCheck> checks) {

    /** Whether an issue with this code was raised (an error or a warning). */
    public boolean has(String code) {
        return issues.stream().anyMatch(i -> code.equals(i.code()));
    }

    /**
     * This report with {@code extra} warnings appended: what the measurements found about the photo after the gate
     * (e.g. {@link ScaleCheck#CODE}). The verdict and score stay the gate's.
     *
     * @throws IllegalArgumentException if one of them is an error
     */
    public QualityReport withWarnings(List<QualityIssue> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        if (extra.stream().anyMatch(i -> !QualityIssue.WARNING.equals(i.severity()))) {
            throw new IllegalArgumentException("only warnings may be added after the gate: " + extra);
        }
        List<QualityIssue> all = new ArrayList<>(issues);
        all.addAll(extra);
        return new QualityReport(ok, score, List.copyOf(all), checks);
    }
}
