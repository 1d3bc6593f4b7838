package org.dermatrend.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.opencv.core.Mat;

/** The rotation-and-zoom grid finds a known similarity on a pore-dotted phantom, to within its steps. */
class CoarseSearchTest {
    private static Phantom scene;

    @BeforeAll
    static void render() {
        OpenCvNatives.load();
        scene = new PhantomRenderer().render(PhantomSpec.builder().size(1360, 1020).mmPerPx(0.025).seed(3).jpegQuality(0).build());
    }

    @AfterAll
    static void release() {
        scene.close();
    }

    @ParameterizedTest
    @CsvSource({"0, 1.0, 0, 0", "10, 1.1, 40, -30", "-17, 0.85, -60, 20", "25, 1.2, 0, 50", "-28, 0.78, 100, 80"})
    void findsRotationAndZoomOfAWarpedPhantom(double angleDeg, double zoom, double tx, double ty) {
        int w = 800;
        int h = 600;
        Homography truth = AlignmentPairs.similarityForTest(w, h, angleDeg, zoom, tx, ty);
        try (AlignmentPair pair = AlignmentPairs.fromScene("t", "phantom", scene.bgr(), scene.bgr(), w, h, truth,
                new double[] {1, 1, 1}, 1, 0, "")) {
            Mat sb = StructureImage.compute(pair.before(), 1.0);
            Mat sa = StructureImage.compute(pair.after(), 1.0);
            CoarseSearch.Guess g = CoarseSearch.search(sb, sa, ConfigAlignment.defaults());
            sb.release();
            sa.release();
            // The fine grid's steps are 0.75° and 1.1 %: the guess is within one of them.
            assertEquals(angleDeg, g.angleDeg(), 1.0, "rotation");
            assertEquals(zoom, g.scale(), zoom * 0.015, "zoom");
            assertTrue(g.afterToBefore().cornerErrorPx(truth, w, h) < 6, "corners within a few pixels: " + g);
        }
    }
}
