package org.dermatrend.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QualityGateTest {
    private static final PhantomRenderer RENDERER = new PhantomRenderer();

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    private static PhantomSpec.Builder base(long seed) {
        return PhantomSpec.builder().size(1000, 750).seed(seed).grayCard(true);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void cleanPhantomsPassForEverySkinType(int fitzpatrick) {
        try (Phantom p = RENDERER.render(base(100 + fitzpatrick).fitzpatrick(fitzpatrick).hairs(10).icepickScars(1).boxcarScars(1).build())) {
            QualityReport q = Phantoms.quality(p);
            assertTrue(q.ok(), () -> "clean type " + fitzpatrick + " failed: " + codes(q));
            assertTrue(q.score() >= 50, "score " + q.score());
            assertEquals(List.of(), codes(q));
        }
    }

    @ParameterizedTest(name = "{0} on type {1} is flagged {2}")
    @CsvSource({
        "blurred, 2, blurred", "blurred, 6, blurred",
        "overexposed, 1, highlights_clipped", "overexposed, 3, overexposed",
        "dark, 2, underexposed", "dark, 6, underexposed",
        "skin-poor, 2, too_little_skin", "skin-poor, 5, too_little_skin",
        "glare, 2, glare", "glare, 6, glare",
        "uneven, 2, uneven_illumination", "uneven, 6, uneven_illumination"})
    void defectivePhantomsAreFlagged(String preset, int fitzpatrick, String expectedCode) {
        try (Phantom p = RENDERER.render(base(200 + fitzpatrick).fitzpatrick(fitzpatrick).preset(preset).build())) {
            QualityReport q = Phantoms.quality(p);
            assertFalse(q.ok(), preset + " passed");
            assertTrue(q.score() < 50, "score " + q.score());
            QualityIssue issue = q.issues().stream().filter(i -> i.code().equals(expectedCode)).findFirst()
                    .orElseThrow(() -> new AssertionError(preset + ": expected " + expectedCode + ", got " + codes(q)));
            assertEquals(QualityIssue.ERROR, issue.severity());
            assertTrue(issue.value() != null && issue.threshold() != null, "issue carries value and threshold");
            assertFalse(issue.message().isBlank());
        }
    }

    @Test
    void everyCheckReportsItsValueAndThreshold() {
        try (Phantom p = RENDERER.render(base(7).build())) {
            QualityReport q = Phantoms.quality(p);
            List<String> names = q.checks().stream().map(QualityCheck::name).distinct().collect(Collectors.toList());
            assertEquals(List.of("edgeBlurPx", "highlightsClipped", "shadowsClipped", "exposure", "illuminationVariation",
                    "glareFraction", "skinFraction", "mmPerPx"), names);
        }
    }

    @Test
    void coarseScaleCannotResolvePoresAndUnknownScaleIsAWarning() {
        try (Phantom p = RENDERER.render(base(8).build()); DecodedPhoto photo = Phantoms.photo(p)) {
            PhotoContext coarse = new PhotoContext(OptionalDouble.of(0.15), Optional.empty(), Optional.empty());
            try (PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, coarse)) {
                assertTrue(codes(prepared.quality()).contains("resolution_too_low"));
                assertFalse(prepared.quality().ok());
            }
            try (PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, PhotoContext.none())) {
                QualityIssue w = prepared.quality().issues().stream().filter(i -> i.code().equals("scale_unknown")).findFirst().orElseThrow();
                assertEquals(QualityIssue.WARNING, w.severity());
                assertTrue(prepared.quality().ok(), "a missing scale alone does not fail the gate: " + codes(prepared.quality()));
            }
        }
    }

    /** Without a grey card the photo passes, with a warning that its colours are the camera's own; with the card, none. */
    @Test
    void aPhotoWithoutAGreyCardIsWarnedThatItsColoursAreNotCalibrated() {
        try (Phantom p = RENDERER.render(base(12).grayCard(true).build()); DecodedPhoto photo = Phantoms.photo(p)) {
            try (PreparedPhoto without = Phantoms.PREPARER.prepare(photo, Phantoms.context(p, false))) {
                QualityIssue w = without.quality().issues().stream().filter(i -> i.code().equals("color_not_calibrated"))
                        .findFirst().orElseThrow(() -> new AssertionError("no color_not_calibrated: " + without.quality().issues()));
                assertEquals(QualityIssue.WARNING, w.severity());
                assertTrue(w.message().contains("grey card"), w.message());
                assertTrue(without.quality().ok(), "a warning only");
            }
            try (PreparedPhoto with = Phantoms.PREPARER.prepare(photo, Phantoms.context(p, true))) {
                assertTrue(with.calibration().calibrated(), with.calibration().problem());
                assertTrue(with.quality().issues().stream().noneMatch(i -> i.code().equals("color_not_calibrated")));
            }
        }
    }

    @Test
    void aGreyReferenceOffTheCardOrOutsideTheImageIsReported() {
        try (Phantom p = RENDERER.render(base(9).hairs(40).build()); DecodedPhoto photo = Phantoms.photo(p)) {
            PhotoContext outside = new PhotoContext(OptionalDouble.of(0.025), Optional.of(new PixelRect(900, 700, 300, 300)), Optional.empty());
            try (PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, outside)) {
                assertTrue(codes(prepared.quality()).contains("gray_ref_unusable"));
                assertFalse(prepared.calibration().calibrated());
            }
            // Half card, half skin: not uniform, so not a grey card.
            PixelRect c = new PixelRect(p.truth().grayCard().x() + p.truth().grayCard().width() / 2, p.truth().grayCard().y(),
                    p.truth().grayCard().width(), p.truth().grayCard().height());
            PhotoContext straddling = new PhotoContext(OptionalDouble.of(0.025), Optional.of(c), Optional.empty());
            try (PreparedPhoto prepared = Phantoms.PREPARER.prepare(photo, straddling)) {
                assertTrue(codes(prepared.quality()).contains("gray_ref_not_neutral"), codes(prepared.quality()).toString());
            }
        }
    }

    static List<String> codes(QualityReport q) {
        return q.issues().stream().filter(i -> QualityIssue.ERROR.equals(i.severity())).map(QualityIssue::code)
                .collect(Collectors.toList());
    }

    @Test
    void clippedSharesCountOnlyPixelsThatHoldThePhoto() {
        // A 100×100 frame: the left half black (transparent, or outside a compared region), the right
        // half skin-grey with a 10×10 white patch.
        org.opencv.core.Mat bgr = new org.opencv.core.Mat(100, 100, org.opencv.core.CvType.CV_8UC3, new org.opencv.core.Scalar(0, 0, 0));
        bgr.submat(0, 100, 50, 100).setTo(new org.opencv.core.Scalar(120, 140, 180));
        bgr.submat(0, 10, 60, 70).setTo(new org.opencv.core.Scalar(255, 255, 255));
        org.opencv.core.Mat valid = org.opencv.core.Mat.zeros(100, 100, org.opencv.core.CvType.CV_8UC1);
        valid.submat(0, 100, 50, 100).setTo(new org.opencv.core.Scalar(255));
        org.opencv.core.Rect frame = new org.opencv.core.Rect(0, 0, 100, 100);
        double[] all = QualityGate.clippedShares(bgr, frame, Optional.empty());
        double[] photo = QualityGate.clippedShares(bgr, frame, Optional.of(valid));
        bgr.release();
        valid.release();
        assertEquals(0.5, all[1], 1e-9, "without the mask the black half reads as crushed shadows");
        assertEquals(0.01, all[0], 1e-9);
        assertEquals(0.0, photo[1], 1e-9, "with it, none of the photo is crushed");
        assertEquals(0.02, photo[0], 1e-9, "and the white patch is 2 % of the photo");
    }
}
