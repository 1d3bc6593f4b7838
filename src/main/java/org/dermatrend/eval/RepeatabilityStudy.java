package org.dermatrend.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.dermatrend.analysis.SeriesMeasurer;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.TreatmentSeries;
import org.dermatrend.trend.Mdc;
import org.dermatrend.trend.MdcRegistry;
import org.dermatrend.trend.TrendBuilder;
import org.dermatrend.wire.TrendInfo;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The repeatability study behind every metric's minimal detectable change: unchanged skin
 * photographed again and again, measured exactly as a trend measures an area ({@link SeriesMeasurer}).
 * Two kinds of skin:
 * <ul>
 * <li>synthetic ({@link #run}): a {@link TreatmentSeries} with no treatment effect, each session a new
 * camera pose within ±3 % scale and ±25 px, light within ±8° azimuth and ±4° elevation, exposure ±6 %,
 * new sensor noise, JPEG q90, a grey card;</li>
 * <li>real ({@link #runReal}): real close-ups re-photographed by {@link RealRecapture} (±6°, ±5 % scale,
 * shift and tilt, ±10 % per channel and exposure, noise, JPEG 88–95, a grey card).</li>
 * </ul>
 * Per metric, SEM is the pooled within-skin standard deviation √(mean over skins of the sample
 * variance), and MDC95 = 1.96·√2·SEM. Each skin's sessions also go through {@link TrendBuilder} with
 * the registry given, to count the verdicts a clinic would have seen on skin that did not change.
 */
public final class RepeatabilityStudy {
    private final SeriesMeasurer measurer;
    private final MdcRegistry verdictRegistry;
    private final PhantomRenderer renderer = new PhantomRenderer();

    /** @param verdictRegistry the MDCs the verdicts on the unchanged skins are judged by (usually the shipped ones) */
    public RepeatabilityStudy(SeriesMeasurer measurer, MdcRegistry verdictRegistry) {
        this.measurer = measurer;
        this.verdictRegistry = verdictRegistry;
    }

    /**
     * The registry entries, what each skin's series looked like, and the verdicts on it.
     *
     * @param skinNames each skin's name, in the order of {@code values}' lists
     * @param values   per metric, per skin, the usable sessions' values
     * @param verdicts per verdict ({@code stable}, {@code improving}, …), how many of the skins × rated metrics got it
     */
    public record Result(Map<MetricKey, Mdc> mdc, int skins, int sessions, int unusableSessions, List<String> log,
                         List<String> skinNames, Map<MetricKey, List<List<Double>>> values, Map<String, Integer> verdicts) {
        /** Verdicts that claim a change ({@code improving}, {@code worsening}). */
        public int changeVerdicts() {
            return verdicts.getOrDefault("improving", 0) + verdicts.getOrDefault("worsening", 0);
        }

        public int totalVerdicts() {
            return verdicts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * @param firstSeed skins use seeds firstSeed, firstSeed + 1, …; skin types cycle I–VI
     */
    public Result run(long firstSeed, int skins, int sessions, int width, int height, double mmPerPx) {
        Accumulator acc = new Accumulator(sessions);
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
            acc.add("skin " + seed + " (type " + type + ")", measurer.measure(photos, null, List.of()));
        }
        return acc.result();
    }

    /**
     * Real skin: each photo re-photographed {@code sessions} times, 28 days apart.
     *
     * @param photos    real close-ups (any format OpenCV reads); each is one skin
     * @param firstSeed session j of photo i uses seed {@code firstSeed + 1000·i + j}
     * @param mmPerPx   the source photos' scale (the baseline's; follow-ups follow from the alignment)
     */
    public Result runReal(List<Path> photos, long firstSeed, int sessions, double mmPerPx, RealRecapture.Ranges ranges) {
        Accumulator acc = new Accumulator(sessions);
        RealRecapture recapture = new RealRecapture(ranges);
        for (int i = 0; i < photos.size(); i++) {
            Path path = photos.get(i);
            Mat source = Imgcodecs.imread(path.toString(), Imgcodecs.IMREAD_COLOR);
            try {
                if (source.empty()) {
                    throw new IllegalArgumentException("cannot read " + path + " as an image");
                }
                List<SeriesMeasurer.Photo> series = new ArrayList<>();
                for (int j = 0; j < sessions; j++) {
                    RealRecapture.Session s = recapture.session(source, firstSeed + 1000L * i + j, i % 4);
                    LocalDate date = LocalDate.of(2026, 1, 5).plusDays(28L * j);
                    series.add(new SeriesMeasurer.Photo(date, path.getFileName() + "-" + j, s.jpeg(), s.card(), mmPerPx));
                }
                acc.add(path.getFileName().toString(), measurer.measure(series, null, List.of()));
            } finally {
                source.release();
            }
        }
        return acc.result();
    }

    /** The real photos in {@code dir} whose shorter side is at least {@code minSize}, by name. */
    public static List<Path> realPhotos(Path dir, int minSize) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder of photos");
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!(n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".tif") || n.endsWith(".tiff"))) {
                    continue;
                }
                Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
                try {
                    if (!m.empty() && Math.min(m.cols(), m.rows()) >= minSize) {
                        out.add(p);
                    }
                } finally {
                    m.release();
                }
            }
        }
        return out;
    }

    private final class Accumulator {
        private final int sessions;
        private final Map<MetricKey, List<List<Double>>> perMetric = new LinkedHashMap<>();
        private final Map<String, Integer> verdicts = new LinkedHashMap<>();
        private final List<String> log = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private int skins;
        private int unusable;

        Accumulator(int sessions) {
            this.sessions = sessions;
        }

        void add(String name, List<TrendInfo.Session> measured) {
            skins++;
            names.add(name);
            for (TrendInfo.Session s : measured) {
                if (!s.usable()) {
                    unusable++;
                    log.add(name + " " + s.date() + ": not usable (" + s.reason() + ")");
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
            TrendInfo trend = new TrendBuilder(verdictRegistry).build(name, "area", null, measured, true, List.of());
            List<String> changed = new ArrayList<>();
            trend.metrics().forEach((key, metric) -> {
                verdicts.merge(metric.verdict(), 1, Integer::sum);
                if ("improving".equals(metric.verdict()) || "worsening".equals(metric.verdict())) {
                    changed.add(key + " " + metric.verdict());
                }
            });
            log.add(String.format("%s: %d of %d sessions usable%s", name,
                    measured.stream().filter(TrendInfo.Session::usable).count(), measured.size(),
                    changed.isEmpty() ? "" : "; verdicts on unchanged skin: " + String.join(", ", changed)));
        }

        Result result() {
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
            return new Result(out, skins, sessions, unusable, log, names, perMetric, verdicts);
        }
    }
}
