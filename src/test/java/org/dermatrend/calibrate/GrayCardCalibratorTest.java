package org.dermatrend.calibrate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.quality.Phantoms;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.dermatrend.synth.PhantomTruth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The grey card must remove a white-balance cast of ±15 % per channel and an exposure change of
 * ±15 % to within ΔE76 &lt; 2, on the card and on the skin, against the same skin under the neutral
 * reference light.
 */
class GrayCardCalibratorTest {
    private static final PhantomRenderer RENDERER = new PhantomRenderer();

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @ParameterizedTest(name = "gains {0},{1},{2} exposure {3} type {4}")
    @CsvSource({
        "1.15, 1.00, 0.85, 1.00, 2", "0.85, 1.00, 1.15, 1.00, 2", "1.15, 0.85, 1.00, 1.15, 3",
        "1.00, 1.15, 0.85, 0.85, 3", "0.85, 1.15, 1.15, 1.15, 5", "1.15, 1.15, 0.85, 0.85, 6",
        "0.85, 0.85, 1.15, 1.00, 1", "1.00, 1.00, 1.00, 1.15, 4"})
    void cardCalibrationRemovesTheCast(double r, double g, double b, double exposure, int fitzpatrick) {
        PhantomSpec neutral = PhantomSpec.builder().size(900, 700).seed(31 + fitzpatrick).fitzpatrick(fitzpatrick).grayCard(true).build();
        PhantomSpec cast = neutral.toBuilder().gains(r, g, b).exposure(exposure).build();
        try (Phantom ref = RENDERER.render(neutral); Phantom shifted = RENDERER.render(cast)) {
            double[] refSkin;
            try (DecodedPhoto photo = Phantoms.photo(ref); PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, Phantoms.context(ref, false))) {
                refSkin = meanLab(prepared.linear(), ref.skinTruth());
            }
            try (DecodedPhoto photo = Phantoms.photo(shifted)) {
                double[] rawSkin;
                try (PreparedPhoto raw = Phantoms.PREPARER.prepare(photo, Phantoms.context(shifted, false))) {
                    rawSkin = meanLab(raw.linear(), shifted.skinTruth());
                }
                try (PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, Phantoms.context(shifted, true))) {
                    assertTrue(prepared.calibration().calibrated(), prepared.calibration().problem());
                    double[] skin = meanLab(prepared.linear(), shifted.skinTruth());
                    double skinDe = ColorMath.deltaE76(skin, refSkin);
                    PhantomTruth.GrayCard c = shifted.truth().grayCard();
                    Mat cardMask = Mat.zeros(shifted.skinTruth().size(), shifted.skinTruth().type());
                    org.opencv.imgproc.Imgproc.rectangle(cardMask, new org.opencv.core.Point(c.x() + 10, c.y() + 10),
                            new org.opencv.core.Point(c.x() + c.width() - 10, c.y() + c.height() - 10), new Scalar(255), -1);
                    double[] card = meanLab(prepared.linear(), cardMask);
                    cardMask.release();
                    double g18 = ColorMath.lightness(PhantomRenderer.CARD_REFLECTANCE);
                    double cardDe = ColorMath.deltaE76(card, new double[] {g18, 0, 0});
                    double rawDe = ColorMath.deltaE76(rawSkin, refSkin);
                    System.out.printf("calibration gains %.2f,%.2f,%.2f exposure %.2f type %d: card dE76 %.2f, skin dE76 %.2f (uncalibrated %.2f)%n",
                            r, g, b, exposure, fitzpatrick, cardDe, skinDe, rawDe);
                    assertTrue(cardDe < 2, "card ΔE76 " + cardDe);
                    assertTrue(skinDe < 2, "skin ΔE76 " + skinDe + " (uncalibrated " + rawDe + ")");
                    if (r != 1 || g != 1 || b != 1) {
                        assertTrue(rawDe > 3, "the cast should matter without the card, ΔE76 " + rawDe);
                    }
                }
            }
        }
    }

    /** CIELAB of the mean linear colour under {@code mask}. */
    static double[] meanLab(Mat linearBgr, Mat mask) {
        Scalar m = Core.mean(linearBgr, mask);
        return ColorMath.linearRgbToLab(m.val[2], m.val[1], m.val[0]);
    }
}
