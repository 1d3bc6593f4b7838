package org.dermatrend.wire;

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

    public static CompareInfo failed(String beforeFile, String afterFile, ErrorInfo error) {
        return new CompareInfo(beforeFile, afterFile, null, null, null, null, null, null, error);
    }
}
