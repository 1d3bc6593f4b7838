package org.dermatrend.cv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class LabImageTest {
    @Test
    void matchesTheScalarFormulaIncludingAboveWhite() {
        OpenCvNatives.load();
        double[][] rgb = {{0.18, 0.18, 0.18}, {0.6, 0.4, 0.3}, {0.05, 0.03, 0.02}, {1.8, 1.5, 1.2}};
        for (double[] c : rgb) {
            Mat m = new Mat(2, 2, CvType.CV_32FC3, new Scalar(c[2], c[1], c[0]));
            Mat lab = LabImage.fromLinear(m);
            double[] got = lab.get(1, 1);
            double[] want = ColorMath.linearRgbToLab(c[0], c[1], c[2]);
            for (int k = 0; k < 3; k++) {
                assertEquals(want[k], got[k], 0.02, "channel " + k + " of " + java.util.Arrays.toString(c));
            }
            m.release();
            lab.release();
        }
    }
}
