package org.dermatrend.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.synth.PhantomTruth;

/**
 * An evaluation set on disk: {@code NAME.jpg} and {@code NAME.truth.json} per case, and
 * {@code set.json} listing the cases with their suite, group and region.
 */
public final class EvalSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A line of {@code set.json}. */
    public record Entry(String suite, String group, String name, String image, String truth, PixelRect roi) {
    }

    private EvalSet() {
    }

    public static void write(List<EvalCase> cases, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Entry> entries = new ArrayList<>();
        for (EvalCase c : cases) {
            String image = c.name() + (c.truth().camera().jpegQuality() > 0 ? ".jpg" : ".png");
            String truth = c.name() + ".truth.json";
            Files.write(dir.resolve(image), c.image());
            Files.write(dir.resolve(truth), JSON.writeValueAsBytes(c.truth()));
            entries.add(new Entry(c.suite(), c.group(), c.name(), image, truth, c.roi()));
        }
        Files.write(dir.resolve("set.json"), PRETTY.writeValueAsBytes(entries));
    }

    /**
     * The cases of an evaluation: read from {@code fromSet} when it is given, otherwise rendered from
     * {@code plan} (and saved to {@code writeSet} when that is given).
     */
    public static List<EvalCase> readOrRender(Path fromSet, java.util.function.Supplier<List<PhantomSuites.Planned>> plan,
                                              Path writeSet) throws IOException {
        if (fromSet != null) {
            return read(fromSet);
        }
        org.dermatrend.synth.PhantomRenderer renderer = new org.dermatrend.synth.PhantomRenderer();
        List<EvalCase> cases = new ArrayList<>();
        for (PhantomSuites.Planned p : plan.get()) {
            cases.add(PhantomSuites.render(renderer, p));
        }
        if (writeSet != null) {
            write(cases, writeSet);
        }
        return cases;
    }

    public static List<EvalCase> read(Path dir) throws IOException {
        Entry[] entries = JSON.readValue(dir.resolve("set.json").toFile(), Entry[].class);
        List<EvalCase> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(new EvalCase(e.suite(), e.group(), e.name(), Files.readAllBytes(dir.resolve(e.image())),
                    JSON.readValue(dir.resolve(e.truth()).toFile(), PhantomTruth.class), e.roi()));
        }
        return out;
    }
}
