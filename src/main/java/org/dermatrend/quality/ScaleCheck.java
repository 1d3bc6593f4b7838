package org.dermatrend.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a stated scale ({@code mmPerPx}) is plausible for a close-up of skin: the {@value #CODE} warning.
 * A wrong scale passes every other check and moves every size by its error and every density by its square,
 * so a session measured with a scale typed 4× too small reports pores 4× smaller and 16× denser, and its trend
 * verdicts follow. Two cues, each from what the photo shows at that scale (docs/metrics.md §4 has the study
 * behind the limits, and what they cannot see):
 * <ul>
 *   <li>the field of view: a photo whose shorter side spans under {@value #MIN_FIELD_MM} mm, or whose longer
 *       side spans over {@value #MAX_FIELD_MM} mm, is not a photo of a treated skin area;</li>
 *   <li>the pores, once at least {@value #MIN_PORES} (by weight) are found: more than
 *       {@value #MAX_PORE_DENSITY_PER_CM2} per cm², or a median diameter at or under
 *       {@value #MIN_MEDIAN_PORE_DIAMETER_MM} mm (the detector looks for pores from 0.04 mm, so a median this
 *       close to the floor means the pores were pushed against it).</li>
 * </ul>
 * A scale too large by 2–4× is not caught: pores then read 0.3–0.5 mm, as enlarged pores do. Only a warning:
 * the numbers are reported, the trend and report show the warning beside the session. Stateless.
 */
public final class ScaleCheck {
    /** The issue's code. */
    public static final String CODE = "scale_suspect";
    /** Least span of the photo's shorter side, mm. */
    public static final double MIN_FIELD_MM = 8;
    /** Largest span of the photo's longer side, mm (a face is about 150 mm wide). */
    public static final double MAX_FIELD_MM = 400;
    /** Fewest pores (by weight) whose density and sizes say anything about the scale. */
    public static final double MIN_PORES = 20;
    /** Densest pores of skin, per cm² (facial pores: 10–100 per cm²). */
    public static final double MAX_PORE_DENSITY_PER_CM2 = 150;
    /** Smallest median pore diameter, mm (visible pores: 0.05–0.5 mm). */
    public static final double MIN_MEDIAN_PORE_DIAMETER_MM = 0.055;

    private ScaleCheck() {
    }

    /** The field-of-view cue for a {@code cols × rows} photo at {@code mmPerPx}. */
    public static Optional<QualityIssue> field(int cols, int rows, double mmPerPx) {
        double shorter = Math.min(cols, rows) * mmPerPx;
        double longer = Math.max(cols, rows) * mmPerPx;
        if (shorter < MIN_FIELD_MM) {
            return Optional.of(issue(String.format("At %s mm per pixel this %dx%d photo would show only %.1f x %.1f mm of skin "
                            + "(at least %.0f mm across is expected of a treatment-area photo), so the scale is probably too small.",
                    plain(mmPerPx), cols, rows, longer, shorter, MIN_FIELD_MM), shorter, MIN_FIELD_MM));
        }
        if (longer > MAX_FIELD_MM) {
            return Optional.of(issue(String.format("At %s mm per pixel this %dx%d photo would span %.0f mm (at most %.0f mm is "
                            + "expected of a skin close-up), so the scale is probably too large.",
                    plain(mmPerPx), cols, rows, longer, MAX_FIELD_MM), longer, MAX_FIELD_MM));
        }
        return Optional.empty();
    }

    /**
     * The pores' cue.
     *
     * @param weightedCount    pores found, by weight
     * @param densityPerCm2    their density at the stated scale
     * @param medianDiameterMm their weighted median diameter at the stated scale
     */
    public static Optional<QualityIssue> pores(double weightedCount, double densityPerCm2, double medianDiameterMm,
                                               double mmPerPx) {
        if (!(weightedCount >= MIN_PORES)) {
            return Optional.empty();
        }
        boolean dense = densityPerCm2 > MAX_PORE_DENSITY_PER_CM2;
        boolean tiny = medianDiameterMm <= MIN_MEDIAN_PORE_DIAMETER_MM;
        if (!dense && !tiny) {
            return Optional.empty();
        }
        List<String> seen = new ArrayList<>();
        if (dense) {
            seen.add(String.format("%.0f pores per cm² (skin has at most about %.0f)", densityPerCm2, MAX_PORE_DENSITY_PER_CM2));
        }
        if (tiny) {
            seen.add(String.format("a median pore diameter of %.3f mm (visible pores are 0.05-0.5 mm)", medianDiameterMm));
        }
        return Optional.of(issue(String.format("At %s mm per pixel the skin shows %s, so the scale is probably too small.",
                        plain(mmPerPx), String.join(" and ", seen)),
                dense ? densityPerCm2 : medianDiameterMm, dense ? MAX_PORE_DENSITY_PER_CM2 : MIN_MEDIAN_PORE_DIAMETER_MM));
    }

    private static QualityIssue issue(String finding, double value, double threshold) {
        return new QualityIssue(CODE, finding + " Check mmPerPx against a ruler or sticker of known size in the frame: a scale "
                + "k times off makes every size k times and every density k² times off, and the trend compares them across "
                + "sessions.", QualityGate.round(value, 4), threshold, QualityIssue.WARNING);
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
