package org.dermatrend.wire;

import org.dermatrend.measure.RednessResult;

/**
 * The {@code redness} object of the score (docs/metrics.md defines each field); {@code null} values
 * when no skin was measured, and {@code meanAStar} and {@code itaDegrees} null when the light was too
 * uneven for them (quality issue {@code uneven_for_a_star}).
 */
public record RednessInfo(Double erythemaIndex, Double meanAStar, double areaFraction, Double haemoglobinIndex,
                          Double melaninIndex, Double itaDegrees) {

    /**
     * @param aStarWithheld the light varies too much across the skin for a* and ITA° (which follow it, unlike
     *                      the ratio and unmixing measures): both are left null
     */
    public static RednessInfo of(RednessResult r, boolean aStarWithheld) {
        return new RednessInfo(num(r.erythemaIndex(), 3), aStarWithheld ? null : num(r.meanAStar(), 3),
                PoresInfo.round(r.areaFraction(), 5), num(r.haemoglobinIndex(), 4), num(r.melaninIndex(), 4),
                aStarWithheld ? null : num(r.itaDegrees(), 2));
    }

    private static Double num(double v, int digits) {
        return Double.isFinite(v) ? PoresInfo.round(v, digits) : null;
    }
}
