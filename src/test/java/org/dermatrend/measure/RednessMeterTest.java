package org.dermatrend.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.synth.SkinOptics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class RednessMeterTest {
    private final RednessMeter meter = new RednessMeter(ConfigRedness.defaults());

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void unmixingInvertsThePigmentDirections() {
        double[][] inv = RednessMeter.unmixing();
        double[][] a = new double[3][3];
        for (int c = 0; c < 3; c++) {
            a[c][0] = SkinOptics.MELANIN[c];
            a[c][1] = SkinOptics.HAEMOGLOBIN[c];
            a[c][2] = 1;
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += inv[i][k] * a[k][j];
                }
                assertEquals(i == j ? 1 : 0, v, 1e-9);
            }
        }
    }

    /** A flat patch of skin with the given pigments, as linear BGR. */
    private static Mat patch(double melanin, double haemoglobin, double light) {
        double[] rgb = new double[3];
        SkinOptics.reflectance(melanin, haemoglobin, 0, rgb);
        return new Mat(200, 200, CvType.CV_32FC3, new Scalar(rgb[2] * light, rgb[1] * light, rgb[0] * light));
    }

    private RednessResult measure(Mat linear) {
        Mat skin = new Mat(linear.size(), CvType.CV_8UC1, new Scalar(255));
        Mat pores = Mat.zeros(linear.size(), CvType.CV_8UC1);
        try {
            return meter.measure(linear, skin, pores, OptionalDouble.of(0.025));
        } finally {
            skin.release();
            pores.release();
        }
    }

    @Test
    void erythemaIndexFollowsTheFormulaAndRisesWithHaemoglobin() {
        double previous = Double.NEGATIVE_INFINITY;
        for (double hb = 0.2; hb <= 1.0; hb += 0.2) {
            Mat p = patch(0.8, hb, 1);
            RednessResult r = measure(p);
            double[] rgb = new double[3];
            SkinOptics.reflectance(0.8, hb, 0, rgb);
            assertEquals(100 * (Math.log10(rgb[0]) - Math.log10(rgb[1])), r.erythemaIndex(), 1e-3);
            assertTrue(r.erythemaIndex() > previous);
            previous = r.erythemaIndex();
            p.release();
        }
    }

    @Test
    void exposureAndShadingDoNotMoveTheRatiosOrTheHaemoglobinIndex() {
        Mat bright = patch(1.5, 0.6, 1.0);
        Mat dim = patch(1.5, 0.6, 0.45);
        RednessResult a = measure(bright);
        RednessResult b = measure(dim);
        assertEquals(a.erythemaIndex(), b.erythemaIndex(), 1e-4);
        assertEquals(a.haemoglobinIndex(), b.haemoglobinIndex(), 1e-4);
        assertEquals(a.melaninIndex(), b.melaninIndex(), 1e-4);
        assertTrue(b.meanAStar() < a.meanAStar(), "a* is not a ratio: it falls with the light");
        bright.release();
        dim.release();
    }

    @Test
    void haemoglobinIndexTracksHaemoglobinAcrossSkinTypes() {
        for (int type = 1; type <= 6; type++) {
            double m = SkinOptics.melaninOf(type);
            Mat low = patch(m, 0.4, 1);
            Mat high = patch(m, 0.7, 1);
            double delta = measure(high).haemoglobinIndex() - measure(low).haemoglobinIndex();
            // The neutral surface reflection makes the model slightly non-linear on dark skin.
            assertEquals(0.3, delta, type >= 5 ? 0.12 : 0.05, "type " + type);
            low.release();
            high.release();
        }
    }

    @Test
    void redAreaCountsPixelsAboveTheThreshold() {
        Mat p = patch(0.5, 0.3, 1);
        double[] rgb = new double[3];
        SkinOptics.reflectance(0.5, 1.2, 0, rgb);
        p.submat(0, 200, 0, 50).setTo(new Scalar(rgb[2], rgb[1], rgb[0]));
        RednessResult r = measure(p);
        assertEquals(0.25, r.areaFraction(), 0.03);
        p.release();
    }
}
