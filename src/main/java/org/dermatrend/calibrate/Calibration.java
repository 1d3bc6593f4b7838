package org.dermatrend.calibrate;

import org.dermatrend.cv.PixelRect;

/**
 * How a photo's colours were normalised.
 *
 * <p>When {@code calibrated}, linear R, G, B were multiplied by {@code gainR/G/B} so that the grey
 * reference reads {@link GrayCardCalibrator#DEFAULT_CARD_REFLECTANCE} (neutral, 18 %) in every channel:
 * white balance and exposure are then those of a neutral light of unit intensity, and colours are
 * comparable across sessions. Otherwise the gains are 1 and colours are the camera's raw colours.
 *
 * @param calibrated     whether a usable grey reference was found and applied
 * @param gainR          multiplier on linear red (1 when not calibrated)
 * @param gainG          multiplier on linear green
 * @param gainB          multiplier on linear blue
 * @param grayRef        the reference rectangle the client gave, or {@code null}
 * @param cardLinearRgb  linear R, G, B of the reference before correction (10 %-trimmed means), or {@code null}
 * @param cardUniformity coefficient of variation of the reference's luminance (std / mean), or NaN
 * @param problem        why a given reference could not be used, or {@code null}
 * @param cardSource     {@link #FROM_PIXELS} or {@link #FROM_JPEG_DC}, or {@code null} without a card
 * @param problemCode    {@link #NOT_NEUTRAL} (the rectangle is coloured or not flat: not on a grey card) or
 *                       {@link #UNUSABLE} (outside the image, clipped, too dark), or {@code null}
 */
public record Calibration(boolean calibrated, double gainR, double gainG, double gainB, PixelRect grayRef,
                          double[] cardLinearRgb, double cardUniformity, String problem, String cardSource, String problemCode) {

    /** The card was read from decoded pixels. */
    public static final String FROM_PIXELS = "pixels";
    /** The card was read from a JPEG's DC coefficients (finer than decoded pixels: see JpegBlockMeans). */
    public static final String FROM_JPEG_DC = "jpeg-dc";

    /** The quality issue of a reference that is not a neutral, flat grey (a rectangle on skin, say). */
    public static final String NOT_NEUTRAL = "gray_ref_not_neutral";
    /** The quality issue of a reference that cannot be read (outside the image, clipped, too dark). */
    public static final String UNUSABLE = "gray_ref_unusable";

    /** No reference given: raw colours. */
    public static Calibration raw() {
        return new Calibration(false, 1, 1, 1, null, null, Double.NaN, null, null, null);
    }

    /** A reference was given but could not be read; colours stay raw and {@code problem} says why. */
    public static Calibration unusable(PixelRect grayRef, double[] cardLinearRgb, double uniformity, String problem) {
        return new Calibration(false, 1, 1, 1, grayRef, cardLinearRgb, uniformity, problem, null, UNUSABLE);
    }

    /** A reference that is not on a grey card (coloured or uneven); colours stay raw and {@code problem} says why. */
    public static Calibration notNeutral(PixelRect grayRef, double[] cardLinearRgb, double uniformity, String problem) {
        return new Calibration(false, 1, 1, 1, grayRef, cardLinearRgb, uniformity, problem, null, NOT_NEUTRAL);
    }
}
