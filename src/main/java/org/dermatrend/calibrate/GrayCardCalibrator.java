package org.dermatrend.calibrate;

import java.util.Arrays;
import java.util.Optional;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.ImageHeader;
import org.dermatrend.decode.JpegBlockMeans;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Normalises white balance and exposure to a neutral grey reference the client marks in the frame,
 * and turns 8-bit sRGB pixels into linear light.
 *
 * <p>Only the reference is used, never the skin: normalising on skin would erase the redness we
 * measure. The card's linear value per channel (a 10 %-trimmed mean) is measured over the inner 60 %
 * of the rectangle (its edges may catch skin or shadow), skipping clipped pixels; each channel is then
 * scaled so that the card reads {@code cardReflectance}. A von Kries diagonal correction in linear
 * sRGB: exact for a change of exposure and of camera gains per channel, approximate for a change of
 * the light's spectrum. For a baseline JPEG the card's colour is read from the DC coefficients of
 * the blocks inside it ({@link JpegBlockMeans}): decoded pixels of a flat card are rounded to whole
 * codes, an error of up to 2 % per channel that would move the erythema index by up to 1.
 */
public final class GrayCardCalibrator {
    /** Linear reflectance of a standard 18 % grey card. */
    public static final double DEFAULT_CARD_REFLECTANCE = 0.18;
    /** Fewest usable (unclipped) pixels inside the reference, as a share of its inner area. */
    static final double MIN_USABLE_SHARE = 0.8;
    /** Largest coefficient of variation of the reference's luminance: above it, the "card" is not flat grey. */
    static final double MAX_CARD_VARIATION = 0.15;
    /** Darkest usable reference, linear luminance (about L* 10): below it the gains would amplify noise. */
    static final double MIN_CARD_LUMINANCE = 0.011;
    /**
     * Largest CIELAB chroma C* of the reference, brought to an 18 % grey's luminance first: a grey card under a
     * cast of ±15 % per channel reads 4–8, under 1.3/1.0/0.75 about 11; skin reads 14 (very pale) to 32.
     */
    static final double MAX_CARD_CHROMA = 12;

    private final double cardReflectance;

    public GrayCardCalibrator(double cardReflectance) {
        if (!(cardReflectance > 0 && cardReflectance < 1)) {
            throw new IllegalArgumentException("card reflectance must be in (0, 1), got " + cardReflectance);
        }
        this.cardReflectance = cardReflectance;
    }

    public GrayCardCalibrator() {
        this(DEFAULT_CARD_REFLECTANCE);
    }

    /**
     * Measures the grey reference, if one is given.
     *
     * @param photo   the decoded photo; for a baseline JPEG the card is read from its DC coefficients
     * @param grayRef the reference rectangle, in upright pixels
     */
    public Calibration calibrate(DecodedPhoto photo, Optional<PixelRect> grayRef) {
        Mat bgr8 = photo.bgr();
        if (grayRef.isEmpty()) {
            return Calibration.raw();
        }
        PixelRect card = grayRef.get();
        if (!card.fitsIn(bgr8.cols(), bgr8.rows())) {
            return Calibration.unusable(card, null, Double.NaN, "the grey reference " + card + " lies outside the "
                    + bgr8.cols() + "x" + bgr8.rows() + " image; give x,y,w,h in pixels of the upright photo");
        }
        PixelRect inner = card.inner(0.6);
        byte[] px = new byte[(int) inner.area() * 3];
        try (MatScope scope = new MatScope()) {
            Mat roi = scope.track(bgr8.submat(inner.toCv()));
            Mat copy = scope.track(roi.clone());
            copy.get(0, 0, px);
        }
        int count = (int) inner.area();
        float[][] channels = new float[3][count];
        float[] lum = new float[count];
        int usable = 0;
        for (int i = 0; i < count; i++) {
            int b = px[3 * i] & 0xff;
            int g = px[3 * i + 1] & 0xff;
            int r = px[3 * i + 2] & 0xff;
            if (Math.max(r, Math.max(g, b)) >= 254 || Math.min(r, Math.min(g, b)) <= 1) {
                continue;
            }
            channels[0][usable] = ColorMath.linearOf8Bit(r);
            channels[1][usable] = ColorMath.linearOf8Bit(g);
            channels[2][usable] = ColorMath.linearOf8Bit(b);
            lum[usable] = (float) ColorMath.luminance(channels[0][usable], channels[1][usable], channels[2][usable]);
            usable++;
        }
        if (usable < MIN_USABLE_SHARE * count) {
            return Calibration.unusable(card, null, Double.NaN, String.format(
                    "only %.0f%% of the grey reference is unclipped (need %.0f%%); it is over- or under-exposed or not on the card",
                    100.0 * usable / count, 100 * MIN_USABLE_SHARE));
        }
        double[] median = new double[3];
        for (int c = 0; c < 3; c++) {
            median[c] = trimmedMean(channels[c], usable);
        }
        double meanLum = 0;
        for (int i = 0; i < usable; i++) {
            meanLum += lum[i];
        }
        meanLum /= usable;
        double var = 0;
        for (int i = 0; i < usable; i++) {
            var += (lum[i] - meanLum) * (lum[i] - meanLum);
        }
        double cv = Math.sqrt(var / usable) / meanLum;
        double cardLum = ColorMath.luminance(median[0], median[1], median[2]);
        if (cardLum < MIN_CARD_LUMINANCE) {
            return Calibration.unusable(card, median, cv, String.format(
                    "the grey reference is too dark (luminance %.4f, need at least %.3f): expose the photo more or check the rectangle",
                    cardLum, MIN_CARD_LUMINANCE));
        }
        if (cv > MAX_CARD_VARIATION) {
            return Calibration.notNeutral(card, median, cv, String.format(
                    "the grey reference %s is not uniform (brightness varies by %.0f%%, at most %.0f%%): the rectangle may not lie on the card",
                    card, 100 * cv, 100 * MAX_CARD_VARIATION));
        }
        double chroma = chroma(median);
        if (chroma > MAX_CARD_CHROMA) {
            return Calibration.notNeutral(card, median, cv, String.format(
                    "the grey reference %s is coloured (chroma C* %.1f; a grey card reads under %.0f even under a tinted light): "
                            + "the rectangle may lie on skin or on something coloured; mark the grey card, or light it with white light",
                    card, chroma, MAX_CARD_CHROMA));
        }
        String source = Calibration.FROM_PIXELS;
        if (photo.jpegBytes().isPresent()) {
            ImageHeader h = photo.header();
            int[] r = JpegBlockMeans.toStored(h.orientation(), h.storedWidth(), h.storedHeight(), inner.x(), inner.y(),
                    inner.x() + inner.width(), inner.y() + inner.height());
            Optional<double[]> dc = JpegBlockMeans.meanRgb(photo.jpegBytes().get(), r[0], r[1], r[2], r[3]);
            if (dc.isPresent()) {
                for (int c = 0; c < 3; c++) {
                    median[c] = ColorMath.srgbToLinear(Math.max(0, Math.min(255, dc.get()[c])) / 255.0);
                }
                source = Calibration.FROM_JPEG_DC;
            }
        }
        return new Calibration(true, cardReflectance / median[0], cardReflectance / median[1], cardReflectance / median[2],
                card, median, cv, null, source, null);
    }

    /** CIELAB a*, b* of a linear RGB colour brought to an 18 % grey's luminance (so exposure does not change it). */
    static double[] chromaticity(double[] linearRgb) {
        double scale = DEFAULT_CARD_REFLECTANCE / Math.max(1e-6, ColorMath.luminance(linearRgb[0], linearRgb[1], linearRgb[2]));
        double[] lab = ColorMath.linearRgbToLab(linearRgb[0] * scale, linearRgb[1] * scale, linearRgb[2] * scale);
        return new double[] {lab[1], lab[2]};
    }

    /** CIELAB chroma of a linear RGB colour brought to an 18 % grey's luminance (so exposure does not change it). */
    static double chroma(double[] linearRgb) {
        double[] ab = chromaticity(linearRgb);
        return Math.hypot(ab[0], ab[1]);
    }

    /**
     * Linear-light pixels with the calibration's gains applied.
     *
     * @param bgr8 upright {@code CV_8UC3} BGR, sRGB-encoded
     * @return a new {@code CV_32FC3} BGR Mat of linear values (1 = white of a unit light; calibrated
     *         values may exceed 1), owned by the caller
     */
    public static Mat toLinear(Mat bgr8, Calibration calibration) {
        if (bgr8.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected CV_8UC3 BGR, got " + CvType.typeToString(bgr8.type()));
        }
        double[] gain = {calibration.gainB(), calibration.gainG(), calibration.gainR()};
        float[] table = new float[256 * 3];
        for (int i = 0; i < 256; i++) {
            for (int c = 0; c < 3; c++) {
                table[3 * i + c] = (float) (ColorMath.linearOf8Bit(i) * gain[c]);
            }
        }
        try (MatScope scope = new MatScope()) {
            Mat lut = scope.track(new Mat(1, 256, CvType.CV_32FC3));
            lut.put(0, 0, table);
            Mat out = new Mat();
            Core.LUT(bgr8, lut, out);
            return out;
        }
    }

    /**
     * Mean of the middle 80 % of the values. Not the median: a median of 8-bit codes is itself a whole
     * code, off by up to half a code (about 1 % at an 18 % card), and a 1 % error in one channel's
     * gain moves the erythema index by 0.4. Sensor noise dithers the codes, so a (trimmed) mean reads
     * the card to a fraction of a code.
     */
    static double trimmedMean(float[] values, int count) {
        float[] copy = Arrays.copyOf(values, count);
        Arrays.sort(copy);
        int lo = count / 10;
        int hi = count - lo;
        double sum = 0;
        for (int i = lo; i < hi; i++) {
            sum += copy[i];
        }
        return sum / (hi - lo);
    }
}
