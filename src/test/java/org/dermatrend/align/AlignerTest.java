package org.dermatrend.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.eval.AlignmentPair;
import org.dermatrend.eval.AlignmentPairs;
import org.dermatrend.eval.AlignmentSet;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The aligner against known transforms: the committed phantom pairs (rotation up to ±20°, zoom
 * 0.8–1.25, shift up to 15 % of the width, tilt up to 10°, another light, less redness, a white
 * balance and exposure change) within the corner-error targets; unrelated skin refused.
 */
class AlignerTest {
    private static final Path SET = Path.of("datasets/phantoms/alignment");
    private static final Aligner ALIGNER = new Aligner(ConfigAlignment.defaults());
    private static Phantom scene;

    @BeforeAll
    static void render() {
        OpenCvNatives.load();
        scene = new PhantomRenderer().render(PhantomSpec.builder().size(1300, 980).mmPerPx(0.025).seed(11).hairs(3)
                .jpegQuality(0).build());
    }

    @AfterAll
    static void release() {
        scene.close();
    }

    @Test
    void committedPairsAlignWithinTheCornerErrorTargetsAndUnrelatedOnesAreRefused() {
        List<Double> errors = new ArrayList<>();
        int unrelated = 0;
        for (AlignmentPair pair : AlignmentSet.read(SET)) {
            try (pair) {
                Alignment a = ALIGNER.align(pair.before(), pair.after(), Optional.empty(), Optional.ofNullable(pair.afterValid()));
                if (!pair.related()) {
                    unrelated++;
                    assertFalse(a.ok(), pair.name() + " shows different skin and must be refused");
                    assertTrue(a.afterToBefore().isEmpty(), "no transform for a refused pair");
                    continue;
                }
                assertTrue(a.ok(), pair.name() + " must align: " + a.reason() + " " + a.message());
                errors.add(a.afterToBefore().orElseThrow().cornerErrorPx(pair.afterToBefore(), pair.after().cols(),
                        pair.after().rows()));
            }
        }
        double[] e = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertEquals(8, e.length, "the committed set has 8 related pairs");
        assertEquals(2, unrelated, "and 2 unrelated ones");
        double median = 0.5 * (e[3] + e[4]);
        System.out.printf("committed alignment set: corner errors %s px, median %.3f%n", Arrays.toString(e), median);
        assertTrue(median <= 0.5, "median corner error " + median + " px");
        assertTrue(e[7] <= 1.5, "largest (≥ 95th percentile of 8) corner error " + e[7] + " px");
    }

    @Test
    void underTheSameLightTheTransformIsRecoveredToHundredthsOfAPixel() {
        Homography truth = AlignmentPairs.similarityForTest(960, 720, 12, 1.08, 35, -20)
                .after(Homography.of(1, 0, 0, 0, 1, 0, 2e-5, -1e-5, 1));
        try (AlignmentPair pair = AlignmentPairs.fromScene("same-light", "phantom", scene.bgr(), scene.bgr(), 960, 720, truth,
                new double[] {1.1, 1, 0.9}, 0.9, 92, "")) {
            Alignment a = ALIGNER.align(pair.before(), pair.after(), Optional.empty(), Optional.of(pair.afterValid()));
            assertTrue(a.ok(), a.message());
            double error = a.afterToBefore().orElseThrow().cornerErrorPx(truth, 960, 720);
            assertTrue(error < 0.1, "corner error " + error + " px");
            assertTrue(a.eccCorrelation() > 0.9, "correlation " + a.eccCorrelation());
        }
    }

    @Test
    void theSamePhotosAlwaysGiveTheSameTransform() {
        Homography truth = AlignmentPairs.similarityForTest(900, 700, -8, 0.93, -40, 30);
        try (AlignmentPair pair = AlignmentPairs.fromScene("again", "phantom", scene.bgr(), scene.bgr(), 900, 700, truth,
                new double[] {1, 1, 1}, 1, 92, "")) {
            double[] first = ALIGNER.align(pair.before(), pair.after(), Optional.empty(), Optional.of(pair.afterValid()))
                    .afterToBefore().orElseThrow().toArray();
            double[] second = ALIGNER.align(pair.before(), pair.after(), Optional.empty(), Optional.of(pair.afterValid()))
                    .afterToBefore().orElseThrow().toArray();
            assertArrayEquals(first, second, 0.0);
        }
    }

    @Test
    void oneAlignerServesSeveralThreadsAtOnceWithTheSameAnswers() throws Exception {
        Homography truth = AlignmentPairs.similarityForTest(800, 600, 7, 1.05, 25, 15);
        try (AlignmentPair pair = AlignmentPairs.fromScene("shared", "phantom", scene.bgr(), scene.bgr(), 800, 600, truth,
                new double[] {1, 1, 1}, 1, 92, "")) {
            double[] alone = ALIGNER.align(pair.before(), pair.after(), Optional.empty(), Optional.of(pair.afterValid()))
                    .afterToBefore().orElseThrow().toArray();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<double[]>> runs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    runs.add(pool.submit(() -> ALIGNER.align(pair.before(), pair.after(), Optional.empty(),
                            Optional.of(pair.afterValid())).afterToBefore().orElseThrow().toArray()));
                }
                for (java.util.concurrent.Future<double[]> run : runs) {
                    assertArrayEquals(alone, run.get(), 0.0);
                }
                // The coarse search shared out over two threads finds the same cell, hence the same transform.
                assertArrayEquals(alone, new Aligner(ConfigAlignment.defaults(), 2).align(pair.before(), pair.after(),
                        Optional.empty(), Optional.of(pair.afterValid())).afterToBefore().orElseThrow().toArray(), 0.0);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aFollowUpThatBarelyOverlapsIsRefused() {
        // Shifted by three quarters of the width: a quarter of the baseline is shown.
        try (AlignmentPair pair = AlignmentPairs.fromScene("sliver", "phantom", scene.bgr(), scene.bgr(), 480, 360,
                Homography.translation(0.75 * 480, 0), new double[] {1, 1, 1}, 1, 92, "")) {
            Alignment a = ALIGNER.align(pair.before(), pair.after(), Optional.empty(), Optional.of(pair.afterValid()));
            assertFalse(a.ok(), "overlap " + a.overlapFraction());
            assertTrue(a.afterToBefore().isEmpty());
        }
    }

    @Test
    void theOverlapGateRefusesAnAlignedPairThatSharesTooLittle() {
        Aligner strict = new Aligner(ConfigAlignment.defaults().withMinOverlapFraction(0.7));
        // Shifted by 45 % of the width: 55 % of the baseline is shown, under a 70 % minimum.
        try (AlignmentPair pair = AlignmentPairs.fromScene("half", "phantom", scene.bgr(), scene.bgr(), 480, 360,
                Homography.translation(0.45 * 480, 0), new double[] {1, 1, 1}, 1, 92, "")) {
            Alignment a = strict.align(pair.before(), pair.after(), Optional.empty(), Optional.of(pair.afterValid()));
            assertFalse(a.ok());
            assertEquals("too_little_overlap", a.reason(), a.message());
            assertEquals(0.55, a.overlapFraction(), 0.02);
            assertTrue(a.afterToBefore().isEmpty());
        }
    }

    @Test
    void aFlatImageIsRefusedNotGuessed() {
        Mat grey = new Mat(600, 800, CvType.CV_8UC3, new Scalar(150, 160, 190));
        Alignment a = ALIGNER.align(scene.bgr(), grey, Optional.empty(), Optional.empty());
        grey.release();
        assertFalse(a.ok());
        assertTrue(a.reason().equals("too_few_features") || a.reason().equals("no_consistent_match"), a.reason());
    }

    @Test
    void aZoomBeyondTheSearchedRangeIsRefused() {
        Homography truth = AlignmentPairs.similarityForTest(640, 480, 0, 1.8, 0, 0);
        try (AlignmentPair pair = AlignmentPairs.fromScene("zoomed", "phantom", scene.bgr(), scene.bgr(), 640, 480, truth,
                new double[] {1, 1, 1}, 1, 92, "")) {
            Alignment a = ALIGNER.align(pair.before(), pair.after(), Optional.empty(), Optional.of(pair.afterValid()));
            assertFalse(a.ok(), "a 1.8x zoom is outside 1/1.35..1.35 and must not be reported as aligned");
        }
    }
}
