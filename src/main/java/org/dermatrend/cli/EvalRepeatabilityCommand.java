package org.dermatrend.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.Services;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.eval.RepeatabilityStudy;
import org.dermatrend.trend.Mdc;
import org.dermatrend.trend.MdcRegistry;
import org.dermatrend.analysis.SeriesMeasurer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend eval-repeatability}: the study behind every metric's minimal detectable change. */
@Command(name = "eval-repeatability",
        mixinStandardHelpOptions = true,
        description = {
            "Photographs unchanged synthetic skin again and again (new pose, light, exposure and noise each session; "
                    + "skin types I-VI) and measures it as a trend does. Prints each rated metric's SEM (pooled within-skin "
                    + "standard deviation) and MDC95 = 1.96*sqrt(2)*SEM, and with --write stores them as the registry the "
                    + "trend verdicts use (src/main/resources/trend/mdc.json). docs/metrics.md section 10 lists the result.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend eval-repeatability",
            "  dermatrend eval-repeatability --skins 12 --sessions 5 --write src/main/resources/trend/mdc.json"})
public final class EvalRepeatabilityCommand implements Callable<Integer> {
    @Option(names = "--skins", description = "Skins (default: ${DEFAULT-VALUE}).", defaultValue = "12")
    int skins;

    @Option(names = "--sessions", description = "Photographs per skin (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int sessions;

    @Option(names = "--seed", description = "First skin's seed (default: ${DEFAULT-VALUE}; the trend tests use others).",
            defaultValue = "70001")
    long seed;

    @Option(names = "--write", paramLabel = "FILE", description = "Write the registry JSON to FILE.")
    Path write;

    @Override
    public Integer call() throws Exception {
        if (skins < 2 || sessions < 2) {
            System.err.println("dermatrend eval-repeatability: need at least 2 skins and 2 sessions");
            return 2;
        }
        long t0 = System.nanoTime();
        RepeatabilityStudy.Result r;
        try (Services services = Services.create(ConfigIntake.defaults())) {
            r = new RepeatabilityStudy(new SeriesMeasurer(services.analyzer())).run(seed, skins, sessions, 1000, 750, 0.025);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        r.log().forEach(System.err::println);
        System.out.printf("%-26s %12s %12s %6s%n", "metric", "SEM", "MDC95", "skins");
        for (Mdc m : r.mdc().values()) {
            System.out.printf("%-26s %12.5g %12.5g %6d%n", m.key().json(), m.sem(), m.mdc95(), m.skins());
        }
        System.out.printf("%d skins x %d sessions, %d sessions unusable, %.0f s%n", skins, sessions, r.unusableSessions(), seconds);
        if (write != null) {
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("command", "java -jar target/dermatrend.jar eval-repeatability --skins " + skins + " --sessions "
                    + sessions + " --seed " + seed + " --write " + write);
            provenance.put("date", LocalDate.now().toString());
            provenance.put("study", "unchanged synthetic skin (synth/TreatmentSeries with no effect), skin types I-VI cycling, "
                    + "1000x750 px at 0.025 mm/px, JPEG q90, grey card in every frame; per session a new camera pose "
                    + "(+-3 % scale, +-25 px), light (+-8 deg azimuth, +-4 deg elevation), exposure (+-6 %) and sensor noise; "
                    + "measured as a trend: baseline scored on its own, follow-ups aligned and anchored to it");
            provenance.put("skins", skins);
            provenance.put("sessionsPerSkin", sessions);
            provenance.put("firstSeed", seed);
            provenance.put("unusableSessions", r.unusableSessions());
            provenance.put("seconds", Math.round(seconds));
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Mdc m : r.mdc().values()) {
                metrics.put(m.key().json(), Map.of("sem", m.sem(), "mdc95", m.mdc95(), "skins", m.skins(), "sessions", m.sessions()));
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("provenance", provenance);
            root.put("metrics", metrics);
            Files.createDirectories(write.toAbsolutePath().getParent());
            Files.write(write, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root));
            System.err.println("wrote " + write + " (" + MdcRegistry.RESOURCE + " in the jar when written to src/main/resources)");
        }
        return 0;
    }
}
