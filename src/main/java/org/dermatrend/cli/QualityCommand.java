package org.dermatrend.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.Analyzer;
import org.dermatrend.analysis.Outcome;
import org.dermatrend.analysis.PhotoSource;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.quality.QualityIssue;
import org.dermatrend.quality.QualityReport;
import org.dermatrend.wire.ScoreInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dermatrend quality}: the quality gate, photo by photo. */
@Command(name = "quality",
        mixinStandardHelpOptions = true,
        description = {
            "Checks whether photos can be measured: focus (sharpness), exposure, clipped highlights and "
                    + "shadows, illumination uniformity, glare, the share of the frame that is skin, and whether "
                    + "the scale resolves pores. Every check is printed with its measured value and threshold "
                    + "(docs/metrics.md). With --gray-ref, colours are first normalised to the grey card.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend quality photo.jpg",
            "  dermatrend quality --json --mm-per-px 0.025 --gray-ref 48,36,234,234 photo.jpg",
            "  dermatrend quality --json --roi 200,150,1200,900 s1.jpg s2.jpg s3.jpg",
            "",
            "JSON (one line per image, in input order):",
            "  {\"file\", \"image\": {width, height, mmPerPx, colorCalibrated, ...},",
            "   \"quality\": {ok, score, issues: [{code, message, value, threshold, severity}], checks: [...]},",
            "   \"calibration\": {...}, \"mask\": {...}}   or   {\"file\", \"error\": {code, message}}",
            "",
            "Exit status: 0 every photo passed, 1 a photo was refused at intake, 2 bad usage (also a rectangle outside "
                    + "the photo), 4 a photo failed the gate."})
public final class QualityCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Photo files.")
    List<Path> images;

    @Option(names = "--json", description = "One JSON object per line, one line per image, in input order.")
    boolean json;

    @Mixin
    PhotoOptions photo;

    @Mixin
    IntakeOptions intake;

    @Override
    public Integer call() throws IOException {
        PhotoContext context;
        try {
            context = photo.toContext();
        } catch (IllegalArgumentException e) {
            System.err.println("dermatrend quality: " + e.getMessage());
            return 2;
        }
        // The gate measures nothing, so it needs no model: only intake and the preparer.
        Analyzer analyzer = Analyzer.gateOnly(intake.toConfig());
        Outcomes exit = new Outcomes();
        for (Path image : images) {
            Outcome<ScoreInfo> outcome = analyzer.quality(image.toString(), PhotoSource.of(image), context);
            exit.record(outcome);
            ScoreInfo line = Outcomes.notAnalysed(outcome) ? ScoreInfo.refused(image.toString(), Outcomes.error(outcome))
                    : outcome.valueOrNull();
            print(line);
        }
        return exit.status();
    }

    private void print(ScoreInfo line) throws IOException {
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(line));
            return;
        }
        if (line.error() != null) {
            System.out.printf("%s: refused (%s) %s%n", line.file(), line.error().code(), line.error().message());
            return;
        }
        QualityReport q = line.quality();
        System.out.printf("%s: %s, score %.0f%n", line.file(), q.ok() ? "OK" : "FAILED", q.score());
        for (QualityIssue i : q.issues()) {
            System.out.printf("  %-8s %-20s %s%n", i.severity(), i.code(), i.message());
        }
    }
}
