package org.dermatrend.quality;

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
}
