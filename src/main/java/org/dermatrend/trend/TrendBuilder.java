package org.dermatrend.trend;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.wire.TrendInfo;

/**
 * Turns an area's sessions into a trend: per rated metric the series, change, slope with its 95 %
 * interval, minimal detectable change and a verdict.
 *
 * <p>Verdict rules, in order: fewer than three usable values → {@code insufficient-data}; a change
 * from baseline to latest within the metric's MDC95 → {@code stable}; a change beyond the MDC whose
 * slope's 95 % interval still includes zero, or points the other way, → {@code stable} (one session
 * off the line is not a trend); otherwise {@code improving} or {@code worsening} by the metric's
 * good direction. A change inside the MDC is never reported as improving.
 */
public final class TrendBuilder {
    /** A photo 1 to 3 days after a treatment shows the procedure's redness (72 hours, by date). */
    public static final int POST_TREATMENT_DAYS = 3;
    public static final int MIN_SESSIONS = 3;

    private final MdcRegistry mdc;

    public TrendBuilder(MdcRegistry mdc) {
        this.mdc = mdc;
    }

    /** A photo taken 1 to 3 days after any of the treatments (a photo on a treatment's own day counts as before it). */
    public static boolean postTreatment(LocalDate photoDate, List<LocalDate> treatments) {
        for (LocalDate t : treatments) {
            long days = ChronoUnit.DAYS.between(t, photoDate);
            if (days >= 1 && days <= POST_TREATMENT_DAYS) {
                return true;
            }
        }
        return false;
    }

    /**
     * A follow-up's values on the skin it shares with the baseline, anchored to the baseline's own
     * value: {@code baseline + (after − before)}, where {@code before} and {@code after} are both
     * measured on the shared skin. Region size then drops out of every change. Every rated metric is
     * non-negative, so an anchored value is clipped at 0. The wire form of a session's values is
     * {@link MetricKey#byJson} of this.
     */
    public static Map<MetricKey, Double> anchored(Map<MetricKey, Double> baselineOwn, Map<MetricKey, Double> before,
                                                  Map<MetricKey, Double> after) {
        Map<MetricKey, Double> out = new EnumMap<>(MetricKey.class);
        baselineOwn.forEach((k, b) -> {
            Double x = before.get(k);
            Double y = after.get(k);
            if (x != null && y != null) {
                out.put(k, round(Math.max(0, b + (y - x))));
            }
        });
        return out;
    }

    /**
     * @param sessions             in date order; the first usable one is the baseline
     * @param includePostTreatment keep redness of post-treatment photos in the series
     */
    public TrendInfo build(String patient, String area, String areaId, List<TrendInfo.Session> sessions,
                           boolean includePostTreatment, List<String> extraNotes) {
        List<TrendInfo.Session> usable = sessions.stream().filter(TrendInfo.Session::usable).toList();
        Map<String, TrendInfo.Metric> metrics = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>(extraNotes);
        boolean leftOutRedness = false;
        for (MetricKey m : MetricKey.rated()) {
            List<LocalDate> dates = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            List<LocalDate> leftOut = new ArrayList<>();
            List<SeriesStatistics.Point> points = new ArrayList<>();
            for (TrendInfo.Session s : usable) {
                Double v = s.values() == null ? null : s.values().get(m.json());
                if (v != null && m.isRedness() && s.postTreatment() && !includePostTreatment) {
                    leftOut.add(s.date());
                    leftOutRedness = true;
                    v = null;
                }
                dates.add(s.date());
                values.add(v);
                if (v != null) {
                    points.add(new SeriesStatistics.Point(s.date(), v));
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            metrics.put(m.json(), metric(m, dates, values, points, leftOut.isEmpty() ? null : leftOut));
        }
        if (usable.size() < MIN_SESSIONS) {
            notes.add("insufficient_data: " + usable.size() + " usable session" + (usable.size() == 1 ? "" : "s")
                    + "; a trend needs at least " + MIN_SESSIONS + ".");
        }
        long unusable = sessions.size() - usable.size();
        if (unusable > 0) {
            notes.add("sessions_left_out: " + unusable + " session" + (unusable == 1 ? " is" : "s are")
                    + " listed with the reason and left out of every series.");
        }
        if (leftOutRedness) {
            notes.add("post_treatment: photos taken 1 to 3 days after a treatment show the procedure's redness; their redness "
                    + "values are left out (leftOut lists them). Other metrics keep them.");
        }
        String aStar = MetricKey.REDNESS_MEAN_A_STAR.json();
        String erythema = MetricKey.REDNESS_ERYTHEMA_INDEX.json();
        List<TrendInfo.Session> withheld = usable.stream()
                .filter(x -> x.values() != null && x.values().containsKey(erythema) && !x.values().containsKey(aStar)).toList();
        boolean aStarSomewhere = usable.stream().anyMatch(x -> (x.values() != null && x.values().containsKey(aStar))
                || (x.qualityWarnings() != null && x.qualityWarnings().contains(QualityGate.A_STAR_WITHHELD)));
        if (!withheld.isEmpty() && aStarSomewhere) {
            notes.add("a_star_withheld: a* is missing from " + withheld.size() + " of " + usable.size() + " usable sessions ("
                    + withheld.stream().map(x -> x.date().toString()).collect(Collectors.joining(", ")) + "): the light varied by over "
                    + "60 % across the skin they share with the baseline (quality warning uneven_for_a_star), and a* follows the light."
                    + (withheld.get(0) == usable.get(0) ? " The baseline is one of them, so a* has no trend; the erythema and "
                    + "haemoglobin indices do not need even light." : ""));
        }
        notes.add("method: values are measured on the skin each photo shares with the baseline and anchored to the "
                + "baseline's own value; MDC95 = 1.96·√2·SEM from the repeatability study in docs/metrics.md §10.");
        TrendInfo.Session base = usable.isEmpty() ? null : usable.get(0);
        return new TrendInfo(patient, area, areaId, base == null ? null : base.date(), base == null ? null : base.photo(),
                sessions, metrics, notes);
    }

    private TrendInfo.Metric metric(MetricKey m, List<LocalDate> dates, List<Double> values,
                                    List<SeriesStatistics.Point> points, List<LocalDate> leftOut) {
        double baseline = points.get(0).value();
        double latest = points.get(points.size() - 1).value();
        double change = latest - baseline;
        Double percent = baseline == 0 ? null : round(100 * change / Math.abs(baseline));
        SeriesStatistics.Slope slope = SeriesStatistics.slope(points);
        Optional<Mdc> mdc95 = mdc.get(m);
        String verdict;
        String why;
        if (points.size() < MIN_SESSIONS) {
            verdict = "insufficient-data";
            why = points.size() + " value" + (points.size() == 1 ? "" : "s") + "; at least " + MIN_SESSIONS + " are needed.";
        } else if (mdc95.isEmpty()) {
            verdict = "insufficient-data";
            why = "no repeatability study of this metric, so no minimal detectable change to judge by.";
        } else if (Math.abs(change) <= mdc95.get().mdc95()) {
            verdict = "stable";
            why = String.format("the change %s is within the minimal detectable change ±%s.", fmt(change), fmt(mdc95.get().mdc95()));
        } else if (!slope.excludesZero() || Math.signum(slope.slopePer30Days()) != Math.signum(change)) {
            verdict = "stable";
            why = String.format("the change %s exceeds the minimal detectable change ±%s, but the sessions do not follow it "
                    + "(the slope's 95%% interval includes zero or points the other way).", fmt(change), fmt(mdc95.get().mdc95()));
        } else {
            boolean better = m.better() == MetricKey.Better.LOWER ? change < 0 : change > 0;
            verdict = better ? "improving" : "worsening";
            why = String.format("the change %s exceeds the minimal detectable change ±%s and the slope's 95%% interval "
                    + "excludes zero.", fmt(change), fmt(mdc95.get().mdc95()));
        }
        return new TrendInfo.Metric(m.label(), m.unit(), m.better().json(), dates, values, round(baseline),
                round(latest), round(change), percent, Double.isNaN(slope.slopePer30Days()) ? null : round(slope.slopePer30Days()),
                Double.isNaN(slope.ciLow()) ? null : new double[] {round(slope.ciLow()), round(slope.ciHigh())},
                mdc95.map(x -> round(x.mdc95())).orElse(null), verdict, why, leftOut);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    static double round(double v) {
        return Math.round(v * 1e5) / 1e5;
    }
}
