package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * What an analysis of a stored photo found. The area's first photo (by session date) is its
 * baseline: it is scored on the area's region. Every later photo is aligned to the baseline and both
 * are scored on the skin they share; {@code score} is then the follow-up's score there and
 * {@code baselineScore} the baseline's on the same skin, so {@code change} compares like with like.
 *
 * @param baselinePhotoId the area's baseline photo (this photo's own id when it is the baseline)
 * @param baseline        whether this photo is the baseline
 * @param score           this photo's score
 * @param baselineScore   the baseline's score on the shared region (follow-ups only)
 * @param alignment       the alignment to the baseline (follow-ups only)
 * @param commonSkinShare share of the baseline's skin that is skin in this photo too (follow-ups only)
 * @param change          per metric, baseline → this photo (follow-ups only)
 * @param notes           what limits the comparison, as {@code code: sentence}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisResult(String baselinePhotoId, boolean baseline, ScoreInfo score, ScoreInfo baselineScore,
                             AlignmentInfo alignment, Double commonSkinShare, Map<String, ChangeInfo> change,
                             List<String> notes) {

    public static AnalysisResult ofBaseline(String photoId, ScoreInfo score) {
        return new AnalysisResult(photoId, true, score, null, null, null, null, null);
    }

    public static AnalysisResult ofFollowUp(String baselinePhotoId, CompareInfo c) {
        return new AnalysisResult(baselinePhotoId, false, c.after(), c.before(), c.alignment(), c.commonSkinShare(),
                c.change(), c.notes());
    }

    /**
     * A stored result read back, as written by {@code json.writeValueAsString(result)} with the
     * service's mapper. Only a done analysis' result is one: a failed analysis stores its failure body.
     * A field these records no longer have (a row written by another version) is ignored, as it was
     * when results were read as JSON trees; a field they have and the row lacks is null (0, false).
     *
     * @throws JsonProcessingException when {@code stored} is not an analysis result (a damaged row, or
     *                                 a failure body, which has no score)
     */
    public static AnalysisResult read(ObjectMapper json, String stored) throws JsonProcessingException {
        AnalysisResult r = json.readerFor(AnalysisResult.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(stored);
        if (r == null || r.score() == null) {
            throw new JsonMappingException(null, "the stored JSON has no score, so it is not an analysis result "
                    + "(a failed analysis stores its failure instead)");
        }
        return r;
    }

    private static final ObjectMapper PLAIN = new ObjectMapper();

    /**
     * Whether a stored result says its photo is the baseline, read without binding the whole result (the
     * correction planner asks this of every photo of an area); false for anything else.
     */
    public static boolean baselineFlag(String stored) {
        if (stored == null) {
            return false;
        }
        try {
            return PLAIN.readTree(stored).path("baseline").asBoolean(false);
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
