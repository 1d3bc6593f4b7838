package org.dermatrend.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.quality.Phantoms;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** The mask against the renderer's exact skin truth (skin = not backdrop, card or hair). */
class SkinMaskerTest {
    private static final PhantomRenderer RENDERER = new PhantomRenderer();

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @ParameterizedTest(name = "{0} type {1}")
    @CsvSource({"clean, 1", "clean, 6", "hairy, 2", "hairy, 5", "skin-poor, 3", "scarred, 4"})
    void maskAgreesWithTheTruth(String preset, int fitzpatrick) {
        PhantomSpec spec = PhantomSpec.builder().size(1000, 750).seed(50 + fitzpatrick).fitzpatrick(fitzpatrick)
                .grayCard(true).preset(preset).build();
        try (Phantom p = RENDERER.render(spec); DecodedPhoto photo = Phantoms.photo(p);
             PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, Phantoms.context(p, true))) {
            Mat mask = prepared.mask().mask();
            Mat truth = p.skinTruth();
            Mat both = new Mat();
            Mat either = new Mat();
            Core.bitwise_and(mask, truth, both);
            Core.bitwise_or(mask, truth, either);
            double iou = Core.countNonZero(both) / (double) Core.countNonZero(either);
            double precision = Core.countNonZero(both) / (double) Core.countNonZero(mask);
            both.release();
            either.release();
            System.out.printf("skin mask %s type %d: IoU %.3f, precision %.4f%n", preset, fitzpatrick, iou, precision);
            assertTrue(iou > 0.9, preset + " IoU " + iou);
            assertTrue(precision > 0.98, preset + " share of the mask that is truly skin " + precision);
            if ("hairy".equals(preset)) {
                Mat hair = new Mat();
                Mat kept = new Mat();
                Core.bitwise_not(truth, hair);
                Core.bitwise_and(hair, mask, kept);
                int hairInMask = Core.countNonZero(kept);
                int hairPx = Core.countNonZero(hair) ;
                hair.release();
                kept.release();
                assertTrue(hairInMask < 0.1 * hairPx, "hair and card pixels left in the mask: " + hairInMask + " of " + hairPx);
            }
        }
    }

    /**
     * The pruned opening equals OpenCV's opening of the whole mask, pixel for pixel: random masks of
     * specks, bars, discs and blocks, some cut by the image border or a corner, for every disc size.
     */
    @Test
    void prunedOpeningEqualsTheFullOpening() {
        Random rng = new Random(61);
        int[] sizes = {3, 7, 15, 31, 61};
        for (int trial = 0; trial < 60; trial++) {
            int cols = 80 + rng.nextInt(300);
            int rows = 80 + rng.nextInt(300);
            int size = sizes[trial % sizes.length];
            try (MatScope scope = new MatScope()) {
                Mat mask = scope.track(Mat.zeros(rows, cols, CvType.CV_8UC1));
                int shapes = trial % 7 == 0 ? 0 : 1 + rng.nextInt(25);
                for (int k = 0; k < shapes; k++) {
                    int x = rng.nextInt(cols + 40) - 20;
                    int y = rng.nextInt(rows + 40) - 20;
                    int w = 1 + rng.nextInt(rng.nextBoolean() ? 8 : 2 * size + 10);
                    int h = 1 + rng.nextInt(rng.nextBoolean() ? 8 : 2 * size + 10);
                    if (rng.nextBoolean()) {
                        Imgproc.rectangle(mask, new Point(x, y),
                                new Point(x + w, y + h), new Scalar(255), -1);
                    } else {
                        Imgproc.ellipse(mask, new Point(x, y), new Size(w, h),
                                rng.nextInt(180), 0, 360, new Scalar(255), -1);
                    }
                }
                Mat expected = scope.mat();
                Imgproc.morphologyEx(mask, expected, Imgproc.MORPH_OPEN,
                        scope.track(Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE,
                                new Size(size, size))));
                Mat actual = scope.track(mask.clone());
                SkinMasker.openBinary(scope, actual, size);
                Mat diff = scope.mat();
                Core.absdiff(expected, actual, diff);
                assertEquals(0, Core.countNonZero(diff),
                        "trial " + trial + ": " + cols + "x" + rows + ", disc " + size + ", " + shapes + " shapes, "
                                + Core.countNonZero(expected) + " px expected");
            }
        }
    }
}
