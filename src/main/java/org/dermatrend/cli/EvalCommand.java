package org.dermatrend.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.Services;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.eval.EvalCase;
import org.dermatrend.eval.EvalSet;
import org.dermatrend.eval.Evaluator;
import org.dermatrend.eval.PhantomSuites;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend eval}: the metrics evaluation against phantom truth. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Renders phantom series with seeds never used while tuning, scores them the way a client's upload "
                    + "is scored, and prints truth beside measurement with every target of the metrics: pore count "
                    + "and diameter, the erythema index across haemoglobin steps, invariance to white-balance casts "
                    + "and exposure with a grey card, repeatability under a new light, scale and shift, and skin types "
                    + "I-VI. docs/metrics.md records its output.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend eval                          (full set, 53 phantoms, about a minute on 2 cores)",
            "  dermatrend eval --reduced --write-set datasets/phantoms/metrics",
            "  dermatrend eval --from-set datasets/phantoms/metrics --json report.json",
            "", "Exit status: 0 every target met, 5 a target was missed, 2 bad usage."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--seed-base", defaultValue = "10001", description = "First seed of the series (default: ${DEFAULT-VALUE}).")
    long seedBase;

    @Option(names = "--reduced", description = "The smaller set (4 pore phantoms, repeatability on one skin), as committed for CI.")
    boolean reduced;

    @Option(names = "--write-set", paramLabel = "DIR", description = "Also save the rendered phantoms and their truth to DIR.")
    Path writeSet;

    @Option(names = "--from-set", paramLabel = "DIR", description = "Evaluate a saved set instead of rendering one.")
    Path fromSet;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report (per-phantom figures and targets) as JSON.")
    Path jsonOut;

    @Override
    public Integer call() throws Exception {
        List<EvalCase> cases = EvalSet.readOrRender(fromSet, () -> PhantomSuites.plan(seedBase, reduced), writeSet);
        long t0 = System.nanoTime();
        Evaluator.Report report;
        try (Services services = Services.create(ConfigIntake.defaults())) {
            report = new Evaluator(services).evaluate(cases);
        }
        for (Map.Entry<String, List<String>> table : report.tables().entrySet()) {
            System.out.println("## " + table.getKey());
            table.getValue().forEach(System.out::println);
            System.out.println();
        }
        System.out.println("## targets");
        for (Evaluator.Target t : report.targets()) {
            System.out.printf("%s  %s: %.4f %s %.4f%n", t.passed() ? "PASS" : "MISS", t.name(), t.value(), t.comparison(), t.limit());
        }
        long passed = report.targets().stream().filter(Evaluator.Target::passed).count();
        System.out.printf("%n%d passed, %d failed (%d phantoms scored in %.0f s)%n", passed, report.targets().size() - passed,
                cases.size(), (System.nanoTime() - t0) / 1e9);
        if (jsonOut != null) {
            Files.write(jsonOut, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    Map.of("targets", report.targets(), "tables", report.tables())));
        }
        return report.passed() ? 0 : 5;
    }
}
