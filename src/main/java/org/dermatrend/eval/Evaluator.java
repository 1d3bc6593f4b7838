package org.dermatrend.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.analysis.Services;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.Pore;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.synth.PhantomTruth;

/**
 * Scores evaluation cases through the same path as a client's upload (intake from the file's bytes,
 * then {@code score}) and compares with the truth. Produces the tables and the target verdicts of
 * docs/metrics.md.
 */
public final class Evaluator {
    private final Services services;

    public Evaluator(Services services) {
        this.services = services;
    }

    /** One case's measurements beside its truth. */
    public record Measured(EvalCase source, int truthPores, double pores, double truthMeanDiameterMm, double meanDiameterMm,
                           List<double[]> diameterPairsMm, double erythemaIndex, double meanAStar, double haemoglobinIndex,
                           double redArea, double truthHaemoglobin, boolean qualityOk, String cardSource) {

        double countError() {
            return (pores - truthPores) / (double) truthPores;
        }

        double diameterMedianAbsError() {
            return Stats.median(diameterPairsMm.stream().mapToDouble(p -> Math.abs(p[1] - p[0]) / p[0]).toArray());
        }
    }

    /** A target of the issue, its measured value and whether it holds. */
    public record Target(String name, double value, String comparison, double limit, boolean passed) {
        static Target atMost(String name, double value, double limit) {
            return new Target(name, value, "<=", limit, value <= limit);
        }

        static Target atLeast(String name, double value, double limit) {
            return new Target(name, value, ">=", limit, value >= limit);
        }

        static Target below(String name, double value, double limit) {
            return new Target(name, value, "<", limit, value < limit);
        }
    }

    /** The evaluation's result: per-case rows, tables as text, and the targets. */
    public record Report(List<Measured> cases, Map<String, List<String>> tables, List<Target> targets) {
        public boolean passed() {
            return targets.stream().allMatch(Target::passed);
        }
    }

    public Measured measure(EvalCase c) {
        PhantomTruth t = c.truth();
        PhotoContext context = new PhotoContext(OptionalDouble.of(t.mmPerPx()),
                Optional.ofNullable(t.grayCard()).map(g -> new PixelRect(g.x(), g.y(), g.width(), g.height())),
                Optional.ofNullable(c.roi()));
        DecodeResult r = services.decoder().decode(c.image());
        if (r.isRefused()) {
            throw new IllegalStateException(c.name() + " was refused: " + r.refusal());
        }
        try (DecodedPhoto photo = r.photo(); SkinScore score = services.scorer().score(photo, context)) {
            List<PhantomTruth.Pore> visible = visiblePores(t, c.roi());
            List<Pore> found = score.pores().pores();
            List<double[]> pairs = new ArrayList<>();
            for (PhantomTruth.Pore tp : visible) {
                double radiusPx = tp.diameterMm() / 2 / t.mmPerPx();
                Pore best = null;
                double bestDist = Double.MAX_VALUE;
                for (Pore p : found) {
                    double d = Math.hypot(p.xPx() - tp.xPx(), p.yPx() - tp.yPx());
                    if (d < bestDist) {
                        bestDist = d;
                        best = p;
                    }
                }
                if (best != null && bestDist <= radiusPx + 1) {
                    pairs.add(new double[] {tp.diameterMm(), best.diameterPx() * t.mmPerPx()});
                }
            }
            double truthMean = visible.stream().mapToDouble(PhantomTruth.Pore::diameterMm).average().orElse(Double.NaN);
            // What the score reports: pores counted and averaged by their weight.
            double measuredMean = score.pores().meanDiameterPx() * t.mmPerPx();
            return new Measured(c, visible.size(), score.pores().weightedCount(), truthMean, measuredMean, pairs,
                    score.redness().erythemaIndex(), score.redness().meanAStar(), score.redness().haemoglobinIndex(),
                    score.redness().areaFraction(), t.pigments().haemoglobinMean(), score.quality().ok(),
                    score.prepared().calibration().cardSource());
        }
    }

    /** Truth pores that can be seen: not under a hair strand, and inside the ROI when there is one. */
    static List<PhantomTruth.Pore> visiblePores(PhantomTruth t, PixelRect roi) {
        List<PhantomTruth.Pore> out = new ArrayList<>();
        for (PhantomTruth.Pore p : t.pores()) {
            if (roi != null && (p.xPx() < roi.x() || p.yPx() < roi.y() || p.xPx() >= roi.x() + roi.width()
                    || p.yPx() >= roi.y() + roi.height())) {
                continue;
            }
            boolean hidden = false;
            for (PhantomTruth.Hair h : t.hairs()) {
                double reach = (h.widthMm() + p.diameterMm()) / 2 / t.mmPerPx() + 1;
                for (int i = 1; i < h.pointsPx().size() && !hidden; i++) {
                    hidden = segmentDistance(p.xPx(), p.yPx(), h.pointsPx().get(i - 1), h.pointsPx().get(i)) < reach;
                }
            }
            if (!hidden) {
                out.add(p);
            }
        }
        return out;
    }

    private static double segmentDistance(double x, double y, double[] a, double[] b) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
        return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
    }

    /** Scores every case and checks the targets of the metrics issue. */
    public Report evaluate(List<EvalCase> cases) {
        List<Measured> all = new ArrayList<>();
        for (EvalCase c : cases) {
            all.add(measure(c));
        }
        Map<String, List<String>> tables = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();

        List<Measured> pores = bySuite(all, "pores");
        List<Measured> tones = bySuite(all, "tones");
        List<Measured> poreAndTone = new ArrayList<>(pores);
        poreAndTone.addAll(tones);
        if (!pores.isEmpty()) {
            List<String> rows = new ArrayList<>();
            rows.add("| phantom | type | truth pores | found | count error | truth mean d (mm) | found mean d (mm) | median abs d error |");
            rows.add("|---|---|---|---|---|---|---|---|");
            for (Measured m : pores) {
                rows.add(String.format("| %s | %d | %d | %.1f | %+.1f%% | %.4f | %.4f | %.1f%% |", m.source().name(),
                        m.source().truth().fitzpatrick(), m.truthPores(), m.pores(), 100 * m.countError(),
                        m.truthMeanDiameterMm(), m.meanDiameterMm(), 100 * m.diameterMedianAbsError()));
            }
            tables.put("pores", rows);
            targets.add(Target.atMost("pore count: median absolute error (pores suite)",
                    Stats.median(pores.stream().mapToDouble(m -> Math.abs(m.countError())).toArray()), 0.10));
            List<double[]> pairs = new ArrayList<>();
            poreAndTone.forEach(m -> pairs.addAll(m.diameterPairsMm()));
            double[] truthD = pairs.stream().mapToDouble(p -> p[0]).toArray();
            double[] measD = pairs.stream().mapToDouble(p -> p[1]).toArray();
            targets.add(Target.atLeast("pore diameter: Spearman vs truth, 0.10-0.30 mm (" + pairs.size() + " matched pores)",
                    Stats.spearman(truthD, measD), 0.95));
            targets.add(Target.atMost("pore diameter: median absolute error",
                    Stats.median(pairs.stream().mapToDouble(p -> Math.abs(p[1] - p[0]) / p[0]).toArray()), 0.15));
        }
        if (!tones.isEmpty()) {
            List<String> rows = new ArrayList<>();
            rows.add("| Fitzpatrick | ITA (deg) | truth pores | found | count error | median abs d error | erythema index | haemoglobin index |");
            rows.add("|---|---|---|---|---|---|---|---|");
            for (Measured m : tones) {
                rows.add(String.format("| %d | %.1f | %d | %.1f | %+.1f%% | %.1f%% | %.2f | %.3f |", m.source().truth().fitzpatrick(),
                        m.source().truth().pigments().itaDegrees(), m.truthPores(), m.pores(), 100 * m.countError(),
                        100 * m.diameterMedianAbsError(), m.erythemaIndex(), m.haemoglobinIndex()));
                targets.add(Target.atMost("pore count error, Fitzpatrick " + m.source().truth().fitzpatrick(),
                        Math.abs(m.countError()), 0.10));
                targets.add(Target.atMost("pore diameter median abs error, Fitzpatrick " + m.source().truth().fitzpatrick(),
                        m.diameterMedianAbsError(), 0.15));
            }
            tables.put("tones", rows);
        }
        List<Measured> redness = bySuite(all, "redness");
        double quarterStep = Double.NaN;
        if (!redness.isEmpty()) {
            List<String> rows = new ArrayList<>();
            rows.add("| step | truth mean haemoglobin | erythema index | a* | haemoglobin index | red area |");
            rows.add("|---|---|---|---|---|---|");
            for (Measured m : redness) {
                rows.add(String.format("| %s | %.4f | %.3f | %.3f | %.4f | %.4f |", m.source().name(), m.truthHaemoglobin(),
                        m.erythemaIndex(), m.meanAStar(), m.haemoglobinIndex(), m.redArea()));
            }
            tables.put("redness", rows);
            double[] hb = redness.stream().mapToDouble(Measured::truthHaemoglobin).toArray();
            targets.add(Target.atLeast("erythema index: Spearman vs mean haemoglobin (6 steps)",
                    Stats.spearman(hb, redness.stream().mapToDouble(Measured::erythemaIndex).toArray()), 0.95));
            double[] ei = redness.stream().mapToDouble(Measured::erythemaIndex).toArray();
            double smallestStep = Double.MAX_VALUE;
            for (int i = 1; i < ei.length; i++) {
                smallestStep = Math.min(smallestStep, Math.abs(ei[i] - ei[i - 1]));
            }
            quarterStep = smallestStep / 4;
        }
        Map<String, List<Measured>> lightingGroups = new LinkedHashMap<>();
        bySuite(all, "lighting").forEach(m -> lightingGroups.computeIfAbsent(m.source().group(), k -> new ArrayList<>()).add(m));
        if (!lightingGroups.isEmpty() && !Double.isNaN(quarterStep)) {
            List<String> rows = new ArrayList<>();
            rows.add("| render | gains R,G,B | exposure | card read from | erythema index | change vs neutral |");
            rows.add("|---|---|---|---|---|---|");
            for (Map.Entry<String, List<Measured>> g : lightingGroups.entrySet()) {
                Measured reference = g.getValue().stream().filter(Evaluator::neutral).findFirst().orElseThrow();
                double maxShift = 0;
                for (Measured m : g.getValue()) {
                    PhantomTruth.Camera cam = m.source().truth().camera();
                    double shift = m.erythemaIndex() - reference.erythemaIndex();
                    maxShift = Math.max(maxShift, Math.abs(shift));
                    rows.add(String.format("| %s | %.2f, %.2f, %.2f | %.2f | %s | %.3f | %+.3f |", m.source().name(), cam.gainR(),
                            cam.gainG(), cam.gainB(), cam.exposure(), m.cardSource(), m.erythemaIndex(), shift));
                }
                targets.add(Target.below("erythema index: largest change under casts and exposures, grey card (" + g.getKey() + ")",
                        maxShift, quarterStep));
            }
            rows.add(String.format("Quarter of the smallest step between adjacent haemoglobin levels: %.3f", quarterStep));
            tables.put("lighting", rows);
        }
        Map<String, List<Measured>> groups = new LinkedHashMap<>();
        bySuite(all, "repeatability").forEach(m -> groups.computeIfAbsent(m.source().group(), k -> new ArrayList<>()).add(m));
        if (!groups.isEmpty()) {
            List<String> rows = new ArrayList<>();
            rows.add("| skin | render | truth pores in region | found | mean d (mm) | erythema index |");
            rows.add("|---|---|---|---|---|---|");
            for (Map.Entry<String, List<Measured>> g : groups.entrySet()) {
                for (Measured m : g.getValue()) {
                    rows.add(String.format("| %s | %s | %d | %.1f | %.4f | %.3f |", g.getKey(), m.source().name(), m.truthPores(),
                            m.pores(), m.meanDiameterMm(), m.erythemaIndex()));
                }
                double[] count = g.getValue().stream().mapToDouble(Measured::pores).toArray();
                double[] d = g.getValue().stream().mapToDouble(Measured::meanDiameterMm).toArray();
                double[] e = g.getValue().stream().mapToDouble(Measured::erythemaIndex).toArray();
                rows.add(String.format("| %s | CV | | %.2f%% | %.2f%% | %.2f%% |", g.getKey(), 100 * Stats.cv(count), 100 * Stats.cv(d),
                        100 * Stats.cv(e)));
                targets.add(Target.atMost("repeatability " + g.getKey() + ": CV of pore count", Stats.cv(count), 0.03));
                targets.add(Target.atMost("repeatability " + g.getKey() + ": CV of mean pore diameter", Stats.cv(d), 0.03));
                targets.add(Target.atMost("repeatability " + g.getKey() + ": CV of erythema index", Stats.cv(e), 0.03));
            }
            tables.put("repeatability", rows);
        }
        return new Report(all, tables, targets);
    }

    private static boolean neutral(Measured m) {
        PhantomTruth.Camera c = m.source().truth().camera();
        return c.gainR() == 1 && c.gainG() == 1 && c.gainB() == 1 && c.exposure() == 1;
    }

    private static List<Measured> bySuite(List<Measured> all, String suite) {
        return all.stream().filter(m -> m.source().suite().equals(suite)).toList();
    }
}
