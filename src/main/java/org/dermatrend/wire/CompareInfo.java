package org.dermatrend.wire;

import java.util.ArrayList;
import java.util.List;
import org.dermatrend.compare.Comparison;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.decode.DecodedPhoto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One compared pair, as the CLI prints it and the API returns it. Either {@code error} is set (a
 * photo was refused at intake or the request did not fit it), or {@code alignment} is; the scores
 * and the change are present only when the alignment is ok.
 *
 * @param beforeFile the baseline's name
 * @param afterFile  the follow-up's name
 * @param alignment  the alignment
 * @param commonSkinShare share of the baseline's skin in the region that is skin in the follow-up too;
 *                   both scores are measured on that common skin
 * @param before     the baseline's score on the shared region
 * @param after      the follow-up's score on the same region
 * @param change     per metric, before → after
 * @param notes      what limits the comparison (e.g. {@code colour_not_calibrated}), as plain sentences
 *                   prefixed by a stable code and a colon
 * @param error      why the pair was not compared at all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompareInfo(String beforeFile, String afterFile, AlignmentInfo alignment, Double commonSkinShare,
                          ScoreInfo before, ScoreInfo after,
                          Map<String, ChangeInfo> change, java.util.List<String> notes, ErrorInfo error) {

    /**
     * The answer for a compared pair: the alignment alone when it was refused, otherwise both scores on
     * the shared region, the change of every metric and the notes that limit it.
     */
    public static CompareInfo of(String beforeFile, String afterFile, DecodedPhoto before, DecodedPhoto after, Comparison c,
                                 PairComparer.Request request) {
        AlignmentInfo alignment = AlignmentInfo.of(c.alignment(), c.regionBefore().orElse(null), c.regionAfter().orElse(null));
        if (!c.alignment().ok()) {
            return new CompareInfo(beforeFile, afterFile, alignment, null, null, null, null, null, null);
        }
        ScoreInfo b = ScoreInfo.of(beforeFile, before, c.before().orElseThrow(), c.before().orElseThrow().prepared().context(), false);
        ScoreInfo a = ScoreInfo.of(afterFile, after, c.after().orElseThrow(), c.after().orElseThrow().prepared().context(), false);
        List<String> notes = new ArrayList<>();
        if (!b.image().colorCalibrated() || !a.image().colorCalibrated()) {
            notes.add("colour_not_calibrated: a photo has no usable grey card, so the redness change also contains the "
                    + "difference in white balance and exposure between the sessions. Give each photo's grey card "
                    + "rectangle (--gray-ref-before/--gray-ref-after; grayRef in the API).");
        }
        if (c.commonSkinShare() < 0.5) {
            notes.add(String.format("skin_differs: only %.0f%% of the baseline's skin in the compared region is skin in the "
                    + "follow-up too (hair, glare, shadow, or an uncalibrated colour cast moved the mask); both scores are "
                    + "measured on that common skin only.", 100 * c.commonSkinShare()));
        }
        c.poreMatch().ifPresent(m -> notes.add(m.note()));
        if (request.mmPerPx().isEmpty()) {
            notes.add("scale_unknown: no scale (--mm-per-px; mmPerPx in the API), so sizes and densities are not compared "
                    + "(only counts and fractions).");
        }
        return new CompareInfo(beforeFile, afterFile, alignment, Math.round(c.commonSkinShare() * 10000) / 10000.0, b, a,
                ChangeInfo.between(b, a), notes.isEmpty() ? null : notes, null);
    }

    public static CompareInfo failed(String beforeFile, String afterFile, ErrorInfo error) {
        return new CompareInfo(beforeFile, afterFile, null, null, null, null, null, null, error);
    }
}
