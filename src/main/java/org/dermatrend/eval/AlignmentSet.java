package org.dermatrend.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.dermatrend.align.Homography;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * A saved set of alignment pairs: {@code NAME-before.jpg}, {@code NAME-after.jpg}, optionally
 * {@code NAME-after-valid.png}, and one line per pair in {@code pairs.csv}:
 * {@code name,kind,h00,...,h22,description} (the nine entries empty for an unrelated pair). Only
 * phantom pairs are ever saved: images derived from the shared real photos stay out of the repository.
 */
public final class AlignmentSet {
    static final String INDEX = "pairs.csv";
    private static final String HEADER = "name,kind,h00,h01,h02,h10,h11,h12,h20,h21,h22,description";

    private AlignmentSet() {
    }

    /** Adds {@code pair} to the set in {@code dir} (created if needed), images as JPEG of {@code quality}. */
    public static void write(AlignmentPair pair, Path dir, int quality) {
        if (pair.kind().equals("real")) {
            throw new IllegalArgumentException("pairs made from the shared real photos are not saved: " + pair.name());
        }
        try {
            Files.createDirectories(dir);
            jpeg(pair.before(), dir.resolve(pair.name() + "-before.jpg"), quality);
            jpeg(pair.after(), dir.resolve(pair.name() + "-after.jpg"), quality);
            if (pair.afterValid() != null) {
                Imgcodecs.imwrite(dir.resolve(pair.name() + "-after-valid.png").toString(), pair.afterValid());
            }
            Path index = dir.resolve(INDEX);
            if (!Files.exists(index)) {
                Files.writeString(index, HEADER + "\n", StandardCharsets.UTF_8);
            }
            StringBuilder line = new StringBuilder(pair.name()).append(',').append(pair.kind());
            double[] h = pair.related() ? pair.afterToBefore().toArray() : null;
            for (int i = 0; i < 9; i++) {
                line.append(',').append(h == null ? "" : Double.toString(h[i]));
            }
            line.append(",\"").append(pair.description().replace("\"", "'")).append("\"\n");
            Files.writeString(index, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pairs of the set in {@code dir}, in file order; the caller owns (closes) them. */
    public static List<AlignmentPair> read(Path dir) {
        List<AlignmentPair> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(dir.resolve(INDEX), StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                int quote = line.indexOf(",\"");
                String[] cells = line.substring(0, quote).split(",", -1);
                String description = line.substring(quote + 2, line.lastIndexOf('"'));
                String name = cells[0];
                Homography truth = null;
                if (!cells[2].isEmpty()) {
                    double[] h = new double[9];
                    for (int i = 0; i < 9; i++) {
                        h[i] = Double.parseDouble(cells[2 + i]);
                    }
                    truth = Homography.of(h);
                }
                Mat before = Imgcodecs.imread(dir.resolve(name + "-before.jpg").toString(), Imgcodecs.IMREAD_COLOR);
                Mat after = Imgcodecs.imread(dir.resolve(name + "-after.jpg").toString(), Imgcodecs.IMREAD_COLOR);
                Path validPath = dir.resolve(name + "-after-valid.png");
                Mat valid = Files.exists(validPath) ? Imgcodecs.imread(validPath.toString(), Imgcodecs.IMREAD_GRAYSCALE) : null;
                if (before.empty() || after.empty()) {
                    throw new IOException("cannot read the images of pair " + name + " in " + dir);
                }
                out.add(new AlignmentPair(name, cells[1], before, after, valid, truth, description));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void jpeg(Mat image, Path file, int quality) throws IOException {
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            if (!Imgcodecs.imwrite(file.toString(), image, params)) {
                throw new IOException("could not write " + file);
            }
        } finally {
            params.release();
        }
    }
}
