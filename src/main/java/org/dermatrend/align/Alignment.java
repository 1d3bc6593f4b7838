package org.dermatrend.align;

import java.util.Optional;

/**
 * The result of aligning a follow-up photo (after) to the baseline (before). When {@code ok} is
 * false, {@code reason} says why and {@code afterToBefore} is empty: no transform is reported for a
 * pair that was not shown to be the same skin.
 *
 * @param ok                 the transform can be trusted
 * @param reason             a stable code when not ok ({@code too_few_features}, {@code no_consistent_match},
 *                           {@code implausible_transform}, {@code refinement_failed}, {@code low_correlation},
 *                           {@code too_little_overlap}), else null
 * @param message            what happened and what to do, when not ok
 * @param afterToBefore      maps after pixels to before pixels (upright frames), when ok
 * @param matches            feature matches that passed the ratio test
 * @param inliers            of those, how many agree with the consensus homography
 * @param rmsErrorPx         RMS distance, in before pixels, between the inlier features of before and
 *                           the after features mapped by the final transform (keypoint noise included)
 * @param eccCorrelation     the ECC correlation of the two structure images after refinement (−1..1);
 *                           NaN when refinement did not run
 * @param overlapFraction    share of the before frame that the after frame covers (0..1), NaN when unknown
 * @param featureMs          time spent on features and consensus
 * @param refineMs           time spent on ECC refinement
 */
public record Alignment(boolean ok, String reason, String message, Optional<Homography> afterToBefore, int matches,
                        int inliers, double rmsErrorPx, double eccCorrelation, double overlapFraction,
                        double featureMs, double refineMs) {

    static Alignment refused(String reason, String message, int matches, int inliers, double rmsErrorPx,
                             double eccCorrelation, double overlapFraction, double featureMs, double refineMs) {
        return new Alignment(false, reason, message, Optional.empty(), matches, inliers, rmsErrorPx, eccCorrelation,
                overlapFraction, featureMs, refineMs);
    }
}
