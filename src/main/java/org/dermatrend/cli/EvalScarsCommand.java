package org.dermatrend.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.dermatrend.eval.EvalCase;
import org.dermatrend.eval.EvalSet;
import org.dermatrend.eval.ScarEvaluator;
import org.dermatrend.measure.ConfigScars;
import org.dermatrend.measure.ScarDetector;
import org.dermatrend.relief.ReliefEstimator;
import org.dermatrend.relief.ReliefMethod;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.relief.ShadingBaseline;
import org.dermatrend.relief.training.TrainingPatches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend eval-scars}: the scar-depth evidence, network against the OpenCV baseline. */
@Command(name = "eval-scars",
        mixinStandardHelpOptions = true,
        description = {
            "Renders phantoms with seeds the relief network never saw and measures their scars with the shipped "
                    + "network and with the OpenCV-only shading baseline, the same way: depth error inside scars "
                    + "(0.05-0.5 mm), Spearman of per-image mean depth across a depth series, detection F1, false scars "
                    + "on scar-free skin of every type, and the spread of mean depth when only the light moves "
                    + "(azimuth 0-360, elevation 35-75). models/scar-relief/README.md records its output.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend eval-scars                               (full set, 80 phantoms, a few minutes on 2 cores)",
            "  dermatrend eval-scars --reduced --write-set datasets/phantoms/scars",
            "  dermatrend eval-scars --from-set datasets/phantoms/scars --method model",
            "", "Exit status: 0 the network met every target, 5 it missed one, 2 bad usage."})
public final class EvalScarsCommand implements Callable<Integer> {
    @Option(names = "--seed-base", defaultValue = "30001", description = "First seed of the phantoms (default: ${DEFAULT-VALUE}; training uses 1000000 and up).")
    long seedBase;

    @Option(names = "--reduced", description = "The smaller set (4 depths, 2 scar-free, 1 skin under 4 lights), as committed for CI.")
    boolean reduced;

    @Option(names = "--method", defaultValue = "both", description = "model, baseline or both (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--model-dir", paramLabel = "DIR", description = "Evaluate the weights in DIR instead of the shipped ones.")
    Path modelDir;

    @Option(names = "--baseline-patches", defaultValue = "400", description = "Training patches the baseline's gain is fitted on (default: ${DEFAULT-VALUE}).")
    int baselinePatches;

    @Option(names = "--size", defaultValue = "1000x750", paramLabel = "WxH", description = "Phantom size at 0.025 mm/px (default: ${DEFAULT-VALUE}); larger phantoms hold the same scars on more skin and span several of the network's tiles.")
    String size;

    @Option(names = "--tile-px", defaultValue = "" + ReliefEstimator.DEFAULT_TILE_PX, description = "The network's tile side in canonical pixels, a multiple of 16 (default: ${DEFAULT-VALUE}); images up to it run in one pass.")
    int tilePx;

    @Option(names = "--mirrors", defaultValue = "" + ReliefEstimator.DEFAULT_MIRRORS, description = "1, 2 or 4 mirror images averaged per tile (default: ${DEFAULT-VALUE}).")
    int mirrors;

    @Option(names = "--write-set", paramLabel = "DIR", description = "Also save the rendered phantoms and their truth to DIR.")
    Path writeSet;

    @Option(names = "--from-set", paramLabel = "DIR", description = "Evaluate a saved set instead of rendering one.")
    Path fromSet;

    @Override
    public Integer call() throws Exception {
        if (!List.of("model", "baseline", "both").contains(method)) {
            System.err.println("dermatrend eval-scars: --method must be model, baseline or both");
            return 2;
        }
        int[] wh = parseSize(size);
        if (wh == null) {
            System.err.println("dermatrend eval-scars: --size must be WxH with each side 256 to 8000 px, got " + size);
            return 2;
        }
        // Checked before the phantoms are rendered, which takes minutes.
        java.util.Optional<String> tiling = ReliefEstimator.settingsProblem(tilePx, ReliefEstimator.DEFAULT_OVERLAP_PX, mirrors);
        if (tiling.isPresent()) {
            System.err.println("dermatrend eval-scars: --tile-px/--mirrors: " + tiling.get());
            return 2;
        }
        long t0 = System.nanoTime();
        List<EvalCase> cases = EvalSet.readOrRender(fromSet, () -> ScarEvaluator.plan(seedBase, reduced, wh[0], wh[1]), writeSet);
        System.out.printf(Locale.ROOT, "%d phantoms ready in %.1f s%n%n", cases.size(), (System.nanoTime() - t0) / 1e9);
        boolean missed = false;
        if (!method.equals("model")) {
            TrainingPatches maker = new TrainingPatches();
            List<TrainingPatches.Patch> fit = LongStream.range(0, baselinePatches).parallel()
                    .mapToObj(i -> maker.make(1_000_000L + i)).toList();
            double gain = ShadingBaseline.fitGain(fit);
            System.out.printf(Locale.ROOT, "# baseline (OpenCV shading; gain %.4f mm per unit of log darkness, fitted on %d training patches)%n%n",
                    gain, baselinePatches);
            report(new ShadingBaseline(gain), cases);
        }
        if (!method.equals("baseline")) {
            try (ReliefModel model = modelDir == null ? ReliefModel.loadPackaged() : ReliefModel.load(modelDir)) {
                System.out.printf("# model (scar-relief, sha256 %s, from %s; tiles of %d px, %d mirror images)%n%n", model.sha256(), model.source(), tilePx, mirrors);
                ScarEvaluator.Report r = report(new ReliefEstimator(model, tilePx, ReliefEstimator.DEFAULT_OVERLAP_PX, mirrors), cases);
                missed = !r.passed();
            }
        }
        System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return missed ? 5 : 0;
    }

    /** {@code WxH} with each side 256..8000, or null. */
    private static int[] parseSize(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            int[] wh = {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
            return parts.length == 2 && wh[0] >= 256 && wh[1] >= 256 && wh[0] <= 8000 && wh[1] <= 8000 ? wh : null;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static ScarEvaluator.Report report(ReliefMethod method, List<EvalCase> cases) {
        long t = System.nanoTime();
        ScarEvaluator.Report r = new ScarEvaluator(new ScarDetector(ConfigScars.defaults(), method)).evaluate(cases);
        for (Map.Entry<String, List<String>> table : r.tables().entrySet()) {
            System.out.println("## " + table.getKey());
            table.getValue().forEach(System.out::println);
            System.out.println();
        }
        System.out.printf(Locale.ROOT, "%s: %.1f s for %d phantoms%n%n", method.name(), (System.nanoTime() - t) / 1e9, cases.size());
        return r;
    }
}
