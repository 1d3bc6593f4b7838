package org.dermatrend.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.Services;
import org.dermatrend.align.Homography;
import org.dermatrend.compare.Comparison;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.compare.PairImages;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.analysis.Analyzer;
import org.dermatrend.analysis.Budgets;
import org.dermatrend.analysis.Outcome;
import org.dermatrend.analysis.PhotoSource;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.wire.AlignmentInfo;
import org.dermatrend.wire.ChangeInfo;
import org.dermatrend.wire.CompareInfo;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dermatrend compare}: a follow-up photo against its baseline, on the skin both show. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Aligns a follow-up photo (AFTER) to its baseline (BEFORE) and scores both on the region both show: "
                    + "the ROI given in the baseline (or its whole frame) intersected with the follow-up's frame, each "
                    + "photo in its own pixels. Prints the transform, both scores and the change of every metric. "
                    + "When the photos cannot be shown to be the same skin, the answer is alignment.ok=false with a "
                    + "reason, and no transform or change (exit status 3). docs/metrics.md section 8 documents "
                    + "the method and its measured accuracy.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend compare --mm-per-px 0.025 session-1.jpg session-4.jpg",
            "  dermatrend compare --json --gray-ref-before 48,36,234,234 --gray-ref-after 60,40,230,230 --out-dir check/ s1.jpg s4.jpg",
            "  dermatrend compare --pairs pairs.csv --json --mm-per-px 0.025 > changes.jsonl",
            "",
            "PAIRS.csv: a header line, then one pair per line: before,after[,grayRefBefore,grayRefAfter]",
            "  (paths relative to the CSV's folder; rectangles quoted, e.g. \"48,36,234,234\").",
            "",
            "JSON (one line per pair, in order):",
            "  {\"beforeFile\", \"afterFile\", \"alignment\": {ok, reason, message, afterToBefore[9], matches, inliers,",
            "   rmsErrorPx, eccCorrelation, overlapFraction, regionBefore, regionAfter, alignMs},",
            "   \"before\": {score}, \"after\": {score}, \"change\": {\"pores.meanDiameterMm\": {before, after, absolute, percent}, ...}}",
            "  afterToBefore maps a pixel (x, y) of AFTER to BEFORE (upright frames, origin at the top-left pixel's centre).",
            "",
            "--out-dir writes per pair: NAME.after-in-before.png, NAME.side-by-side.png, NAME.checkerboard.png, NAME.difference.png",
            "",
            "Exit status: 0 all compared and passed the gate, 1 a photo was refused, 2 bad usage (also a rectangle outside its photo),",
            "3 a pair could not be aligned, 4 a photo failed the quality gate."})
public final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "0..2", paramLabel = "PHOTO", description = "BEFORE (the baseline) and AFTER (the follow-up).")
    List<Path> photos = new ArrayList<>();

    @Option(names = "--pairs", paramLabel = "PAIRS.csv", description = "Compare every pair listed in a CSV (columns before,after).")
    Path pairsCsv;

    @Option(names = "--mm-per-px", paramLabel = "F", description = "The baseline's scale, mm per pixel; the follow-up's follows from the transform.")
    Double mmPerPx;

    @Option(names = "--gray-ref-before", paramLabel = "x,y,w,h", description = "Grey card rectangle in the baseline.")
    String grayRefBefore;

    @Option(names = "--gray-ref-after", paramLabel = "x,y,w,h", description = "Grey card rectangle in the follow-up.")
    String grayRefAfter;

    @Option(names = "--roi", paramLabel = "x,y,w,h", description = "Region to compare, in the baseline's pixels (default: its whole frame).")
    String roi;

    @Option(names = "--json", description = "One JSON object per line, one line per pair, in order.")
    boolean json;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Write pictures of each aligned pair to DIR for a person to check.")
    Path outDir;

    @Option(names = "--timings", description = "Print the milliseconds spent in each stage of each pair to standard error.")
    boolean timings;

    @Mixin
    IntakeOptions intake;

    private record Pair(Path before, Path after, Optional<PixelRect> grayBefore, Optional<PixelRect> grayAfter) {
    }

    @Override
    public Integer call() throws IOException {
        List<Pair> pairs;
        Optional<PixelRect> roiRect;
        try {
            roiRect = Optional.ofNullable(roi).map(PixelRect::parse);
            Budgets.requireScale("--mm-per-px", mmPerPx);
            pairs = pairs();
        } catch (IllegalArgumentException e) {
            System.err.println("dermatrend compare: " + e.getMessage());
            return 2;
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
        }
        try (Services services = Services.create(intake.toConfig())) {
            return run(services, pairs, roiRect);
        }
    }

    private Integer run(Services services, List<Pair> pairs, Optional<PixelRect> roiRect) throws IOException {
        Analyzer analyzer = services.analyzer();
        OptionalDouble scale = mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx);
        boolean progress = System.console() != null && pairs.size() > 1;
        Outcomes exit = new Outcomes();
        int done = 0;
        for (Pair pair : pairs) {
            if (progress) {
                System.err.printf("\r[%d/%d] %s", ++done, pairs.size(), pair.after().getFileName());
            }
            StageTimer timer = new StageTimer();
            PairComparer.Request request = new PairComparer.Request(scale, pair.grayBefore(), pair.grayAfter(), roiRect);
            Analyzer.Observer pictures = outDir == null ? Analyzer.NONE : new Analyzer.Observer() {
                @Override
                public void compared(DecodedPhoto before, DecodedPhoto after, Comparison c) {
                    writeImages(before, after, c, pair);
                }
            };
            String b = pair.before().toString();
            String a = pair.after().toString();
            Outcome<CompareInfo> outcome = analyzer.compare(b, PhotoSource.of(pair.before()), a, PhotoSource.of(pair.after()),
                    request, timer, pictures);
            exit.record(outcome);
            CompareInfo line = Outcomes.notAnalysed(outcome) ? CompareInfo.failed(b, a, Outcomes.error(outcome)) : outcome.valueOrNull();
            print(line);
            if (timings) {
                System.err.println("timings " + pair.after().getFileName() + ":" + timer.summary());
            }
        }
        if (progress) {
            System.err.println();
        }
        return exit.status();
    }

    private List<Pair> pairs() {
        Optional<PixelRect> gb = Optional.ofNullable(grayRefBefore).map(PixelRect::parse);
        Optional<PixelRect> ga = Optional.ofNullable(grayRefAfter).map(PixelRect::parse);
        if (pairsCsv == null) {
            if (photos.size() != 2) {
                throw new IllegalArgumentException("give BEFORE and AFTER, or --pairs PAIRS.csv");
            }
            return List.of(new Pair(photos.get(0), photos.get(1), gb, ga));
        }
        if (!photos.isEmpty()) {
            throw new IllegalArgumentException("give either BEFORE AFTER or --pairs, not both");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(pairsCsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pairsCsv + ": " + e.getMessage());
        }
        List<String> header = lines.isEmpty() ? List.of() : Csv.split(lines.get(0)).stream().map(String::trim).toList();
        if (header.size() < 2 || !header.get(0).equals("before") || !header.get(1).equals("after")) {
            throw new IllegalArgumentException(pairsCsv + ": the first line must be the header before,after[,grayRefBefore,grayRefAfter]");
        }
        Path base = pairsCsv.toAbsolutePath().getParent();
        List<Pair> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> cells = Csv.split(lines.get(i));
            if (cells.size() < 2) {
                throw new IllegalArgumentException(pairsCsv + " line " + (i + 1) + ": expected before,after");
            }
            Optional<PixelRect> rowGb = cells.size() > 2 && !cells.get(2).isBlank() ? Optional.of(PixelRect.parse(cells.get(2))) : gb;
            Optional<PixelRect> rowGa = cells.size() > 3 && !cells.get(3).isBlank() ? Optional.of(PixelRect.parse(cells.get(3))) : ga;
            out.add(new Pair(base.resolve(cells.get(0).trim()), base.resolve(cells.get(1).trim()), rowGb, rowGa));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(pairsCsv + " lists no pairs");
        }
        return out;
    }

    private void writeImages(DecodedPhoto before, DecodedPhoto after, Comparison c, Pair pair) {
        try {
            writeImageFiles(before, after, c, pair);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void writeImageFiles(DecodedPhoto before, DecodedPhoto after, Comparison c, Pair pair) throws IOException {
        String name = stem(pair.before()) + "__" + stem(pair.after());
        Homography h = c.alignment().afterToBefore().orElseThrow();
        try (MatScope scope = new MatScope()) {
            Mat warped = scope.track(PairImages.warpAfter(after.bgr(), h, before.bgr().size()));
            write(warped, name + ".after-in-before.png");
            write(scope.track(PairImages.sideBySide(before.bgr(), warped, c.regionBefore().orElseThrow())), name + ".side-by-side.png");
            write(scope.track(PairImages.checkerboard(before.bgr(), warped)), name + ".checkerboard.png");
            write(scope.track(PairImages.difference(before.bgr(), warped, c.regionBefore().orElseThrow())), name + ".difference.png");
        }
    }

    private void write(Mat image, String fileName) throws IOException {
        MatOfByte png = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".png", image, png)) {
                throw new IOException("could not encode " + fileName);
            }
            Path target = outDir.resolve(fileName);
            Path tmp = outDir.resolve(fileName + ".tmp");
            Files.write(tmp, png.toArray());
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            png.release();
        }
    }

    private static String stem(Path p) {
        return p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }

    private void print(CompareInfo line) throws IOException {
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(line));
            return;
        }
        String head = line.beforeFile() + " -> " + line.afterFile();
        if (line.error() != null) {
            System.out.printf("%s: refused (%s) %s%n", head, line.error().code(), line.error().message());
            return;
        }
        AlignmentInfo a = line.alignment();
        if (!a.ok()) {
            System.out.printf("%s: NOT ALIGNED (%s) %s%n", head, a.reason(), a.message());
            return;
        }
        System.out.printf("%s: aligned (%d of %d pairs agree, ECC correlation %.3f, follow-up covers %.0f%% of the baseline)%n",
                head, a.inliers(), a.matches(), a.eccCorrelation(), 100 * a.overlapFraction());
        System.out.printf("  quality  before %s (%.0f), after %s (%.0f)%n", line.before().quality().ok() ? "OK" : "FAILED",
                line.before().quality().score(), line.after().quality().ok() ? "OK" : "FAILED", line.after().quality().score());
        if (line.notes() != null) {
            line.notes().forEach(n -> System.out.println("  note     " + n));
        }
        for (Map.Entry<String, ChangeInfo> e : line.change().entrySet()) {
            ChangeInfo ch = e.getValue();
            System.out.printf("  %-28s %10.4f -> %10.4f  (%+.4f%s)%n", e.getKey(), ch.before(), ch.after(), ch.absolute(),
                    ch.percent() == null ? "" : String.format(", %+.1f%%", ch.percent()));
        }
    }

    /** Splits one CSV line: commas separate, double quotes group (and "" is a quote). */
    static final class Csv {
        private Csv() {
        }

        static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    out.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(ch);
                }
            }
            out.add(cell.toString());
            return out;
        }
    }
}
