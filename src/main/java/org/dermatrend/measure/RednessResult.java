package org.dermatrend.measure;

/**
 * Redness of the measured skin; averages over skin-mask pixels that are not pores.
 *
 * @param erythemaIndex    mean of {@code 100·(log10 R − log10 G)} on linear, calibrated RGB (Diffey/Dawson form)
 * @param meanAStar        mean CIELAB a* (D65)
 * @param areaFraction     share of measured skin whose haemoglobin index is at least the red threshold
 * @param haemoglobinIndex mean haemoglobin from optical-density separation (a.u.)
 * @param melaninIndex     mean melanin from the same separation (a.u.)
 * @param itaDegrees       Individual Typology Angle of the mean CIELAB colour (skin tone)
 * @param pixels           pixels averaged
 */
public record RednessResult(double erythemaIndex, double meanAStar, double areaFraction, double haemoglobinIndex,
                            double melaninIndex, double itaDegrees, long pixels) {
}
