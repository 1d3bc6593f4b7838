package org.dermatrend.compare;

import java.util.Optional;
import org.dermatrend.align.Alignment;
import org.dermatrend.cv.PixelPolygon;
import org.dermatrend.measure.SkinScore;

/**
 * A follow-up photo compared with its baseline. When the alignment is not ok, nothing else is
 * present: no region, no scores, so no change can be computed from photos not shown to match.
 * Owns the two scores.
 *
 * @param alignment      how the follow-up maps onto the baseline, or why it does not
 * @param regionBefore   the measured region in the baseline's pixels: the ROI (or frame) ∩ the follow-up's frame
 * @param regionAfter    the same region in the follow-up's pixels
 * @param before         the baseline scored inside {@code regionBefore}
 * @param after          the follow-up scored inside {@code regionAfter}
 * @param afterMmPerPx   the follow-up's scale, from the baseline's and the transform's zoom at the
 *                       region's centre, when the baseline's scale is known
 * @param commonSkinShare share of the baseline's skin (in the region) that is skin in the follow-up
 *                       too: both scores are measured on that common skin (NaN when refused)
 * @param poreMatch      when the two photos' pore edges differed in sharpness: which photo's pores were measured
 *                       again at the other's ({@link PoreSharpness})
 */
public record Comparison(Alignment alignment, Optional<PixelPolygon> regionBefore, Optional<PixelPolygon> regionAfter,
                         Optional<SkinScore> before, Optional<SkinScore> after, Optional<Double> afterMmPerPx,
                         double commonSkinShare, Optional<PoreSharpness.Match> poreMatch)
        implements AutoCloseable {

    static Comparison refused(Alignment alignment) {
        return new Comparison(alignment, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Double.NaN, Optional.empty());
    }

    @Override
    public void close() {
        before.ifPresent(SkinScore::close);
        after.ifPresent(SkinScore::close);
    }
}
