package org.dermatrend.wire;

import org.dermatrend.calibrate.Calibration;

/**
 * How colours were normalised: gains applied to linear R, G, B, and the grey reference as measured.
 *
 * @param gains          [R, G, B] multipliers (1 when uncalibrated)
 * @param cardLinearRgb  median linear [R, G, B] of the reference before correction, or {@code null}
 * @param cardUniformity coefficient of variation of the reference's luminance, or {@code null}
 * @param problem        why the given reference was not used, or {@code null}
 * @param cardSource     {@code pixels} or {@code jpeg-dc} (the card read from the JPEG's DC coefficients)
 */
public record CalibrationInfo(double[] gains, double[] cardLinearRgb, Double cardUniformity, String problem, String cardSource) {

    public static CalibrationInfo of(Calibration c) {
        return new CalibrationInfo(new double[] {c.gainR(), c.gainG(), c.gainB()}, c.cardLinearRgb(),
                Double.isNaN(c.cardUniformity()) ? null : c.cardUniformity(), c.problem(), c.cardSource());
    }
}
