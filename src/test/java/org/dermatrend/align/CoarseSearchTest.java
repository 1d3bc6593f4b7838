package org.dermatrend.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.eval.AlignmentPair;
import org.dermatrend.eval.AlignmentPairs;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Mat;

/** The rotation-and-zoom grid finds a known similarity on a pore-dotted phantom. */
class CoarseSearchTest {
    private static final PhantomRenderer RENDERER = new PhantomRenderer();

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @ParameterizedTest
    @CsvSource({"0, 1.0, 0, 0", "10, 1.1, 40, -30", "-17, 0.85, -60, 20", "25, 1.2, 0, 50"})
    void findsRotationAndZoomOfAWarpedPhantom(double angleDeg, double zoom, double tx, double ty) {
        int w = 800;
        int h = 600;
        PhantomSpec spec = PhantomSpec.builder().size(1360, 1020).mmPerPx(0.025).seed(3).jpegQuality(0).build();
        Homography truth = AlignmentPairs.similarityForTest(w, h, angleDeg, zoom, tx, ty);
        try (Phantom p = RENDERER.render(spec);
             AlignmentPair pair = AlignmentPairs.fromScene("t", "phantom", p.bgr(), p.bgr(), w, h, truth,
                     new double[] {1, 1, 1}, 1, 0, "")) {
            Mat sb = StructureImage.compute(pair.before(), 1.0);
            Mat sa = StructureImage.compute(pair.after(), 1.0);
            CoarseSearch.Guess g = CoarseSearch.search(sb, sa, ConfigAlignment.defaults());
            sb.release();
            sa.release();
            double err = g.afterToBefore().cornerErrorPx(truth, w, h);
            System.out.printf("truth %.1f° ×%.2f: guess %.1f° ×%.3f response %.3f corner error %.1f px%n", angleDeg, zoom,
                    g.angleDeg(), g.scale(), g.response(), err);
            assertEquals(angleDeg, g.angleDeg(), 1.0);
            assertEquals(zoom, g.scale(), 0.02);
        }
    }
}
