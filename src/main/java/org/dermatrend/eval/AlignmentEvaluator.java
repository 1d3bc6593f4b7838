package org.dermatrend.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.dermatrend.align.Aligner;
import org.dermatrend.align.Alignment;
import org.dermatrend.align.Homography;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The alignment evaluation: pairs with a known transform (phantoms re-rendered under another light
 * with less redness; real close-ups warped), and unrelated pairs that must be refused. For each pair,
 * the corner error of the estimate against the truth.
 */
public final class AlignmentEvaluator {
    /** Scene margin around the before view of phantom pairs, as a share of each side. */
    static final double PHANTOM_MARGIN = 0.35;
    /** Real photos are small (408–1806 px): the before view is the centre 1/(1 + 2·0.2) of the photo. */
    static final double REAL_MARGIN = 0.2;
    static final int JPEG_QUALITY = 92;
    /** Intake's default minimum short side. */
    static final int MIN_SIDE_PX = 512;
    /**
     * Session-to-session light change of the default phantom pairs: a clinic's lamp or window on the
     * same side of the patient, turned by up to this much. Larger turns move the apparent centre of
     * every pore pit (its lit wall changes side); eval-align --light-turn measures that separately.
     */
    public static final double MAX_LIGHT_TURN_DEG = 45;

    private final PhantomRenderer renderer;
    private final Aligner aligner;

    public AlignmentEvaluator(PhantomRenderer renderer, Aligner aligner) {
        this.renderer = renderer;
        this.aligner = aligner;
    }

    /**
     * One pair's result. {@code cornerErrorPx}: mean distance of the follow-up's corners mapped into the
     * baseline by the estimate and by the truth (baseline pixels); {@code beforeCornerErrorPx}: the
     * baseline's corners mapped into the follow-up (follow-up pixels), the form elastix is compared in.
     * Both NaN for unrelated or refused pairs.
     */
    public record Row(String name, String kind, boolean related, boolean ok, String reason, double cornerErrorPx,
                      double beforeCornerErrorPx,
                      int matches, int inliers, double eccCorrelation, double overlapFraction, double alignMs,
                      double featureMs, double refineMs, String description) {
        /** Related and aligned, or unrelated and refused. */
        public boolean correct() {
            return related == ok;
        }
    }

    /**
     * A phantom pair: the scene rendered twice with the same skin (seed), the second under a light
     * turned by {@code lightTurnDeg} in azimuth (NaN: a random turn within ±{@link #MAX_LIGHT_TURN_DEG})
     * and raised or lowered by up to 10°, with 25 % less haemoglobin and new sensor noise; the after photo is that
     * second scene seen through a random {@code motion}, with a ±15 % white-balance cast and ±15 %
     * exposure, JPEG quality 92.
     */
    public AlignmentPair phantomPair(long seed, int width, int height, double mmPerPx, AlignmentPairs.Motion motion,
                                     double lightTurnDeg) {
        Random rng = new Random(AlignmentPairs.mix(seed));
        int sw = (int) Math.round(width * (1 + 2 * PHANTOM_MARGIN));
        int sh = (int) Math.round(height * (1 + 2 * PHANTOM_MARGIN));
        double azimuth = rng.nextDouble() * 360;
        double elevation = 45 + rng.nextDouble() * 20;
        PhantomSpec before = PhantomSpec.builder().size(sw, sh).mmPerPx(mmPerPx).seed(seed)
                .fitzpatrick(1 + (int) (seed % 6)).haemoglobin(0.6).hairs(rng.nextInt(6)).icepickScars(rng.nextInt(3))
                .boxcarScars(rng.nextInt(2)).lightAzimuthDeg(azimuth).lightElevationDeg(elevation).jpegQuality(0).build();
        double turn = Double.isNaN(lightTurnDeg) ? AlignmentPairs.uniform(rng, -MAX_LIGHT_TURN_DEG, MAX_LIGHT_TURN_DEG) : lightTurnDeg;
        double elevationAfter = Math.max(30, Math.min(80, elevation + AlignmentPairs.uniform(rng, -10, 10)));
        PhantomSpec after = before.toBuilder().lightAzimuthDeg(((azimuth + turn) % 360 + 360) % 360)
                .lightElevationDeg(elevationAfter).haemoglobin(0.45).noiseSeed(1).build();
        Homography truth = AlignmentPairs.randomMotion(rng, width, height, motion);
        double[] gains = randomGains(rng);
        double exposure = 1 + AlignmentPairs.uniform(rng, -0.15, 0.15);
        try (Phantom pb = renderer.render(before); Phantom pa = renderer.render(after)) {
            return AlignmentPairs.fromScene("phantom-" + seed, "phantom", pb.bgr(), pa.bgr(), width, height, truth, gains,
                    exposure, JPEG_QUALITY, describe(truth, width, height, gains, exposure)
                            + String.format(", light turned %.0f° and raised %.0f°, haemoglobin 0.60→0.45", turn, elevationAfter - elevation));
        }
    }

    /** A real close-up warped by a random {@code motion} with a white-balance and exposure change. */
    public AlignmentPair realPair(Path photo, long seed, AlignmentPairs.Motion motion) {
        Mat scene = Imgcodecs.imread(photo.toString(), Imgcodecs.IMREAD_COLOR);
        try {
            if (scene.empty()) {
                throw new IllegalArgumentException("cannot read " + photo);
            }
            Random rng = new Random(AlignmentPairs.mix(seed));
            int width = (int) Math.round(scene.cols() / (1 + 2 * REAL_MARGIN));
            int height = (int) Math.round(scene.rows() / (1 + 2 * REAL_MARGIN));
            Homography truth = AlignmentPairs.randomMotion(rng, width, height, motion);
            double[] gains = randomGains(rng);
            double exposure = 1 + AlignmentPairs.uniform(rng, -0.15, 0.15);
            String name = stem(photo);
            // Views under intake's 512-px minimum would be refused before alignment in real use: kept apart.
            String kind = Math.min(width, height) < MIN_SIDE_PX ? "real-small" : "real";
            return AlignmentPairs.fromScene("real-" + name, kind, scene, scene, width, height, truth, gains, exposure,
                    JPEG_QUALITY, describe(truth, width, height, gains, exposure));
        } finally {
            scene.release();
        }
    }

    /** Two different photos (different patients, sites or subjects), whole. */
    public static AlignmentPair unrelatedPair(Path a, Path b) {
        Mat ma = Imgcodecs.imread(a.toString(), Imgcodecs.IMREAD_COLOR);
        Mat mb = Imgcodecs.imread(b.toString(), Imgcodecs.IMREAD_COLOR);
        try {
            return AlignmentPairs.unrelated("unrelated-" + stem(a) + "-vs-" + stem(b), ma, mb, Integer.MAX_VALUE,
                    Integer.MAX_VALUE, JPEG_QUALITY, "different photos");
        } finally {
            ma.release();
            mb.release();
        }
    }

    /** Two phantoms of different skin (seeds), same settings otherwise. */
    public AlignmentPair unrelatedPhantoms(long seedA, long seedB, int width, int height, double mmPerPx) {
        PhantomSpec a = PhantomSpec.builder().size(width, height).mmPerPx(mmPerPx).seed(seedA).jpegQuality(0).hairs(2).build();
        PhantomSpec b = a.toBuilder().seed(seedB).lightAzimuthDeg(200).build();
        try (Phantom pa = renderer.render(a); Phantom pb = renderer.render(b)) {
            return AlignmentPairs.unrelated("unrelated-phantom-" + seedA + "-vs-" + seedB, pa.bgr(), pb.bgr(), width, height,
                    JPEG_QUALITY, "different phantom skin");
        }
    }

    public Row evaluate(AlignmentPair pair) {
        long t0 = System.nanoTime();
        Alignment a = aligner.align(pair.before(), pair.after(), Optional.empty(), Optional.ofNullable(pair.afterValid()));
        double ms = (System.nanoTime() - t0) / 1e6;
        double error = Double.NaN;
        double beforeError = Double.NaN;
        if (a.ok() && pair.related()) {
            Homography h = a.afterToBefore().orElseThrow();
            error = h.cornerErrorPx(pair.afterToBefore(), pair.after().cols(), pair.after().rows());
            beforeError = pair.afterToBefore().inverse().cornerErrorPx(h.inverse(), pair.before().cols(), pair.before().rows());
        }
        return new Row(pair.name(), pair.kind(), pair.related(), a.ok(), a.reason(), error, beforeError, a.matches(), a.inliers(),
                a.eccCorrelation(), a.overlapFraction(), ms, a.featureMs(), a.refineMs(), pair.description());
    }

    /** Real close-ups in {@code dir} (PNG/JPEG files), sorted by name; empty when the folder is absent. */
    public static List<Path> photosIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("(?i).*\\.(png|jpe?g)$")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** White-balance gains on linear R, G, B, each 1 ± 15 %, drawn in that order. */
    private static double[] randomGains(Random rng) {
        return new double[] {1 + AlignmentPairs.uniform(rng, -0.15, 0.15), 1 + AlignmentPairs.uniform(rng, -0.15, 0.15),
            1 + AlignmentPairs.uniform(rng, -0.15, 0.15)};
    }

    static String describe(Homography truth, int width, int height, double[] gains, double exposure) {
        double[] c = truth.apply((width - 1) / 2.0, (height - 1) / 2.0);
        double[] right = truth.apply((width - 1) / 2.0 + 1, (height - 1) / 2.0);
        double angle = Math.toDegrees(Math.atan2(right[1] - c[1], right[0] - c[0]));
        double zoom = Math.sqrt(truth.areaScaleAt((width - 1) / 2.0, (height - 1) / 2.0));
        return String.format("rotation %.1f°, zoom %.2f, centre shift %.0f,%.0f px, gains %.2f/%.2f/%.2f, exposure %.2f",
                angle, zoom, c[0] - (width - 1) / 2.0, c[1] - (height - 1) / 2.0, gains[0], gains[1], gains[2], exposure);
    }

    private static String stem(Path p) {
        return p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }

}
