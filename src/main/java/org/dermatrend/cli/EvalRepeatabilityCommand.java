package org.dermatrend.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.SeriesMeasurer;
import org.dermatrend.analysis.Services;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.eval.RealRecapture;
import org.dermatrend.eval.RepeatabilityStudy;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.trend.Mdc;
import org.dermatrend.trend.MdcRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend eval-repeatability}: the study behind every metric's minimal detectable change. */
@Command(name = "eval-repeatability",
        mixinStandardHelpOptions = true,
        description = {
            "Photographs unchanged skin again and again and measures it as a trend does: synthetic skin (new pose, light, "
                    + "exposure and noise each session; skin types I-VI) and, with --real, real close-ups re-photographed "
                    + "(+-6 deg, +-5 %% scale, shift and tilt, +-10 %% light colour and exposure, noise, JPEG 88-95, a grey card). "
                    + "Prints each rated metric's SEM (pooled within-skin standard deviation), MDC95 = 1.96*sqrt(2)*SEM, the "
                    + "real spread against the shipped MDC, and the verdicts the shipped MDCs give on this unchanged skin. "
                    + "With --write it stores the registry the trend verdicts use (src/main/resources/trend/mdc.json): "
                    + "each metric's MDC is the larger of its synthetic and real components (a real one counts from 5 skins), both "
                    + "kept with their provenance. "
                    + "docs/metrics.md section 10 lists the result.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend eval-repeatability",
            "  dermatrend eval-repeatability --real ../shared/datasets/pad-ufes-20 --no-synthetic",
            "  dermatrend eval-repeatability --real ../shared/datasets/pad-ufes-20 --write src/main/resources/trend/mdc.json"})
public final class EvalRepeatabilityCommand implements Callable<Integer> {
    /** Fewest skins (with two or more usable, measured sessions) a real component needs to count. */
    public static final int MIN_REAL_SKINS = 5;

    @Option(names = "--skins", description = "Synthetic skins (default: ${DEFAULT-VALUE}).", defaultValue = "12")
    int skins;

    @Option(names = "--sessions", description = "Photographs per skin (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int sessions;

    @Option(names = "--seed", description = "First synthetic skin's seed (default: ${DEFAULT-VALUE}; the trend tests use others).",
            defaultValue = "70001")
    long seed;

    @Option(names = "--real", paramLabel = "DIR", description = "Also re-photograph the real close-ups in DIR (PNG, JPEG, TIFF).")
    Path real;

    @Option(names = "--real-min-size", paramLabel = "PX", defaultValue = "880",
            description = "Use real photos whose shorter side is at least PX (default: ${DEFAULT-VALUE}: the re-capture's view, "
                    + "72 %% of it, must stay above intake's 512-px minimum with room for the pose).")
    int realMinSize;

    @Option(names = "--real-mm-per-px", paramLabel = "MM", defaultValue = "0.03",
            description = "The real photos' scale (default: ${DEFAULT-VALUE}, PAD-UFES-20's close-ups).")
    double realMmPerPx;

    @Option(names = "--real-seed", description = "First real session's seed (default: ${DEFAULT-VALUE}).", defaultValue = "160001")
    long realSeed;

    @Option(names = "--no-synthetic", description = "Only the real study (with --real; not with --write).")
    boolean noSynthetic;

    @Option(names = "--per-skin", paramLabel = "METRIC", split = ",",
            description = "Also print each skin's values of these metrics (JSON names, e.g. pores.densityPerCm2).")
    List<String> perSkin = List.of();

    @Option(names = "--write", paramLabel = "FILE", description = "Write the registry JSON to FILE.")
    Path write;

    @Override
    public Integer call() throws Exception {
        if (skins < 2 || sessions < 2) {
            System.err.println("dermatrend eval-repeatability: need at least 2 skins and 2 sessions");
            return 2;
        }
        if (noSynthetic && (real == null || write != null)) {
            System.err.println("dermatrend eval-repeatability: --no-synthetic needs --real and cannot --write (the registry needs both studies)");
            return 2;
        }
        List<Path> realPhotos = List.of();
        if (real != null) {
            realPhotos = RepeatabilityStudy.realPhotos(real, realMinSize);
            if (realPhotos.size() < 2) {
                System.err.println("dermatrend eval-repeatability: " + real + " has " + realPhotos.size()
                        + " photos of at least " + realMinSize + " px; need 2 or more (lower --real-min-size?)");
                return 2;
            }
        }
        MdcRegistry shipped = MdcRegistry.packaged();
        RepeatabilityStudy.Result synthetic = null;
        RepeatabilityStudy.Result realResult = null;
        double synthSeconds = 0;
        double realSeconds = 0;
        try (Services services = Services.create(ConfigIntake.defaults())) {
            RepeatabilityStudy study = new RepeatabilityStudy(new SeriesMeasurer(services.analyzer()), shipped);
            if (!noSynthetic) {
                long t0 = System.nanoTime();
                synthetic = study.run(seed, skins, sessions, 1000, 750, 0.025);
                synthSeconds = (System.nanoTime() - t0) / 1e9;
                synthetic.log().forEach(System.err::println);
            }
            if (real != null) {
                long t0 = System.nanoTime();
                realResult = study.runReal(realPhotos, realSeed, sessions, realMmPerPx, RealRecapture.Ranges.issue16());
                realSeconds = (System.nanoTime() - t0) / 1e9;
                realResult.log().forEach(System.err::println);
            }
        }
        for (String name : perSkin) {
            MetricKey key = MetricKey.ofJson(name).orElseThrow(() -> new IllegalArgumentException("--per-skin: no metric " + name));
            for (RepeatabilityStudy.Result r : new RepeatabilityStudy.Result[] {synthetic, realResult}) {
                if (r != null) {
                    List<List<Double>> v = r.values().get(key);
                    for (int i = 0; i < v.size(); i++) {
                        System.out.printf(Locale.ROOT, "%s %s %s: %s%n", r == synthetic ? "synthetic" : "real", name,
                                r.skinNames().get(i), v.get(i));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-26s %11s %11s %11s %11s %11s %9s%n", "metric", "synth SEM", "real SEM", "MDC95",
                "from", "shipped", "real/ship");
        Map<MetricKey, Mdc> merged = new LinkedHashMap<>();
        Map<MetricKey, String> from = new LinkedHashMap<>();
        for (MetricKey key : MetricKey.rated()) {
            Mdc s = synthetic == null ? null : synthetic.mdc().get(key);
            Mdc r = realResult == null ? null : realResult.mdc().get(key);
            // A real component counts once it rests on enough skins to be an estimate.
            Mdc realUsable = r != null && r.skins() >= MIN_REAL_SKINS ? r : null;
            Mdc pick = s == null ? realUsable : realUsable == null || s.sem() >= realUsable.sem() ? s : realUsable;
            if (pick == null) {
                continue;
            }
            merged.put(key, pick);
            from.put(key, pick == s ? "synthetic" : "real");
            Double ship = shipped.get(key).map(Mdc::sem).orElse(null);
            System.out.printf(Locale.ROOT, "%-26s %11s %11s %11.5g %11s %11s %9s%n", key.json(), fmt(s), fmt(r), pick.mdc95(),
                    from.get(key), ship == null ? "-" : String.format(Locale.ROOT, "%.5g", ship),
                    r == null || ship == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.sem() / ship));
        }
        if (synthetic != null) {
            printSummary("synthetic", "skins", synthetic, synthSeconds);
        }
        if (realResult != null) {
            printSummary("real", "photos", realResult, realSeconds);
        }
        if (write != null) {
            writeRegistry(merged, from, synthetic, realResult, realPhotos.size(), Math.round(synthSeconds), Math.round(realSeconds));
        }
        return 0;
    }

    private void printSummary(String study, String skinsAre, RepeatabilityStudy.Result r, double seconds) {
        System.out.printf(Locale.ROOT, "%s: %d %s x %d sessions, %d sessions unusable, verdicts by the shipped MDCs: %s "
                + "(%d of %d claim a change), %.0f s%n", study, r.skins(), skinsAre, sessions, r.unusableSessions(),
                r.verdicts(), r.changeVerdicts(), r.totalVerdicts(), seconds);
    }

    private static String fmt(Mdc m) {
        return m == null ? "-" : String.format(Locale.ROOT, "%.5g", m.sem());
    }

    private void writeRegistry(Map<MetricKey, Mdc> merged, Map<MetricKey, String> from, RepeatabilityStudy.Result synthetic,
                               RepeatabilityStudy.Result realResult, int realCount, long synthSeconds, long realSeconds)
            throws IOException {
        Map<String, Object> provenance = new LinkedHashMap<>();
        String command = "java -jar target/dermatrend.jar eval-repeatability --skins " + skins + " --sessions " + sessions
                + " --seed " + seed + (real == null ? "" : " --real " + real + " --real-min-size " + realMinSize
                + " --real-mm-per-px " + realMmPerPx + " --real-seed " + realSeed) + " --write " + write;
        provenance.put("command", command);
        provenance.put("date", LocalDate.now().toString());
        provenance.put("rule", "each metric's MDC is the larger of its components (synthetic, real); a real component counts "
                + "when it rests on at least " + MIN_REAL_SKINS + " skins with two or more usable sessions");
        provenance.put("synthetic", study("unchanged synthetic skin (synth/TreatmentSeries with no effect), skin types I-VI "
                + "cycling, 1000x750 px at 0.025 mm/px, JPEG q90, grey card in every frame; per session a new camera pose "
                + "(+-3 % scale, +-25 px), light (+-8 deg azimuth, +-4 deg elevation), exposure (+-6 %) and sensor noise; "
                + "measured as a trend: baseline scored on its own, follow-ups aligned and anchored to it",
                "skins", skins, seed, synthetic, synthSeconds));
        if (realResult != null) {
            provenance.put("real", study("real close-ups (" + real.getFileName() + ", shorter side >= " + realMinSize + " px, at "
                    + realMmPerPx + " mm/px) re-photographed by eval/RealRecapture: per session a view of 72 % of the photo under "
                    + "a new pose (+-6 deg, +-5 % scale, shift up to 3 %, tilt up to 3 deg), light colour (+-10 % per linear "
                    + "channel) and exposure (+-10 %), shot and read noise, JPEG 88-95, an 18 % grey card in a corner; measured "
                    + "as a trend", "photos", realCount, realSeed, realResult, realSeconds));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        merged.forEach((key, m) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sem", m.sem());
            entry.put("mdc95", m.mdc95());
            entry.put("skins", m.skins());
            entry.put("sessions", m.sessions());
            entry.put("from", from.get(key));
            Map<String, Object> components = new LinkedHashMap<>();
            component(components, "synthetic", synthetic == null ? null : synthetic.mdc().get(key));
            component(components, "real", realResult == null ? null : realResult.mdc().get(key));
            entry.put("components", components);
            metrics.put(key.json(), entry);
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("provenance", provenance);
        root.put("metrics", metrics);
        Files.createDirectories(write.toAbsolutePath().getParent());
        Files.write(write, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root));
        System.err.println("wrote " + write + " (" + MdcRegistry.RESOURCE + " in the jar when written to src/main/resources)");
    }

    /** One study's provenance: what it was, how many skins (or photos), its seed, unusable sessions, seconds. */
    private Map<String, Object> study(String description, String skinsAre, int count, long firstSeed,
                                      RepeatabilityStudy.Result r, long seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study", description);
        m.put(skinsAre, count);
        m.put("sessionsPerSkin", sessions);
        m.put("firstSeed", firstSeed);
        m.put("unusableSessions", r.unusableSessions());
        m.put("seconds", seconds);
        return m;
    }

    private static void component(Map<String, Object> components, String name, Mdc m) {
        if (m != null) {
            Map<String, Object> c = new LinkedHashMap<>(); // in a fixed order, so that a re-run's diff shows only what changed
            c.put("sem", m.sem());
            c.put("mdc95", m.mdc95());
            c.put("skins", m.skins());
            c.put("sessions", m.sessions());
            components.put(name, c);
        }
    }
}
