package org.dermatrend.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dermatrend.align.Homography;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Registers the same pairs with elastix (the Debian package), for the comparison in
 * docs/benchmarks.md: baseline = fixed image, follow-up = moving image, both grey, the follow-up's
 * valid area as the moving mask; parameter files from {@code src/main/resources/elastix}. Its
 * accuracy is read back with transformix as where the four baseline corners land in the follow-up.
 * Working files live in a temporary folder deleted afterwards.
 */
public final class ElastixRunner {
    private static final Pattern OUTPUT_POINT = Pattern.compile("OutputPoint = \\[ ([-0-9.e+]+) ([-0-9.e+]+) \\]");

    /** elastix's answer for one pair: baseline corners mapped into the follow-up, and the wall time. */
    public record Result(double[][] beforeCornersInAfter, double wallMs, boolean ok, String error) {
    }

    private final List<String> parameterFiles;
    private final int threads;

    /** @param stages resource names under {@code elastix/}, in order (e.g. affine.txt, bspline.txt) */
    public ElastixRunner(List<String> stages, int threads) {
        this.parameterFiles = stages;
        this.threads = threads;
    }

    /** True when {@code elastix} and {@code transformix} can be started. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("elastix", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Result register(AlignmentPair pair) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("dermatrend-elastix-");
            grey(pair.before(), dir.resolve("fixed.png"));
            grey(pair.after(), dir.resolve("moving.png"));
            List<String> cmd = new ArrayList<>(List.of("elastix", "-f", dir.resolve("fixed.png").toString(), "-m",
                    dir.resolve("moving.png").toString(), "-out", dir.toString(), "-threads", Integer.toString(threads)));
            if (pair.afterValid() != null) {
                Imgcodecs.imwrite(dir.resolve("moving-mask.png").toString(), pair.afterValid());
                cmd.addAll(List.of("-mMask", dir.resolve("moving-mask.png").toString()));
            }
            for (String stage : parameterFiles) {
                Path p = dir.resolve(stage);
                try (InputStream in = ElastixRunner.class.getResourceAsStream("/elastix/" + stage)) {
                    if (in == null) {
                        throw new IOException("no parameter file elastix/" + stage + " in the jar");
                    }
                    Files.copy(in, p);
                }
                cmd.addAll(List.of("-p", p.toString()));
            }
            long t0 = System.nanoTime();
            int status = run(cmd, dir.resolve("elastix.out"));
            double wallMs = (System.nanoTime() - t0) / 1e6;
            Path last = dir.resolve("TransformParameters." + (parameterFiles.size() - 1) + ".txt");
            if (status != 0 || !Files.exists(last)) {
                return new Result(null, wallMs, false, "elastix exited with " + status);
            }
            int w = pair.before().cols();
            int h = pair.before().rows();
            StringBuilder points = new StringBuilder("point\n4\n");
            for (double[] c : Homography.corners(w, h)) {
                points.append(c[0]).append(' ').append(c[1]).append('\n');
            }
            Files.writeString(dir.resolve("corners.txt"), points);
            Path tx = Files.createDirectories(dir.resolve("tx"));
            status = run(List.of("transformix", "-def", dir.resolve("corners.txt").toString(), "-out", tx.toString(), "-tp",
                    last.toString()), dir.resolve("transformix.out"));
            if (status != 0) {
                return new Result(null, wallMs, false, "transformix exited with " + status);
            }
            List<double[]> mapped = new ArrayList<>();
            for (String line : Files.readAllLines(tx.resolve("outputpoints.txt"), StandardCharsets.UTF_8)) {
                Matcher m = OUTPUT_POINT.matcher(line);
                if (m.find()) {
                    mapped.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
                }
            }
            if (mapped.size() != 4) {
                return new Result(null, wallMs, false, "transformix gave " + mapped.size() + " points");
            }
            return new Result(mapped.toArray(new double[0][]), wallMs, true, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while elastix ran", e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** Mean distance between {@code mapped} and the baseline corners mapped into the follow-up by the truth. */
    public static double beforeCornerError(double[][] mapped, Homography afterToBefore, int beforeWidth, int beforeHeight) {
        Homography beforeToAfter = afterToBefore.inverse();
        double[][] corners = Homography.corners(beforeWidth, beforeHeight);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double[] t = beforeToAfter.apply(corners[i][0], corners[i][1]);
            sum += Math.hypot(mapped[i][0] - t[0], mapped[i][1] - t[1]);
        }
        return sum / 4;
    }

    private static int run(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static void grey(Mat bgr, Path file) {
        Mat g = new Mat();
        try {
            Imgproc.cvtColor(bgr, g, Imgproc.COLOR_BGR2GRAY);
            if (!Imgcodecs.imwrite(file.toString(), g)) {
                throw new UncheckedIOException(new IOException("could not write " + file));
            }
        } finally {
            g.release();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Left for the system's temporary-file cleaning; nothing of a patient's is in it.
                }
            });
        } catch (IOException e) {
            // As above.
        }
    }
}
