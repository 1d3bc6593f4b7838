package org.dermatrend.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.dermatrend.cv.MatScope;
import org.dermatrend.measure.Scar;
import org.dermatrend.measure.ScarDetector;
import org.dermatrend.measure.ScarResult;
import org.dermatrend.relief.ReliefInput;
import org.dermatrend.synth.PhantomSpec;
import org.dermatrend.synth.PhantomTruth;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The scar-depth evidence: phantoms rendered with seeds the relief network never saw (training uses
 * seeds of a million and up), measured by a {@link ScarDetector}, compared with their truth.
 *
 * <ul>
 *   <li>{@code depth}: a series of phantoms whose scars all share one depth, 0.05–0.5 mm, under a
 *       random light (azimuth 0–360°, elevation 35–75°), skin type and camera;</li>
 *   <li>{@code scar-free}: pores only, every skin type;</li>
 *   <li>{@code light}: the same scarred skin under eight azimuths × three elevations (35, 55, 75°).</li>
 * </ul>
 * A detected scar matches the true scar whose centre lies inside it (within the circle of the
 * detection's area); each true scar is matched at most once.
 */
public final class ScarEvaluator {
    static final int WIDTH = 1000;
    static final int HEIGHT = 750;
    static final double MM_PER_PX = 0.025;

    /** The targets: median depth error (mm), Spearman, F1, false scars per 10 cm², light CV. */
    public static final double MAX_DEPTH_ERROR_MM = 0.05;
    public static final double MIN_SPEARMAN = 0.9;
    public static final double MIN_F1 = 0.85;
    public static final double MAX_FALSE_PER_10_CM2 = 1;
    public static final double MAX_LIGHT_CV = 0.10;

    private final ScarDetector detector;

    public ScarEvaluator(ScarDetector detector) {
        this.detector = detector;
    }

    /** The phantoms of the three suites; {@code reduced} plans a smaller set of each. */
    public static List<PhantomSuites.Planned> plan(long seedBase, boolean reduced) {
        return plan(seedBase, reduced, WIDTH, HEIGHT);
    }

    /**
     * As {@link #plan(long, boolean)} on phantoms of {@code width × height} pixels (the same scars on a larger
     * field of skin: a test of how the relief network's tiling treats photos larger than one tile).
     */
    public static List<PhantomSuites.Planned> plan(long seedBase, boolean reduced, int width, int height) {
        List<PhantomSuites.Planned> out = new ArrayList<>();
        int depths = reduced ? 4 : 10;
        int perDepth = reduced ? 1 : 2;
        for (int i = 0; i < depths; i++) {
            double depth = 0.05 + 0.45 * i / (depths - 1);
            for (int k = 0; k < perDepth; k++) {
                long seed = seedBase + 100 * i + k;
                SplittableRandom r = new SplittableRandom(seed);
                PhantomSpec spec = scarred(seed, r, width, height).scarDepthMm(depth, depth)
                        .lightAzimuthDeg(360 * r.nextDouble()).lightElevationDeg(35 + 40 * r.nextDouble()).build();
                out.add(new PhantomSuites.Planned("depth", "depth", String.format(Locale.ROOT, "depth-%03d-%d",
                        Math.round(depth * 1000), k), spec, null));
            }
        }
        int free = reduced ? 2 : 12;
        for (int i = 0; i < free; i++) {
            long seed = seedBase + 5000 + i;
            SplittableRandom r = new SplittableRandom(seed);
            PhantomSpec spec = camera(PhantomSpec.builder(), r).size(width, height).mmPerPx(MM_PER_PX).seed(seed)
                    .fitzpatrick(1 + i % 6).poresPerCm2(15 + 50 * r.nextDouble()).poreDiameterMm(0.06, 0.3 + 0.15 * r.nextDouble())
                    .poreDepthMm(0.03 + 0.08 * r.nextDouble()).pigmentSpots(r.nextInt(4))
                    .lightAzimuthDeg(360 * r.nextDouble()).lightElevationDeg(35 + 40 * r.nextDouble()).build();
            out.add(new PhantomSuites.Planned("scar-free", "scar-free", "free-" + i, spec, null));
        }
        int skins = reduced ? 1 : 2;
        int[] azimuths = reduced ? new int[] {30, 210} : new int[] {0, 45, 90, 135, 180, 225, 270, 315};
        int[] elevations = reduced ? new int[] {35, 75} : new int[] {35, 55, 75};
        for (int s = 0; s < skins; s++) {
            long seed = seedBase + 8000 + s;
            for (int az : azimuths) {
                for (int el : elevations) {
                    SplittableRandom r = new SplittableRandom(seed);
                    PhantomSpec spec = scarred(seed, r, width, height).scarDepthMm(0.1, 0.4).lightAzimuthDeg(az).lightElevationDeg(el)
                            .noiseSeed(az * 100L + el).build();
                    out.add(new PhantomSuites.Planned("light", "skin-" + s, String.format(Locale.ROOT, "light-%d-az%03d-el%02d",
                            s, az, el), spec, null));
                }
            }
        }
        return out;
    }

    private static PhantomSpec.Builder scarred(long seed, SplittableRandom r, int width, int height) {
        return camera(PhantomSpec.builder(), r).size(width, height).mmPerPx(MM_PER_PX).seed(seed)
                .fitzpatrick(1 + r.nextInt(6)).icepickScars(3).boxcarScars(2).rollingScars(1)
                .poresPerCm2(15 + 40 * r.nextDouble()).poreDiameterMm(0.06, 0.3).pigmentSpots(r.nextInt(3));
    }

    private static PhantomSpec.Builder camera(PhantomSpec.Builder b, SplittableRandom r) {
        double g = 0.9 + 0.2 * r.nextDouble();
        return b.haemoglobin(0.3 + 0.5 * r.nextDouble()).gains(g, 1, 2 - g).exposure(0.8 + 0.3 * r.nextDouble())
                .noise(0.003 + 0.005 * r.nextDouble()).blurSigmaPx(0.5 + 0.5 * r.nextDouble()).jpegQuality(85 + r.nextInt(11))
                .ambient(0.25 + 0.2 * r.nextDouble()).microReliefMm(0.004 + 0.006 * r.nextDouble());
    }

    /** One phantom's outcome. */
    public record CaseResult(EvalCase c, List<Scar> found, List<PhantomTruth.Scar> truth, int[] matchOfTruth) {
        double meanDepthFound() {
            return found.stream().mapToDouble(Scar::depthMm).average().orElse(0);
        }

        double meanDepthTrue() {
            return truth.stream().mapToDouble(PhantomTruth.Scar::depthMm).average().orElse(0);
        }

        /** Mean measured depth of the given true scars (indices into {@link #truth}; all must be matched). */
        double meanMeasuredDepth(List<Integer> scars) {
            return scars.stream().mapToDouble(t -> found.get(matchOfTruth[t]).depthMm()).average().orElse(Double.NaN);
        }

        /** Mean true depth of the given true scars. */
        double meanTrueDepth(List<Integer> scars) {
            return scars.stream().mapToDouble(t -> truth.get(t).depthMm()).average().orElse(Double.NaN);
        }
    }

    /** The figures the issue asks for, and the tables that show them. */
    public record Report(double depthMedianAbsErrorMm, int depthScars, double meanDepthSpearman, double f1, double precision,
                         double recall, double falsePer10Cm2, double lightCvMax, double lightCvReportedMax, double typeAccuracy,
                         Map<String, List<String>> tables) {

        /** Whether every target of the issue is met. */
        public boolean passed() {
            return depthMedianAbsErrorMm <= MAX_DEPTH_ERROR_MM && meanDepthSpearman >= MIN_SPEARMAN && f1 >= MIN_F1
                    && falsePer10Cm2 <= MAX_FALSE_PER_10_CM2 && lightCvMax <= MAX_LIGHT_CV;
        }
    }

    public CaseResult measure(EvalCase c) {
        try (MatScope scope = new MatScope()) {
            MatOfByte bytes = scope.track(new MatOfByte(c.image()));
            Mat bgr = scope.track(Imgcodecs.imdecode(bytes, Imgcodecs.IMREAD_COLOR));
            Mat linear = scope.track(ReliefInput.linear(bgr));
            Mat skin = scope.track(new Mat(bgr.size(), CvType.CV_8UC1, new Scalar(255)));
            try (ScarResult r = detector.detect(linear, skin, OptionalDouble.of(c.truth().mmPerPx()))) {
                List<PhantomTruth.Scar> truth = c.truth().scars();
                int[] match = new int[truth.size()];
                java.util.Arrays.fill(match, -1);
                boolean[] used = new boolean[r.scars().size()];
                double mm = c.truth().mmPerPx();
                for (int t = 0; t < truth.size(); t++) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int d = 0; d < r.scars().size(); d++) {
                        Scar s = r.scars().get(d);
                        double distMm = Math.hypot(s.xPx() - truth.get(t).xPx(), s.yPx() - truth.get(t).yPx()) * mm;
                        double radiusMm = Math.sqrt(s.areaMm2() / Math.PI);
                        if (!used[d] && distMm <= radiusMm && distMm < best) {
                            best = distMm;
                            match[t] = d;
                        }
                    }
                    if (match[t] >= 0) {
                        used[match[t]] = true;
                    }
                }
                return new CaseResult(c, r.scars(), truth, match);
            }
        }
    }

    public Report evaluate(List<EvalCase> cases) {
        List<CaseResult> results = cases.stream().map(this::measure).toList();
        Map<String, List<String>> tables = new LinkedHashMap<>();
        List<Double> errors = new ArrayList<>();
        List<Double> errorsMissedAsZero = new ArrayList<>();
        Map<String, List<Double>> errorsByType = new LinkedHashMap<>();
        int tp = 0;
        int fn = 0;
        int fp = 0;
        int typeRight = 0;
        double[] bins = {0.02, 0.05, 0.1, 0.2, 0.35, 0.61};
        int[] binTrue = new int[bins.length - 1];
        int[] binFound = new int[bins.length - 1];
        List<String> perCase = new ArrayList<>();
        perCase.add("| phantom | true scars | found | matched | true mean depth mm | found mean depth mm |");
        perCase.add("|---|---|---|---|---|---|");
        for (CaseResult r : results) {
            if (r.c().suite().equals("scar-free")) {
                continue;
            }
            int matched = 0;
            for (int t = 0; t < r.truth().size(); t++) {
                PhantomTruth.Scar truth = r.truth().get(t);
                for (int k = 0; k < binTrue.length; k++) {
                    if (truth.depthMm() >= bins[k] - 1e-9 && truth.depthMm() < bins[k + 1] - 1e-9) {
                        binTrue[k]++;
                        binFound[k] += r.matchOfTruth()[t] >= 0 ? 1 : 0;
                    }
                }
                boolean inRange = truth.depthMm() >= 0.05 - 1e-9 && truth.depthMm() <= 0.5 + 1e-9;
                if (r.matchOfTruth()[t] < 0) {
                    fn++;
                    if (inRange) {
                        errorsMissedAsZero.add(truth.depthMm());
                    }
                    continue;
                }
                matched++;
                tp++;
                Scar found = r.found().get(r.matchOfTruth()[t]);
                typeRight += found.type().equals(truth.type()) ? 1 : 0;
                if (truth.depthMm() >= 0.05 - 1e-9 && truth.depthMm() <= 0.5 + 1e-9) {
                    double e = Math.abs(found.depthMm() - truth.depthMm());
                    errors.add(e);
                    errorsMissedAsZero.add(e);
                    errorsByType.computeIfAbsent(truth.type(), k -> new ArrayList<>()).add(e);
                }
            }
            fp += r.found().size() - matched;
            perCase.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %.3f |", r.c().name(), r.truth().size(),
                    r.found().size(), matched, r.meanDepthTrue(), r.meanDepthFound()));
        }
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double medianError = errors.isEmpty() ? Double.NaN : Stats.median(Stats.toArray(errors));

        List<CaseResult> series = results.stream().filter(r -> r.c().suite().equals("depth")).toList();
        double spearman = series.size() < 2 ? Double.NaN : Stats.spearman(
                series.stream().mapToDouble(CaseResult::meanDepthTrue).toArray(),
                series.stream().mapToDouble(CaseResult::meanDepthFound).toArray());

        int falseScars = 0;
        double areaCm2 = 0;
        for (CaseResult r : results) {
            if (r.c().suite().equals("scar-free")) {
                falseScars += r.found().size();
                areaCm2 += r.c().truth().width() * r.c().truth().height() * Math.pow(r.c().truth().mmPerPx(), 2) / 100;
            }
        }
        double falsePer10 = areaCm2 > 0 ? falseScars / areaCm2 * 10 : Double.NaN;

        // The same scars under every light: the mean measured depth of the true scars (what the target
        // is about), and the score's own meanDepthMm, which also averages in whatever false scars a render had.
        // "The same scars" are those found under every light of that skin.
        Map<String, List<CaseResult>> lightGroups = new LinkedHashMap<>();
        for (CaseResult r : results) {
            if (r.c().suite().equals("light")) {
                lightGroups.computeIfAbsent(r.c().group(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<Double>> lightMeans = new LinkedHashMap<>();
        Map<String, List<Double>> lightReported = new LinkedHashMap<>();
        Map<String, List<Integer>> sameScars = new LinkedHashMap<>();
        Map<Double, List<Double>> ratios = new java.util.TreeMap<>();
        for (Map.Entry<String, List<CaseResult>> g : lightGroups.entrySet()) {
            List<Integer> always = new ArrayList<>();
            for (int t = 0; t < g.getValue().get(0).truth().size(); t++) {
                final int scar = t;
                if (g.getValue().stream().allMatch(r -> r.matchOfTruth()[scar] >= 0)) {
                    always.add(t);
                }
            }
            sameScars.put(g.getKey(), always);
            for (CaseResult r : g.getValue()) {
                lightMeans.computeIfAbsent(g.getKey(), k -> new ArrayList<>()).add(r.meanMeasuredDepth(always));
                lightReported.computeIfAbsent(g.getKey(), k -> new ArrayList<>()).add(r.meanDepthFound());
                ratios.computeIfAbsent(r.c().truth().light().elevationDeg(), k -> new ArrayList<>())
                        .add(r.meanMeasuredDepth(always) / r.meanTrueDepth(always));
            }
        }
        double lightCv = Double.NaN;
        double lightCvReported = Double.NaN;
        List<String> light = new ArrayList<>();
        light.add("| skin | renders | scars found under every light | their true mean depth mm | measured mean | CV | score's meanDepthMm (all scars found, false ones included) | CV |");
        light.add("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Double>> e : lightMeans.entrySet()) {
            double[] v = Stats.toArray(e.getValue());
            double[] rep = Stats.toArray(lightReported.get(e.getKey()));
            double cv = Stats.cv(v);
            double cvRep = Stats.cv(rep);
            lightCv = Double.isNaN(lightCv) ? cv : Math.max(lightCv, cv);
            lightCvReported = Double.isNaN(lightCvReported) ? cvRep : Math.max(lightCvReported, cvRep);
            CaseResult first = lightGroups.get(e.getKey()).get(0);
            List<Integer> always = sameScars.get(e.getKey());
            light.add(String.format(Locale.ROOT, "| %s | %d | %d of %d | %.3f | %.3f | %.1f %% | %.3f | %.1f %% |", e.getKey(),
                    v.length, always.size(), first.truth().size(), first.meanTrueDepth(always), Stats.mean(v),
                    100 * cv, Stats.mean(rep), 100 * cvRep));
        }
        List<String> byElevation = new ArrayList<>();
        byElevation.add("| elevation | renders | measured / true mean depth of the same scars |");
        byElevation.add("|---|---|---|");
        ratios.forEach((el, v) -> byElevation.add(String.format(Locale.ROOT, "| %.0f° | %d | %.3f |", el, v.size(),
                Stats.mean(Stats.toArray(v)))));

        List<String> summary = new ArrayList<>();
        summary.add("| figure | value | target |");
        summary.add("|---|---|---|");
        summary.add(row("median abs depth error, scars 0.05-0.5 mm (n=" + errors.size() + ")", medianError, "mm", "<= " + MAX_DEPTH_ERROR_MM,
                medianError <= MAX_DEPTH_ERROR_MM));
        summary.add(String.format(Locale.ROOT, "| ... counting each missed scar as answered 0 mm (n=%d) | %.3f mm | |",
                errorsMissedAsZero.size(), errorsMissedAsZero.isEmpty() ? Double.NaN : Stats.median(Stats.toArray(errorsMissedAsZero))));
        for (Map.Entry<String, List<Double>> e : errorsByType.entrySet()) {
            double m = Stats.median(Stats.toArray(e.getValue()));
            summary.add(String.format(Locale.ROOT, "| ... %s (n=%d) | %.3f mm | |", e.getKey(), e.getValue().size(), m));
        }
        summary.add(row("Spearman, per-image mean depth vs truth (n=" + series.size() + ")", spearman, "", ">= " + MIN_SPEARMAN,
                spearman >= MIN_SPEARMAN));
        summary.add(String.format(Locale.ROOT, "| detection F1 (precision %.3f, recall %.3f; tp %d fp %d fn %d) | %.3f | >= %.2f %s |",
                precision, recall, tp, fp, fn, f1, MIN_F1, f1 >= MIN_F1 ? "met" : "MISSED"));
        summary.add(row(String.format(Locale.ROOT, "false scars per 10 cm2 on scar-free skin (%d in %.1f cm2)", falseScars, areaCm2),
                falsePer10, "", "<= " + (int) MAX_FALSE_PER_10_CM2, falsePer10 <= MAX_FALSE_PER_10_CM2));
        summary.add(row("light direction: CV of the mean depth of the same scars (found under every light; worst skin)", 100 * lightCv, "%", "<= " + (int) (100 * MAX_LIGHT_CV),
                lightCv <= MAX_LIGHT_CV));
        summary.add(String.format(Locale.ROOT, "| ... CV of the score's meanDepthMm, false scars included (worst skin) | %.3f %% | |",
                100 * lightCvReported));
        summary.add(String.format(Locale.ROOT, "| type right among matched | %.1f %% | |", tp == 0 ? 0 : 100.0 * typeRight / tp));
        tables.put("summary", summary);
        List<String> recallTable = new ArrayList<>();
        recallTable.add("| true depth mm | scars | found | recall |");
        recallTable.add("|---|---|---|---|");
        for (int k = 0; k < binTrue.length; k++) {
            if (binTrue[k] > 0) {
                recallTable.add(String.format(Locale.ROOT, "| %.2f-%.2f | %d | %d | %.2f |", bins[k], bins[k + 1] - 0.01,
                        binTrue[k], binFound[k], binFound[k] / (double) binTrue[k]));
            }
        }
        tables.put("recall by depth", recallTable);
        tables.put("light", light);
        tables.put("light by elevation", byElevation);
        tables.put("phantoms", perCase);
        return new Report(medianError, errors.size(), spearman, f1, precision, recall, falsePer10, lightCv, lightCvReported,
                tp == 0 ? 0 : typeRight / (double) tp, tables);
    }

    private static String row(String what, double v, String unit, String target, boolean met) {
        return String.format(Locale.ROOT, "| %s | %.3f %s | %s %s |", what, v, unit, target, met ? "met" : "MISSED");
    }
}
