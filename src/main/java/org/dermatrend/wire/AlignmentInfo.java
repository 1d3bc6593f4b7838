package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dermatrend.align.Alignment;
import org.dermatrend.cv.PixelPolygon;

/**
 * The {@code alignment} object of a comparison. When {@code ok} is false, {@code afterToBefore} is
 * null and {@code reason}/{@code message} say why.
 *
 * @param ok              the follow-up was shown to be the same skin and mapped onto the baseline
 * @param reason          stable code when not ok (see docs/metrics.md §8), else null
 * @param message         what happened and what to do, when not ok
 * @param afterToBefore   3×3 homography, row-major, from follow-up pixels to baseline pixels (upright
 *                        frames, origin at the centre of the top-left pixel), or null
 * @param matches         feature or blob pairs considered
 * @param inliers         pairs that agree with the transform
 * @param rmsErrorPx      RMS residual of those pairs, baseline pixels (keypoint noise included)
 * @param eccCorrelation  correlation of the two structure images under the transform (−1..1)
 * @param overlapFraction share of the baseline frame the follow-up covers
 * @param regionBefore    the compared region, baseline pixels (polygon), when ok
 * @param regionAfter     the same region, follow-up pixels, when ok
 * @param alignMs         time spent aligning
 */
public record AlignmentInfo(boolean ok, String reason, String message, double[] afterToBefore, int matches, int inliers,
                            Double rmsErrorPx, Double eccCorrelation, Double overlapFraction,
                            @JsonInclude(JsonInclude.Include.NON_NULL) double[][] regionBefore,
                            @JsonInclude(JsonInclude.Include.NON_NULL) double[][] regionAfter, double alignMs) {

    public static AlignmentInfo of(Alignment a, PixelPolygon regionBefore, PixelPolygon regionAfter) {
        return new AlignmentInfo(a.ok(), a.reason(), a.message(), a.afterToBefore().map(h -> h.toArray()).orElse(null),
                a.matches(), a.inliers(), finite(a.rmsErrorPx(), 1000), finite(a.eccCorrelation(), 10000),
                finite(a.overlapFraction(), 10000), regionBefore == null ? null : regionBefore.rounded(),
                regionAfter == null ? null : regionAfter.rounded(), Math.round(a.featureMs() + a.refineMs()));
    }

    private static Double finite(double v, double scale) {
        return Double.isFinite(v) ? Math.round(v * scale) / scale : null;
    }
}
