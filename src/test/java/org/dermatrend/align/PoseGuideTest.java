package org.dermatrend.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.eval.AlignmentPair;
import org.dermatrend.eval.AlignmentPairs;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * The live capture guidance against frames whose pose is known exactly (a phantom scene seen through a chosen
 * rotation, zoom and shift): the measured pose matches the truth, the hints point the right way, a frame inside
 * the tolerance is "ok", and unrelated skin is "lost".
 */
class PoseGuideTest {
    private static final int W = 1200;
    private static final int H = 900;
    private static Phantom scene;
    private static Phantom other;
    private static final PoseGuide GUIDE = new PoseGuide();

    @BeforeAll
    static void render() {
        OpenCvNatives.load();
        PhantomRenderer renderer = new PhantomRenderer();
        scene = renderer.render(PhantomSpec.builder().size(1800, 1350).seed(4242).fitzpatrick(3).build());
        other = renderer.render(PhantomSpec.builder().size(1800, 1350).seed(777).fitzpatrick(3).build());
    }

    @AfterAll
    static void release() {
        scene.close();
        other.close();
    }

    /** A frame of the scene seen through rotation (deg, + clockwise), zoom (the view's size over the baseline's) and shift. */
    private static AlignmentPair frame(double rotationDeg, double zoom, double shiftX, double shiftY) {
        Homography frameToBaseline = AlignmentPairs.similarityForTest(W, H, rotationDeg, zoom, shiftX * W, shiftY * H);
        return AlignmentPairs.fromScene("guide", "pose", scene.bgr(), scene.bgr(), W, H, frameToBaseline, new double[] {1, 1, 1}, 1,
                90, "pose");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1.00, 0.00, 0.00, ok, ''",
        "3, 1.02, 0.015, -0.01, ok, ''",
        "0, 1.00, 0.12, 0.00, adjust, Move the camera left",
        "0, 1.00, -0.10, 0.02, adjust, Move the camera right",
        "0, 1.00, 0.01, 0.10, adjust, Move the camera up",
        "0, 1.20, 0.00, 0.00, adjust, Move closer",
        "0, 0.85, 0.00, 0.00, adjust, Move back",
        "12, 1.00, 0.00, 0.00, adjust, Rotate the camera counter-clockwise (by about 12°)",
        "-10, 1.00, 0.00, 0.00, adjust, Rotate the camera clockwise (by about 10°)"})
    void measuresThePoseAndSaysWhatToDo(double rotation, double zoom, double shiftX, double shiftY, String state, String hint) {
        try (AlignmentPair ref = frame(0, 1, 0, 0); PoseGuide.Reference base = PoseGuide.reference(ref.before());
             AlignmentPair p = frame(rotation, zoom, shiftX, shiftY)) {
            PoseGuide.Guidance g = GUIDE.guide(base, p.after());
            System.out.printf("guide: truth rot %+.1f zoom %.2f shift %+.3f,%+.3f -> %s %s (rot %+.2f scale %.3f shift %+.3f,%+.3f tilt %.3f, %.0f ms)%n",
                    rotation, zoom, shiftX, shiftY, g.state(), g.hints(), g.rotationDeg(), g.scale(), g.shiftX(), g.shiftY(), g.tilt(), g.ms());
            assertEquals(state, g.state(), g.hints().toString());
            if (!hint.isEmpty()) {
                assertEquals(hint, g.hints().get(0), g.hints().toString());
            }
            assertEquals(rotation, g.rotationDeg(), 0.5, "rotation");
            assertEquals(zoom, g.scale(), 0.01, "scale");
            assertEquals(shiftX, g.shiftX(), 0.005, "shift x");
            assertEquals(shiftY, g.shiftY(), 0.005, "shift y");
        }
    }

    @Test
    void unrelatedSkinIsLost() {
        try (AlignmentPair ref = frame(0, 1, 0, 0); PoseGuide.Reference base = PoseGuide.reference(ref.before())) {
            Mat unrelated = other.bgr().submat(0, H, 0, W);
            PoseGuide.Guidance g = GUIDE.guide(base, unrelated);
            assertEquals("lost", g.state(), g.hints().toString());
            assertTrue(g.hints().get(0).startsWith("Point the camera"), g.hints().toString());
        }
    }

    @Test
    void aDarkFrameIsToldSo() {
        try (AlignmentPair ref = frame(0, 1, 0, 0); PoseGuide.Reference base = PoseGuide.reference(ref.before());
             AlignmentPair p = frame(0, 1, 0, 0)) {
            Mat dark = new Mat();
            p.after().convertTo(dark, -1, 0.25, 0);
            PoseGuide.Guidance g = GUIDE.guide(base, dark);
            dark.release();
            assertTrue(g.hints().stream().anyMatch(h -> h.startsWith("Too dark")), g.hints().toString());
            assertEquals(List.of(), g.hints().stream().filter(h -> h.startsWith("Move")).toList(), "the pose is right");
        }
    }
}
