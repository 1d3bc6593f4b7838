package org.dermatrend.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.Services;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.decode.Refusal;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.PhotoPreparer;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.quality.QualityIssue;
import org.dermatrend.quality.QualityReport;
import org.dermatrend.wire.CalibrationInfo;
import org.dermatrend.wire.ErrorInfo;
import org.dermatrend.wire.ImageInfo;
import org.dermatrend.wire.MaskInfo;
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
            "Exit status: 0 every photo passed, 1 a photo was refused at intake, 2 bad usage, 4 a photo failed the gate."})
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
        PhotoDecoder decoder = new PhotoDecoder(intake.toConfig());
        PhotoPreparer preparer = Services.defaultPreparer();
        boolean refused = false;
        boolean failed = false;
        for (Path image : images) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("file", image.toString());
            DecodeResult result = DecodeCommand.readFile(decoder, image);
            if (result == null || result.isRefused()) {
                Refusal r = result == null ? DecodeCommand.missing(image) : result.refusal();
                line.put("error", new ErrorInfo(r.code().code(), r.message()));
                refused = true;
            } else {
                try (DecodedPhoto decoded = result.photo(); PreparedPhoto prepared = preparer.prepare(decoded, context)) {
                    line.put("image", new ImageInfo(decoded.width(), decoded.height(),
                            context.mmPerPx().isPresent() ? context.mmPerPx().getAsDouble() : null,
                            prepared.calibration().calibrated(), decoded.header().format().label(),
                            decoded.header().orientation(), decoded.header().bitsPerSample()));
                    line.put("quality", prepared.quality());
                    line.put("calibration", CalibrationInfo.of(prepared.calibration()));
                    line.put("mask", MaskInfo.of(prepared.mask()));
                    failed |= !prepared.quality().ok();
                }
            }
            print(line);
        }
        return refused ? 1 : failed ? 4 : 0;
    }

    private void print(Map<String, Object> line) throws IOException {
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(line));
            return;
        }
        if (line.get("error") instanceof ErrorInfo) {
            ErrorInfo e = (ErrorInfo) line.get("error");
            System.out.printf("%s: refused (%s) %s%n", line.get("file"), e.code(), e.message());
            return;
        }
        QualityReport q = (QualityReport) line.get("quality");
        System.out.printf("%s: %s, score %.0f%n", line.get("file"), q.ok() ? "OK" : "FAILED", q.score());
        for (QualityIssue i : q.issues()) {
            System.out.printf("  %-8s %-20s %s%n", i.severity(), i.code(), i.message());
        }
    }
}
