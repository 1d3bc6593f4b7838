package org.dermatrend.mask;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.quality.Phantoms;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;

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
}
