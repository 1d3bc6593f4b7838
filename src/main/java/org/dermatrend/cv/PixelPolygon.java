package org.dermatrend.cv;

import java.util.Arrays;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * A simple polygon in pixels of the upright image (x right, y down, origin at the centre of the
 * top-left pixel), e.g. the region two aligned photos both show. Immutable.
 *
 * @param points the vertices in order, each {x, y}; at least three
 */
public record PixelPolygon(double[][] points) {
    /** Sub-pixel bits used when rasterising (OpenCV's fixed-point {@code shift}). */
    private static final int SHIFT = 4;

    public PixelPolygon {
        if (points.length < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 vertices, got " + points.length);
        }
        points = Arrays.stream(points).map(p -> {
            if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                throw new IllegalArgumentException("polygon vertices must be finite {x, y} pairs");
            }
            return p.clone();
        }).toArray(double[][]::new);
    }

    /** Area in square pixels. */
    public double areaPx() {
        double s = 0;
        for (int i = 0; i < points.length; i++) {
            double[] a = points[i];
            double[] b = points[(i + 1) % points.length];
            s += a[0] * b[1] - b[0] * a[1];
        }
        return Math.abs(s / 2);
    }

    /** A new {@code CV_8UC1} mask of {@code rows × cols}, 255 inside the polygon; the caller owns it. */
    public Mat toMask(int rows, int cols) {
        Mat mask = Mat.zeros(rows, cols, org.opencv.core.CvType.CV_8UC1);
        Point[] pts = new Point[points.length];
        double f = 1 << SHIFT;
        for (int i = 0; i < points.length; i++) {
            pts[i] = new Point(Math.round(points[i][0] * f), Math.round(points[i][1] * f));
        }
        MatOfPoint poly = new MatOfPoint(pts);
        try {
            Imgproc.fillPoly(mask, java.util.List.of(poly), new Scalar(255), Imgproc.LINE_8, SHIFT, new Point());
        } finally {
            poly.release();
        }
        return mask;
    }

    /** The vertices, rounded to 0.01 px, for JSON. */
    public double[][] rounded() {
        return Arrays.stream(points).map(p -> new double[] {Math.round(p[0] * 100) / 100.0, Math.round(p[1] * 100) / 100.0})
                .toArray(double[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelPolygon other && Arrays.deepEquals(points, other.points);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(points);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(points);
    }
}
