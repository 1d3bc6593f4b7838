package org.dermatrend.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class JpegBlockMeansTest {
    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    /** A noisy picture with a flat coloured "card" of known mean at (100..300, 80..280). */
    private static Mat withCard(double r, double g, double b, long seed) {
        Mat m = new Mat(600, 800, CvType.CV_8UC3, new Scalar(90, 130, 180));
        Mat noise = new Mat(600, 800, CvType.CV_32FC3);
        float[] n = new float[600 * 800 * 3];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) (1.5 * rng.nextGaussian());
        }
        noise.put(0, 0, n);
        m.submat(80, 280, 100, 300).setTo(new Scalar(b, g, r));
        Mat f = new Mat();
        m.convertTo(f, CvType.CV_32FC3);
        Core.add(f, noise, f);
        f.convertTo(m, CvType.CV_8UC3);
        noise.release();
        f.release();
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {85, 92, 98})
    void cardMeanFromDcCoefficientsIsWithinHalfAQuantisationStep(int quality) {
        double[][] colours = {{118, 118, 118}, {131, 112, 97}, {104, 125, 140}};
        for (double[] c : colours) {
            Mat m = withCard(c[0], c[1], c[2], 7);
            byte[] jpeg = TestPhotos.encode(".jpg", m, Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
            Optional<double[]> mean = JpegBlockMeans.meanRgb(jpeg, 120, 100, 280, 260);
            assertTrue(mean.isPresent());
            for (int k = 0; k < 3; k++) {
                // DC step in code values: the standard tables' DC entries (16, 17) scaled for the quality, / 8.
                double step = Math.max(1, Math.round(17 * (quality < 50 ? 50.0 / quality : 2 - quality / 50.0))) / 8.0;
                assertEquals(c[k], mean.get()[k], 0.6 * step + 0.15, "channel " + k + " at quality " + quality);
            }
            m.release();
        }
    }

    @Test
    void unsupportedFilesAnswerEmpty() {
        assertTrue(JpegBlockMeans.meanRgb(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0}, 0, 0, 10, 10).isEmpty());
        Mat m = withCard(100, 100, 100, 1);
        byte[] progressive = TestPhotos.encode(".jpg", m, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
        assertTrue(JpegBlockMeans.meanRgb(progressive, 120, 100, 280, 260).isEmpty());
        m.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void uprightRectanglesMapToTheStoredFrame(int orientation) {
        Mat upright = new Mat(520, 640, CvType.CV_8UC1, new Scalar(0));
        upright.submat(100, 200, 50, 350).setTo(new Scalar(255));
        Mat stored = Orientation.fromUpright(upright, orientation);
        int[] r = JpegBlockMeans.toStored(orientation, stored.cols(), stored.rows(), 50, 100, 350, 200);
        assertEquals(300 * 100, Core.countNonZero(stored), "the rectangle is all there");
        assertEquals(300 * 100, Core.countNonZero(stored.submat(r[1], r[3], r[0], r[2])), "and inside the mapped one");
        assertArrayEquals(new int[] {300 * 100}, new int[] {(r[2] - r[0]) * (r[3] - r[1])});
        upright.release();
        stored.release();
    }
}
