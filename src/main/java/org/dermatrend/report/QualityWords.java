package org.dermatrend.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.quality.ScaleCheck;
import org.dermatrend.wire.TrendInfo;

/** The quality gate's warning codes in words a clinician reads in the report (unknown codes are shown as they are). */
final class QualityWords {
    private static final Map<String, String> WORDS = Map.of(
            "color_not_calibrated", "no grey card in the photo, so its colours are the camera's own (redness and pigment "
                    + "values follow the light and white balance of that session)",
            "scale_unknown", "no scale was given, so sizes are in pixels and scar depths are missing",
            ScaleCheck.CODE, "the scale given (mm per pixel) looks wrong for what the photo shows, so its sizes and densities "
                    + "may be off by the same factor; check it against a ruler before reading this session's changes",
            "greyscale", "a black-and-white photo, so redness could not be measured",
            QualityGate.PORES_WITHHELD, "the photo is too soft for pores, so its pore numbers are left out (redness and scars are measured)",
            QualityGate.A_STAR_WITHHELD, "the light was uneven across the skin, so a* and ITA are left out (they follow the light); the "
                    + "erythema and haemoglobin indices, pores and scars are measured");

    private QualityWords() {
    }

    /**
     * What the summary must say before any verdict is read: a usable session whose scale looks wrong moves every size
     * by its error and every density by its square, and a verdict drawn from it can be wrong in either direction.
     * Empty when no usable session carries such a warning.
     */
    static Optional<String> summaryCaution(TrendInfo t) {
        List<String> dates = t.sessions().stream()
                .filter(s -> s.usable() && s.qualityWarnings() != null && s.qualityWarnings().contains(ScaleCheck.CODE))
                .map(s -> s.date().toString()).collect(Collectors.toList());
        if (dates.isEmpty()) {
            return Optional.empty();
        }
        // A follow-up's scale comes from its alignment to the baseline, so a suspect baseline scale is every session's.
        boolean every = dates.size() == t.sessions().stream().filter(TrendInfo.Session::usable).count()
                || dates.get(0).equals(String.valueOf(t.baselineDate()));
        return Optional.of("Check the scale before reading these results: the mm per pixel given "
                + (every ? "for every session does not fit what the photos show"
                        : "for " + String.join(", ", dates) + (dates.size() == 1 ? " does not fit what the photo shows"
                        : " does not fit what the photos show"))
                + ", so pore sizes, densities"
                + (every ? ", scar depths and their changes " : " and scar depths from " + (dates.size() == 1 ? "that session " : "those sessions "))
                + "may be off by the same factor (see Quality warnings). Measure the scale against a ruler in the frame and "
                + "re-enter it.");
    }

    static String describe(List<String> codes) {
        return codes.stream().map(c -> WORDS.getOrDefault(c, c)).collect(Collectors.joining("; "));
    }
}
