package org.dermatrend.trend;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Least-squares slope of a metric over time, with its 95 % confidence interval (Student's t on
 * n − 2 degrees of freedom).
 */
public final class SeriesStatistics {
    /** Two-sided 97.5 % quantiles of Student's t for 1 … 30 degrees of freedom; 1.96 beyond. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    private SeriesStatistics() {
    }

    public record Point(LocalDate date, double value) {
    }

    /**
     * @param slopePer30Days change per 30 days
     * @param ciLow          lower end of the 95 % interval (NaN with fewer than 3 points)
     * @param ciHigh         upper end
     */
    public record Slope(double slopePer30Days, double ciLow, double ciHigh) {
        public boolean excludesZero() {
            return !Double.isNaN(ciLow) && (ciLow > 0 || ciHigh < 0);
        }
    }

    static double t975(int df) {
        return df < 1 ? Double.NaN : df <= T975.length ? T975[df - 1] : 1.96;
    }

    /** The slope; NaN with fewer than 2 points or all on one day. */
    public static Slope slope(List<Point> points) {
        int n = points.size();
        if (n < 2) {
            return new Slope(Double.NaN, Double.NaN, Double.NaN);
        }
        LocalDate t0 = points.get(0).date();
        double sx = 0;
        double sy = 0;
        for (Point p : points) {
            sx += ChronoUnit.DAYS.between(t0, p.date()) / 30.0;
            sy += p.value();
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        for (Point p : points) {
            double x = ChronoUnit.DAYS.between(t0, p.date()) / 30.0 - mx;
            sxx += x * x;
            sxy += x * (p.value() - my);
        }
        if (sxx == 0) {
            return new Slope(Double.NaN, Double.NaN, Double.NaN);
        }
        double b = sxy / sxx;
        if (n < 3) {
            return new Slope(b, Double.NaN, Double.NaN);
        }
        double a = my - b * mx;
        double sse = 0;
        for (Point p : points) {
            double x = ChronoUnit.DAYS.between(t0, p.date()) / 30.0;
            double r = p.value() - (a + b * x);
            sse += r * r;
        }
        double se = Math.sqrt(sse / (n - 2) / sxx);
        double half = t975(n - 2) * se;
        return new Slope(b, b - half, b + half);
    }
}
