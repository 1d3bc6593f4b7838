package org.dermatrend.eval;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.TreatmentSeries;
import org.dermatrend.trend.Mdc;
import org.dermatrend.analysis.SeriesMeasurer;
import org.dermatrend.wire.TrendInfo;

/**
 * The repeatability study behind every metric's minimal detectable change: unchanged skin
 * photographed again and again (a {@link TreatmentSeries} with no treatment effect: each session a new
 * camera pose within ±3 % scale and ±25 px, light within ±8° azimuth and ±4° elevation, exposure
 * ±6 %, new sensor noise, JPEG q90, a grey card), measured exactly as a trend measures an area
 * ({@link SeriesMeasurer}). Per metric, SEM is the pooled within-skin standard deviation
 * √(mean over skins of the sample variance), and MDC95 = 1.96·√2·SEM.
 */
public final class RepeatabilityStudy {
    private final SeriesMeasurer measurer;
    private final PhantomRenderer renderer = new PhantomRenderer();

    public RepeatabilityStudy(SeriesMeasurer measurer) {
        this.measurer = measurer;
    }

    /** The registry entries and what each skin's series looked like. */
    public record Result(Map<MetricKey, Mdc> mdc, int skins, int sessions, int unusableSessions, List<String> log) {
    }

    /**
     * @param firstSeed skins use seeds firstSeed, firstSeed + 1, …; skin types cycle I–VI
     */
    public Result run(long firstSeed, int skins, int sessions, int width, int height, double mmPerPx) {
        Map<MetricKey, List<List<Double>>> perMetric = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        int unusable = 0;
        for (int i = 0; i < skins; i++) {
            long seed = firstSeed + i;
            int type = 1 + i % 6;
            List<SeriesMeasurer.Photo> photos = new ArrayList<>();
            for (TreatmentSeries.Session s : TreatmentSeries.sessions(seed, sessions, width, height, mmPerPx,
                    LocalDate.of(2026, 1, 5), 0, type)) {
                try (Phantom p = renderer.render(s.spec())) {
                    int[] card = TreatmentSeries.cardRect(p.truth().grayCard(), width, height);
                    photos.add(new SeriesMeasurer.Photo(s.date(), "skin" + seed + "-" + s.date(), p.encoded(),
                            card == null ? null : new PixelRect(card[0], card[1], card[2], card[3]), mmPerPx));
                }
            }
            List<TrendInfo.Session> measured = measurer.measure(photos, null, List.of());
            for (TrendInfo.Session s : measured) {
                if (!s.usable()) {
                    unusable++;
                    log.add("skin " + seed + " (type " + type + ") " + s.date() + ": not usable (" + s.reason() + ")");
                }
            }
            for (MetricKey m : MetricKey.rated()) {
                List<Double> values = new ArrayList<>();
                for (TrendInfo.Session s : measured) {
                    if (s.usable() && s.values().get(m.json()) != null) {
                        values.add(s.values().get(m.json()));
                    }
                }
                perMetric.computeIfAbsent(m, k -> new ArrayList<>()).add(values);
            }
            log.add(String.format("skin %d (type %d): %d of %d sessions usable", seed, type,
                    measured.stream().filter(TrendInfo.Session::usable).count(), measured.size()));
        }
        Map<MetricKey, Mdc> out = new LinkedHashMap<>();
        perMetric.forEach((key, series) -> {
            double sumVar = 0;
            int n = 0;
            for (List<Double> v : series) {
                if (v.size() < 2) {
                    continue;
                }
                double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
                sumVar += ss / (v.size() - 1);
                n++;
            }
            if (n > 0) {
                out.put(key, Mdc.ofSem(key, Math.sqrt(sumVar / n), n, sessions));
            }
        });
        return new Result(out, skins, sessions, unusable, log);
    }
}
