package org.dermatrend.cv;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * CIELAB (D65) of a linear-light image, computed with array operations and without clipping at
 * white: calibrated skin can be brighter than the reference white (a grey card in shade), and L*
 * then exceeds 100 with hue and chroma intact. OpenCV's own float conversion clips there.
 * Uses the cube-root branch of CIE's f(t) throughout; the linear branch only matters below L* ≈ 8.
 */
public final class LabImage {
    private LabImage() {
    }

    /**
     * @param linearBgr {@code CV_32FC3}, linear sRGB in B, G, R order
     * @return a new {@code CV_32FC3} Mat of L*, a*, b*, owned by the caller
     */
    public static Mat fromLinear(Mat linearBgr) {
        if (linearBgr.type() != CvType.CV_32FC3) {
            throw new IllegalArgumentException("expected CV_32FC3 linear BGR, got " + CvType.typeToString(linearBgr.type()));
        }
        try (MatScope scope = new MatScope()) {
            // Rows: X/Xn, Y/Yn, Z/Zn from B, G, R (sRGB primaries, D65 white).
            Mat m = scope.track(new Mat(3, 3, CvType.CV_32F));
            m.put(0, 0,
                    (float) (0.1804375 / 0.95047), (float) (0.3575761 / 0.95047), (float) (0.4124564 / 0.95047),
                    0.0721750f, 0.7151522f, 0.2126729f,
                    (float) (0.9503041 / 1.08883), (float) (0.1191920 / 1.08883), (float) (0.0193339 / 1.08883));
            Mat xyz = scope.mat();
            Core.transform(linearBgr, xyz, m);
            Core.max(xyz, new Scalar(1e-6, 1e-6, 1e-6), xyz);
            Core.pow(xyz, 1.0 / 3.0, xyz);
            List<Mat> f = new ArrayList<>();
            Core.split(xyz, f);
            f.forEach(scope::track);
            Mat l = scope.mat();
            Core.multiply(f.get(1), new Scalar(116), l);
            Core.subtract(l, new Scalar(16), l);
            Mat a = scope.mat();
            Core.subtract(f.get(0), f.get(1), a);
            Core.multiply(a, new Scalar(500), a);
            Mat b = scope.mat();
            Core.subtract(f.get(1), f.get(2), b);
            Core.multiply(b, new Scalar(200), b);
            Mat out = new Mat();
            Core.merge(List.of(l, a, b), out);
            return out;
        }
    }
}
