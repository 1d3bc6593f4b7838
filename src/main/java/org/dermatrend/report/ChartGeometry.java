package org.dermatrend.report;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dermatrend.wire.TrendInfo;

/**
 * Where a metric chart's marks go, in a {@value #W} × {@value #H} box: the points, the least-squares
 * line and its 95 % fan, the MDC band around the baseline, and the ticks. Shared by the HTML (SVG) and
 * the PDF so both draw the same chart.
 */
public record ChartGeometry(List<double[]> points, List<double[]> fit, List<double[]> fan, double[] mdcBand, List<Tick> yTicks,
                            List<Tick> xTicks) {
    public static final int W = 320;
    public static final int H = 180;
    public static final int L = 46;
    public static final int R = 10;
    public static final int T = 10;
    public static final int B = 24;

    public record Tick(double pos, String label) {
    }

    public static ChartGeometry of(TrendInfo.Metric m) {
        List<LocalDate> dates = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < m.dates().size(); i++) {
            if (m.values().get(i) != null) {
                dates.add(m.dates().get(i));
                values.add(m.values().get(i));
            }
        }
        LocalDate d0 = m.dates().get(0);
        long span = Math.max(1, ChronoUnit.DAYS.between(d0, m.dates().get(m.dates().size() - 1)));
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (m.mdc() != null && m.baseline() != null) {
            lo = Math.min(lo, m.baseline() - m.mdc());
            hi = Math.max(hi, m.baseline() + m.mdc());
        }
        double pad = (hi - lo) * 0.08 + 1e-9;
        double ylo = lo - pad;
        double yhi = hi + pad;
        Axis x = days -> L + (W - L - R) * days / (double) span;
        Axis y = v -> T + (H - T - B) * (1 - (v - ylo) / (yhi - ylo));
        List<double[]> pts = new ArrayList<>();
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < values.size(); i++) {
            long days = ChronoUnit.DAYS.between(d0, dates.get(i));
            pts.add(new double[] {x.at(days), y.at(values.get(i))});
            meanX += days;
            meanY += values.get(i);
        }
        List<double[]> fit = null;
        List<double[]> fan = null;
        if (m.slopePer30Days() != null && !values.isEmpty()) {
            meanX /= values.size();
            meanY /= values.size();
            double cx = meanX;
            double cy = meanY;
            java.util.function.BiFunction<Double, Double, double[]> at = (slope, days) ->
                    new double[] {x.at(days), y.at(clamp(cy + slope * (days - cx) / 30.0, ylo, yhi))};
            fit = List.of(at.apply(m.slopePer30Days(), 0.0), at.apply(m.slopePer30Days(), (double) span));
            if (m.slopeCi95() != null) {
                double a = m.slopeCi95()[0];
                double b = m.slopeCi95()[1];
                fan = List.of(at.apply(a, 0.0), at.apply(a, (double) span), at.apply(b, (double) span), at.apply(b, 0.0));
            }
        }
        double[] band = null;
        if (m.mdc() != null && m.baseline() != null) {
            double top = y.at(m.baseline() + m.mdc());
            double bottom = y.at(m.baseline() - m.mdc());
            band = new double[] {L, top, W - L - R, bottom - top};
        }
        List<Tick> yTicks = new ArrayList<>();
        for (int i = 0; i <= 3; i++) {
            double v = ylo + (yhi - ylo) * i / 3;
            yTicks.add(new Tick(y.at(v), ReportPage.num(v)));
        }
        List<Tick> xTicks = new ArrayList<>();
        for (LocalDate d : m.dates()) {
            xTicks.add(new Tick(x.at(ChronoUnit.DAYS.between(d0, d)), d.format(java.time.format.DateTimeFormatter.ofPattern("d MMM",
                    Locale.ENGLISH))));
        }
        return new ChartGeometry(pts, fit, fan, band, yTicks, xTicks);
    }

    private interface Axis {
        double at(double v);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
