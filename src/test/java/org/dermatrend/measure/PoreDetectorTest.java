package org.dermatrend.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Renders dark discs of known diameter (with exact anti-aliased rims), a hair-like line and a large
 * dark blob on flat skin at a known scale, and checks that exactly the discs are found, at their size.
 */
class PoreDetectorTest {
    private static final double[] DIAMETERS_MM = {0.08, 0.12, 0.18, 0.25, 0.35, 0.45};

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    /** Linear BGR skin 24×16 mm with the discs in a row, a 3 mm line and a 1.5 mm blob. */
    private static Mat scene(double mmPerPx, double darkening) {
        int w = (int) Math.round(24 / mmPerPx);
        int h = (int) Math.round(16 / mmPerPx);
        float[] px = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double keep = 1;
                for (int i = 0; i < DIAMETERS_MM.length; i++) {
                    double cx = (3 + 3.5 * i) / mmPerPx;
                    double cy = 4 / mmPerPx;
                    double r = DIAMETERS_MM[i] / 2 / mmPerPx;
                    double cover = Math.max(0, Math.min(1, r - Math.hypot(x - cx, y - cy) + 0.5));
                    keep *= 1 - darkening * cover;
                }
                // A hair-like line, 3 mm long and 0.08 mm wide.
                double lineDist = Math.abs(y - 9 / mmPerPx);
                if (x > 3 / mmPerPx && x < 6 / mmPerPx) {
                    keep *= 1 - darkening * Math.max(0, Math.min(1, 0.04 / mmPerPx - lineDist + 0.5));
                }
                // A large dark blob, 1.5 mm across (a lesion, not a pore).
                double blob = Math.hypot(x - 15 / mmPerPx, y - 11 / mmPerPx) - 0.75 / mmPerPx;
                keep *= 1 - darkening * Math.max(0, Math.min(1, 0.5 - blob));
                int i = 3 * (y * w + x);
                px[i] = (float) (0.30 * keep);
                px[i + 1] = (float) (0.40 * keep);
                px[i + 2] = (float) (0.60 * keep);
            }
        }
        Mat m = new Mat(h, w, CvType.CV_32FC3);
        m.put(0, 0, px);
        Imgproc.GaussianBlur(m, m, new Size(0, 0), 0.6);
        return m;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.025, 0.015, 0.01})
    void findsExactlyTheDiscsAtTheirSizeAtAnyScale(double mmPerPx) {
        Mat linear = scene(mmPerPx, 0.4);
        Mat skin = new Mat(linear.size(), CvType.CV_8UC1, new Scalar(255));
        try (PoreResult r = new PoreDetector(ConfigPores.defaults()).detect(linear, skin, OptionalDouble.of(mmPerPx))) {
            List<Pore> found = r.pores().stream().sorted(Comparator.comparingDouble(Pore::xPx)).toList();
            assertEquals(DIAMETERS_MM.length, found.size(), "found " + found);
            for (int i = 0; i < DIAMETERS_MM.length; i++) {
                Pore p = found.get(i);
                assertEquals((3 + 3.5 * i) / mmPerPx, p.xPx(), 1.0, "centre x of pore " + i);
                assertEquals(4 / mmPerPx, p.yPx(), 1.0, "centre y of pore " + i);
                double measured = p.diameterPx() * mmPerPx;
                double tolerance = Math.max(0.10 * DIAMETERS_MM[i], 0.012);
                assertEquals(DIAMETERS_MM[i], measured, tolerance, "diameter of the " + DIAMETERS_MM[i] + " mm pore");
            }
            assertTrue(r.areaFraction() > 0 && r.areaFraction() < 0.01);
            assertTrue(Core.countNonZero(r.poreMask()) > 0);
        } finally {
            linear.release();
            skin.release();
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.25, 0.6})
    void sizeDoesNotDependOnContrast(double darkening) {
        Mat linear = scene(0.025, darkening);
        Mat skin = new Mat(linear.size(), CvType.CV_8UC1, new Scalar(255));
        try (PoreResult r = new PoreDetector(ConfigPores.defaults()).detect(linear, skin, OptionalDouble.of(0.025))) {
            List<Pore> found = r.pores().stream().sorted(Comparator.comparingDouble(Pore::xPx)).toList();
            assertEquals(DIAMETERS_MM.length, found.size());
            Pore largest = found.get(found.size() - 1);
            assertEquals(0.45, largest.diameterPx() * 0.025, 0.03, "at darkening " + darkening);
        } finally {
            linear.release();
            skin.release();
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.025})
    void poresOutsideTheSkinMaskAreNotCounted(double mmPerPx) {
        Mat linear = scene(mmPerPx, 0.4);
        Mat skin = new Mat(linear.size(), CvType.CV_8UC1, new Scalar(255));
        Imgproc.rectangle(skin, new Point(0, 0), new Point(8 / mmPerPx, 16 / mmPerPx), new Scalar(0), -1);
        try (PoreResult r = new PoreDetector(ConfigPores.defaults()).detect(linear, skin, OptionalDouble.of(mmPerPx))) {
            assertEquals(DIAMETERS_MM.length - 2, r.pores().size(), "the two pores left of x = 8 mm are outside the mask");
        } finally {
            linear.release();
            skin.release();
        }
    }
}
