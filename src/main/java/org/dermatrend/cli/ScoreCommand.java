package org.dermatrend.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.Services;
import java.io.UncheckedIOException;
import org.dermatrend.analysis.Analyzer;
import org.dermatrend.analysis.Outcome;
import org.dermatrend.analysis.PhotoSource;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.quality.QualityIssue;
import org.dermatrend.wire.PoresInfo;
import org.dermatrend.wire.RednessInfo;
import org.dermatrend.wire.ScarsInfo;
import org.dermatrend.wire.ScoreInfo;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dermatrend score}: pores and redness, photo by photo. */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Measures skin photos: the quality gate, then pores (count, density per cm2, diameter, area) and "
                    + "redness (erythema index, CIELAB a*, haemoglobin and melanin indices, red area) inside the "
                    + "skin mask. Give --mm-per-px for sizes in mm and --gray-ref for colours comparable across "
                    + "sessions. docs/metrics.md defines every field and its measured accuracy.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend score --mm-per-px 0.025 photo.jpg",
            "  dermatrend score --json --mm-per-px 0.025 --gray-ref 48,36,234,234 session-*.jpg > scores.jsonl",
            "  dermatrend score --json --detail --overlay-dir overlays/ --roi 200,150,1200,900 photo.jpg",
            "  dermatrend score --timings --mm-per-px 0.01 big-photo.jpg",
            "",
            "JSON (one line per image, in input order):",
            "  {\"file\", \"image\": {width, height, mmPerPx, colorCalibrated, ...}, \"quality\": {ok, score, issues, checks},",
            "   \"pores\": {count, densityPerCm2, meanDiameterPx, meanDiameterMm, areaFraction, ...},",
            "   \"redness\": {erythemaIndex, meanAStar, areaFraction, haemoglobinIndex, melaninIndex, itaDegrees}, ...}",
            "  or {\"file\", \"error\": {code, message}} for a photo refused at intake. Fields in mm are null without a scale.",
            "",
            "Exit status: 0 all scored and passed the gate, 1 a photo was refused, 2 bad usage (also a rectangle outside "
                    + "the photo), 4 a photo failed the gate."})
public final class ScoreCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Photo files.")
    List<Path> images;

    @Option(names = "--json", description = "One JSON object per line, one line per image, in input order.")
    boolean json;

    @Option(names = "--detail", description = "Add the list of pores (centre, diameter, contrast) to the JSON.")
    boolean detail;

    @Option(names = "--overlay-dir", paramLabel = "DIR", description = "Write NAME.overlay.png per photo: pores outlined, redness heat map.")
    Path overlayDir;

    @Option(names = "--timings", description = "Print the milliseconds spent in each stage of each photo to standard error.")
    boolean timings;

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
            System.err.println("dermatrend score: " + e.getMessage());
            return 2;
        }
        if (overlayDir != null) {
            Files.createDirectories(overlayDir);
        }
        try (Services services = Services.create(intake.toConfig())) {
            return run(services, context);
        }
    }

    private Integer run(Services services, PhotoContext context) throws IOException {
        Analyzer analyzer = services.analyzer();
        boolean progress = System.console() != null && images.size() > 1;
        Outcomes exit = new Outcomes();
        int done = 0;
        for (Path image : images) {
            if (progress) {
                System.err.printf("\r[%d/%d] %s", ++done, images.size(), image.getFileName());
            }
            StageTimer timer = new StageTimer();
            Analyzer.Observer overlay = overlayDir == null ? Analyzer.NONE : new Analyzer.Observer() {
                @Override
                public void scored(DecodedPhoto decoded, SkinScore score) {
                    writeOverlay(services, decoded, score, image);
                }
            };
            Outcome<ScoreInfo> outcome = analyzer.score(image.toString(), PhotoSource.of(image), context, detail, timer, overlay);
            exit.record(outcome);
            ScoreInfo line = Outcomes.notAnalysed(outcome) ? ScoreInfo.refused(image.toString(), Outcomes.error(outcome))
                    : outcome.valueOrNull();
            print(line);
            if (timings) {
                System.err.println("timings " + image.getFileName() + ":" + timer.summary());
            }
        }
        if (progress) {
            System.err.println();
        }
        return exit.status();
    }

    private void writeOverlay(Services services, DecodedPhoto decoded, SkinScore score, Path image) {
        try {
            writeOverlayFile(services, decoded, score, image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeOverlayFile(Services services, DecodedPhoto decoded, SkinScore score, Path image) throws IOException {
        String base = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Mat overlay = services.overlays().render(decoded.bgr(), score);
        MatOfByte png = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".png", overlay, png)) {
                throw new IOException("could not encode the overlay of " + image);
            }
            Files.write(overlayDir.resolve(base + ".overlay.png"), png.toArray());
        } finally {
            overlay.release();
            png.release();
        }
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
        PoresInfo p = line.pores();
        RednessInfo r = line.redness();
        System.out.printf("%s: quality %s (score %.0f)%n", line.file(), line.quality().ok() ? "OK" : "FAILED", line.quality().score());
        for (QualityIssue i : line.quality().issues()) {
            System.out.printf("  %-8s %-20s %s%n", i.severity(), i.code(), i.message());
        }
        if (p.areaFraction() == null) {
            System.out.printf("  pores    %d outlined, not measured: too blurred for pores (see blurred_for_pores)%n", p.count());
        } else {
            System.out.printf("  pores    %d%s, mean diameter %s, %.2f%% of skin%n", p.count(),
                    p.densityPerCm2() == null ? "" : String.format(" (%.1f per cm2)", p.densityPerCm2()),
                    p.meanDiameterPx() == null ? "not given (too few pores to size)"
                            : p.meanDiameterMm() == null ? String.format("%.1f px", p.meanDiameterPx())
                            : String.format("%.3f mm", p.meanDiameterMm()),
                    100 * p.areaFraction());
        }
        ScarsInfo sc = line.scars();
        if (sc == null) {
            System.out.println("  scars    not measured: the photo failed the quality gate");
        } else {
            System.out.printf("  scars    %d (icepick %d, boxcar %d, rolling %d), %s, %.2f%% of skin%n", sc.count(),
                    sc.byType().icepick(), sc.byType().boxcar(), sc.byType().rolling(), sc.meanDepthMm() == null
                            ? (line.image().mmPerPx() == null ? "depth needs --mm-per-px" : "no depth")
                            : String.format("mean depth %.3f mm, deepest %.3f mm", sc.meanDepthMm(), sc.maxDepthMm()),
                    100 * sc.areaFraction());
        }
        System.out.printf("  redness  erythema index %s, a* %s, haemoglobin index %s, red area %.1f%%%s%n",
                r.erythemaIndex(), line.quality().has(QualityGate.A_STAR_WITHHELD)
                        ? "not measured: uneven light (see uneven_for_a_star)" : r.meanAStar(),
                r.haemoglobinIndex(), 100 * r.areaFraction(),
                line.image().colorCalibrated() ? "" : " (colours not calibrated: give --gray-ref)");
    }
}
