package org.dermatrend.wire;

import org.dermatrend.measure.RednessResult;

/**
 * The {@code redness} object of the score (docs/metrics.md defines each field); {@code null} values
 * when no skin was measured.
 */
public record RednessInfo(Double erythemaIndex, Double meanAStar, double areaFraction, Double haemoglobinIndex,
                          Double melaninIndex, Double itaDegrees) {

    public static RednessInfo of(RednessResult r) {
        return new RednessInfo(num(r.erythemaIndex(), 3), num(r.meanAStar(), 3), PoresInfo.round(r.areaFraction(), 5),
                num(r.haemoglobinIndex(), 4), num(r.melaninIndex(), 4), num(r.itaDegrees(), 2));
    }

    private static Double num(double v, int digits) {
        return Double.isFinite(v) ? PoresInfo.round(v, digits) : null;
    }
}
