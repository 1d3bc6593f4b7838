package org.dermatrend.align;

import java.util.Arrays;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A plane projective transform, 3×3 row-major, mapping pixel (x, y) of one image to pixel
 * coordinates of another, origin at the centre of the top-left pixel, x to the right, y down. The
 * name of the variable that holds one says its direction ({@code afterToBefore}). Immutable.
 */
public final class Homography {
    private static final Homography IDENTITY = new Homography(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private final double[] h;

    private Homography(double[] h) {
        this.h = h;
    }

    /** @param rowMajor nine finite numbers; normalised so that the last is 1 when it is not 0 */
    public static Homography of(double... rowMajor) {
        if (rowMajor.length != 9) {
            throw new IllegalArgumentException("a homography has 9 entries, got " + rowMajor.length);
        }
        double[] h = rowMajor.clone();
        for (double v : h) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("homography entries must be finite: " + Arrays.toString(h));
            }
        }
        if (h[8] != 0) {
            double s = h[8];
            for (int i = 0; i < 9; i++) {
                h[i] /= s;
            }
        }
        return new Homography(h);
    }

    public static Homography identity() {
        return IDENTITY;
    }

    /** A 3×3 {@code CV_64F} Mat (or a 2×3 affine one, taken as its top two rows). */
    public static Homography of(Mat m) {
        if (m.cols() != 3 || (m.rows() != 3 && m.rows() != 2)) {
            throw new IllegalArgumentException("expected a 3x3 or 2x3 matrix, got " + m);
        }
        Mat d = new Mat();
        try {
            m.convertTo(d, CvType.CV_64F);
            double[] v = new double[9];
            double[] row = new double[3];
            for (int r = 0; r < m.rows(); r++) {
                d.get(r, 0, row);
                System.arraycopy(row, 0, v, 3 * r, 3);
            }
            if (m.rows() == 2) {
                v[8] = 1;
            }
            return of(v);
        } finally {
            d.release();
        }
    }

    /** Scaling between a full-resolution image and a resized copy: {@code x' = s·(x + ½) − ½}. */
    public static Homography resize(double sx, double sy) {
        return of(sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0, 1);
    }

    public static Homography translation(double dx, double dy) {
        return of(1, 0, dx, 0, 1, dy, 0, 0, 1);
    }

    /** The entries, row-major (a copy). */
    public double[] toArray() {
        return h.clone();
    }

    /** A new 3×3 {@code CV_64F} Mat; the caller owns it. */
    public Mat toMat() {
        Mat m = new Mat(3, 3, CvType.CV_64F);
        m.put(0, 0, h);
        return m;
    }

    /** A new 3×3 {@code CV_32F} Mat, the type {@code findTransformECC} works in; the caller owns it. */
    public Mat toMat32F() {
        Mat m = new Mat(3, 3, CvType.CV_32F);
        float[] f = new float[9];
        for (int i = 0; i < 9; i++) {
            f[i] = (float) h[i];
        }
        m.put(0, 0, f);
        return m;
    }

    /** {@code this ∘ first}: apply {@code first}, then this. */
    public Homography after(Homography first) {
        double[] a = h;
        double[] b = first.h;
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                c[3 * r + k] = a[3 * r] * b[k] + a[3 * r + 1] * b[3 + k] + a[3 * r + 2] * b[6 + k];
            }
        }
        return of(c);
    }

    /** @throws IllegalStateException when the transform is singular */
    public Homography inverse() {
        double[] m = h;
        double a = m[4] * m[8] - m[5] * m[7];
        double b = m[5] * m[6] - m[3] * m[8];
        double c = m[3] * m[7] - m[4] * m[6];
        double det = m[0] * a + m[1] * b + m[2] * c;
        if (Math.abs(det) < 1e-15) {
            throw new IllegalStateException("singular homography " + Arrays.toString(m));
        }
        return of(a / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
                b / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
                c / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det);
    }

    /** The image of point (x, y); NaNs when it maps to infinity. */
    public double[] apply(double x, double y) {
        double w = h[6] * x + h[7] * y + h[8];
        if (Math.abs(w) < 1e-12) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w};
    }

    /** The determinant of the Jacobian at (x, y): how many target pixels one source pixel covers there. */
    public double areaScaleAt(double x, double y) {
        double w = h[6] * x + h[7] * y + h[8];
        double[] p = apply(x, y);
        double j00 = (h[0] - h[6] * p[0]) / w;
        double j01 = (h[1] - h[7] * p[0]) / w;
        double j10 = (h[3] - h[6] * p[1]) / w;
        double j11 = (h[4] - h[7] * p[1]) / w;
        return j00 * j11 - j01 * j10;
    }

    /** The four corners of a {@code width × height} image, (0,0), (w−1,0), (w−1,h−1), (0,h−1), as x,y pairs. */
    public static double[][] corners(int width, int height) {
        return new double[][] {{0, 0}, {width - 1, 0}, {width - 1, height - 1}, {0, height - 1}};
    }

    /**
     * Mean distance between the corners of a {@code width × height} source image mapped by this and by
     * {@code other}, in target pixels: the corner error of the alignment targets.
     */
    public double cornerErrorPx(Homography other, int width, int height) {
        double sum = 0;
        for (double[] c : corners(width, height)) {
            double[] p = apply(c[0], c[1]);
            double[] q = other.apply(c[0], c[1]);
            sum += Math.hypot(p[0] - q[0], p[1] - q[1]);
        }
        return sum / 4;
    }

    /** Largest corner distance, as {@link #cornerErrorPx} but the maximum. */
    public double maxCornerDistancePx(Homography other, int width, int height) {
        double max = 0;
        for (double[] c : corners(width, height)) {
            double[] p = apply(c[0], c[1]);
            double[] q = other.apply(c[0], c[1]);
            max = Math.max(max, Math.hypot(p[0] - q[0], p[1] - q[1]));
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Homography other && Arrays.equals(h, other.h);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(h);
    }

    @Override
    public String toString() {
        return Arrays.toString(h);
    }
}
