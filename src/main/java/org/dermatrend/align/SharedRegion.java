package org.dermatrend.align;

import java.util.ArrayList;
import java.util.List;

/**
 * Convex polygons in pixel coordinates (x, y pairs, counter-clockwise on screen = clockwise in maths
 * since y points down; either orientation is accepted): the region two aligned photos both show.
 */
public final class SharedRegion {
    private SharedRegion() {
    }

    /** The rectangle with corners (x0, y0) and (x1, y1), as a polygon. */
    public static double[][] rectangle(double x0, double y0, double x1, double y1) {
        return new double[][] {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    }

    /** The frame of a {@code width × height} image mapped by {@code transform}. */
    public static double[][] mappedFrame(Homography transform, int width, int height) {
        return map(transform, rectangle(0, 0, width - 1, height - 1));
    }

    public static double[][] map(Homography transform, double[][] polygon) {
        double[][] out = new double[polygon.length][];
        for (int i = 0; i < polygon.length; i++) {
            out[i] = transform.apply(polygon[i][0], polygon[i][1]);
        }
        return out;
    }

    /** Intersection of convex {@code subject} with convex {@code clip} (Sutherland–Hodgman); may be empty. */
    public static double[][] intersect(double[][] subject, double[][] clip) {
        double sense = Math.signum(signedArea(clip));
        List<double[]> out = new ArrayList<>(List.of(subject));
        for (int i = 0; i < clip.length && !out.isEmpty(); i++) {
            double[] a = clip[i];
            double[] b = clip[(i + 1) % clip.length];
            List<double[]> in = out;
            out = new ArrayList<>();
            for (int j = 0; j < in.size(); j++) {
                double[] p = in.get(j);
                double[] q = in.get((j + 1) % in.size());
                boolean pIn = sense * side(a, b, p) >= 0;
                boolean qIn = sense * side(a, b, q) >= 0;
                if (pIn) {
                    out.add(p);
                }
                if (pIn != qIn) {
                    out.add(crossing(a, b, p, q));
                }
            }
        }
        return out.toArray(new double[0][]);
    }

    /** Area of a simple polygon (absolute value). */
    public static double area(double[][] polygon) {
        return Math.abs(signedArea(polygon));
    }

    private static double signedArea(double[][] p) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double[] a = p[i];
            double[] b = p[(i + 1) % p.length];
            s += a[0] * b[1] - b[0] * a[1];
        }
        return s / 2;
    }

    private static double side(double[] a, double[] b, double[] p) {
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    }

    private static double[] crossing(double[] a, double[] b, double[] p, double[] q) {
        double sp = side(a, b, p);
        double sq = side(a, b, q);
        double t = sp / (sp - sq);
        return new double[] {p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])};
    }
}
