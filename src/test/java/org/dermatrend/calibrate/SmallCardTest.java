package org.dermatrend.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.ImageFormat;
import org.dermatrend.decode.TestPhotos;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * A grey card that fills only a small corner of a JPEG (the real re-capture study's smaller ones: 13 % of a
 * 640-px view, its inner 60 % about 40 px, room for one to four 16-px chroma blocks) is still read from the
 * blocks' DC coefficients; one too small to hold a whole chroma block is read from its pixels. Read from decoded pixels instead, such a card was off by up to 1.2 % per channel (the
 * encoder smooths the card's noise away, so the decoder's rounding is not dithered), enough to move one
 * unchanged real skin's erythema index by 0.8 between sessions and its trend to "worsening"
 * (docs/metrics.md §2, §10).
 */
class SmallCardTest {
    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    /**
     * What is left is the quantisation of one or two chroma DC coefficients (a step of 0.25–0.5 code at
     * quality 95–88, times 1.77 in blue): about 0.35 % RMS, up to 1.3 % in blue at quality 88–89.
     */
    @Test
    void aSmallCardInAJpegIsReadFromItsBlocksToAFewTenthsOfAPercent() {
        GrayCardCalibrator calibrator = new GrayCardCalibrator();
        SplittableRandom rng = new SplittableRandom(20261203);
        double sumDc = 0;
        double sumPixels = 0;
        double worstDc = 0;
        int n = 0;
        for (int k = 0; k < 16; k++) {
            // Inner 60 % of the inset rectangle (0.8 of the side) at least 31 px: a whole 16-px chroma block fits
            // wherever the block grid falls.
            int side = 66 + rng.nextInt(30);
            int x = 10 + rng.nextInt(20);
            int y = 600 - side - 10 - rng.nextInt(20);
            double[] gain = {0.9 + 0.2 * rng.nextDouble(), 0.9 + 0.2 * rng.nextDouble(), 0.9 + 0.2 * rng.nextDouble()}; // R, G, B
            int quality = 88 + rng.nextInt(8);
            byte[] jpeg = photo(600, x, y, side, gain, quality, rng.nextLong());
            int inset = Math.max(2, side / 10);
            PixelRect card = new PixelRect(x + inset, y + inset, side - 2 * inset, side - 2 * inset);
            Mat decoded = decode(jpeg);
            try (DecodedPhoto asJpeg = DecodedPhoto.ofJpeg(decoded.clone(), jpeg);
                 DecodedPhoto asPixels = DecodedPhoto.ofUpright(decoded.clone(), ImageFormat.PNG)) {
                Calibration dc = calibrator.calibrate(asJpeg, Optional.of(card));
                Calibration px = calibrator.calibrate(asPixels, Optional.of(card));
                assertTrue(dc.calibrated(), dc.problem());
                assertEquals(Calibration.FROM_JPEG_DC, dc.cardSource(), "a " + side + "-px card at quality " + quality);
                for (int c = 0; c < 3; c++) {
                    double truth = GrayCardCalibrator.DEFAULT_CARD_REFLECTANCE * gain[c];
                    double eDc = dc.cardLinearRgb()[c] / truth - 1;
                    double ePx = px.cardLinearRgb()[c] / truth - 1;
                    sumDc += eDc * eDc;
                    sumPixels += ePx * ePx;
                    worstDc = Math.max(worstDc, Math.abs(eDc));
                    n++;
                }
            } finally {
                decoded.release();
            }
        }
        double rmsDc = Math.sqrt(sumDc / n);
        double rmsPixels = Math.sqrt(sumPixels / n);
        System.out.printf("small card: RMS error per channel %.2f %% from the blocks (worst %.2f %%), %.2f %% from the pixels%n",
                100 * rmsDc, 100 * worstDc, 100 * rmsPixels);
        assertTrue(rmsDc < 0.0045, "RMS error from the blocks " + rmsDc);
        assertTrue(worstDc < 0.016, "worst error from the blocks " + worstDc);
        assertTrue(rmsDc < 0.7 * rmsPixels, "the blocks beat the pixels: " + rmsDc + " against " + rmsPixels);
    }

    /** A card whose inner part holds no whole 16-px chroma block (a 30-px card: inner 60 % of 24 px) is read from its pixels. */
    @Test
    void aCardTooSmallForAChromaBlockIsReadFromItsPixels() {
        double[] gain = {1.05, 0.95, 1.0};
        byte[] jpeg = photo(600, 20, 540, 30, gain, 92, 7);
        PixelRect card = new PixelRect(23, 543, 24, 24);
        Mat decoded = decode(jpeg);
        try (DecodedPhoto photo = DecodedPhoto.ofJpeg(decoded, jpeg)) {
            Calibration c = new GrayCardCalibrator().calibrate(photo, Optional.of(card));
            assertTrue(c.calibrated(), c.problem());
            assertEquals(Calibration.FROM_PIXELS, c.cardSource());
            for (int k = 0; k < 3; k++) {
                assertEquals(GrayCardCalibrator.DEFAULT_CARD_REFLECTANCE * gain[k], c.cardLinearRgb()[k],
                        0.03 * GrayCardCalibrator.DEFAULT_CARD_REFLECTANCE, "channel " + k);
            }
        }
    }

    /** The JPEG's pixels, BGR; the caller owns them. */
    private static Mat decode(byte[] jpeg) {
        MatOfByte buf = new MatOfByte(jpeg);
        try {
            return Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        } finally {
            buf.release();
        }
    }

    /**
     * A square photo of noisy skin-coloured light with a flat 18 % card under per-channel gains, shot and read
     * noise as {@code eval/RealRecapture} adds it, as a JPEG.
     */
    private static byte[] photo(int size, int x, int y, int side, double[] gain, int quality, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] px = new byte[size * size * 3];
        double[] skin = {0.45, 0.30, 0.24}; // R, G, B, linear
        for (int yy = 0; yy < size; yy++) {
            for (int xx = 0; xx < size; xx++) {
                boolean card = xx >= x && xx < x + side && yy >= y && yy < y + side;
                double texture = 1 + 0.08 * Math.sin(xx * 0.21) * Math.cos(yy * 0.17);
                for (int ch = 0; ch < 3; ch++) {
                    int c = 2 - ch; // BGR order in the Mat
                    double l = (card ? GrayCardCalibrator.DEFAULT_CARD_REFLECTANCE : skin[c] * texture) * gain[c];
                    l = Math.max(0, l + Math.sqrt(2.5e-4 * l + 4e-6) * rng.nextGaussian());
                    px[3 * (yy * size + xx) + ch] = (byte) Math.round(255 * ColorMath.linearToSrgb(Math.min(1, l)));
                }
            }
        }
        Mat m = new Mat(size, size, CvType.CV_8UC3);
        m.put(0, 0, px);
        try {
            return TestPhotos.encode(".jpg", m, Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        } finally {
            m.release();
        }
    }
}
