package org.dermatrend.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.PhotoSource;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.ImageHeader;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.decode.Refusal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dermatrend decode}: runs photo intake and reports what it found or why it refused. */
@Command(name = "decode",
        mixinStandardHelpOptions = true,
        description = {
            "Checks photos the way the service's intake does: format by content (JPEG, PNG, TIFF, WebP), "
                    + "size limits read from the header before decoding, complete and undamaged data, and the "
                    + "EXIF orientation applied. Prints what was found, or the refusal code and what to do.",
            ""},
        footer = {"", "Refusal codes: unsupported_format, image_too_large, image_too_small, corrupt_image.",
            "", "Examples:",
            "  dermatrend decode photo.jpg",
            "  dermatrend decode --json --max-megapixels 24 *.jpg",
            "", "Exit status: 0 all decoded, 1 at least one refused."})
public final class DecodeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Photo files.")
    List<Path> images;

    @Option(names = "--json", description = "One JSON object per line, one line per image, in input order.")
    boolean json;

    @Mixin
    IntakeOptions intake;

    @Override
    public Integer call() throws IOException {
        PhotoDecoder decoder = new PhotoDecoder(intake.toConfig());
        int status = 0;
        for (Path image : images) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("file", image.toString());
            DecodeResult result = PhotoSource.of(image).decode(decoder);
            if (result.isRefused()) {
                Refusal r = result.refusal();
                line.put("error", Map.of("code", r.code().code(), "message", r.message()));
                status = 1;
            } else {
                try (DecodedPhoto photo = result.photo()) {
                    ImageHeader h = photo.header();
                    Map<String, Object> info = new LinkedHashMap<>();
                    info.put("format", h.format().label());
                    info.put("width", photo.width());
                    info.put("height", photo.height());
                    info.put("storedWidth", h.storedWidth());
                    info.put("storedHeight", h.storedHeight());
                    info.put("orientation", h.orientation());
                    info.put("bitsPerSample", h.bitsPerSample());
                    info.put("channels", h.channels());
                    info.put("hasAlpha", photo.validMask().isPresent());
                    line.put("image", info);
                }
            }
            print(line);
        }
        return status;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> line) throws IOException {
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(line));
            return;
        }
        if (line.containsKey("error")) {
            Map<String, Object> e = (Map<String, Object>) line.get("error");
            System.out.printf("%s: refused (%s) %s%n", line.get("file"), e.get("code"), e.get("message"));
        } else {
            Map<String, Object> i = (Map<String, Object>) line.get("image");
            System.out.printf("%s: %s %dx%d upright (stored %dx%d, EXIF orientation %d), %d-bit, %d channel(s)%n",
                    line.get("file"), i.get("format"), i.get("width"), i.get("height"), i.get("storedWidth"),
                    i.get("storedHeight"), i.get("orientation"), i.get("bitsPerSample"), i.get("channels"));
        }
    }
}
