package org.dermatrend.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.measure.ConfigScars;
import org.dermatrend.measure.ScarDetector;
import org.dermatrend.relief.ReliefEstimator;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.relief.ShadingBaseline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped scar-relief weights against the committed held-out phantoms (datasets/phantoms/scars,
 * made by {@code eval-scars --reduced --write-set}, seeds the network never saw), measured like
 * {@code eval-scars} does, so that CI notices a model or metric change that breaks them.
 *
 * <p>Ten phantoms are a small sample: the targets are held by the full 80-phantom run recorded
 * in models/scar-relief/README.md. Here the false-scar, Spearman and light targets hold as they are;
 * depth error (measured 0.053 mm here, 0.035 on the full set) and F1 (0.80 here, 0.89 on the full set:
 * one of the four depth phantoms has all its scars at 0.05 mm, under the 0.1 mm detection floor) are
 * held at their measured level with a small margin. And the network must beat the OpenCV baseline on
 * every figure, which it does by a wide margin.
 */
class CommittedScarSetTest {
    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void theShippedModelHoldsItsAccuracyOnTheHeldOutSetAndBeatsTheBaseline() throws IOException {
        List<EvalCase> cases = EvalSet.read(Path.of("datasets/phantoms/scars"));
        assertEquals(10, cases.size());
        ScarEvaluator.Report r;
        try (ReliefModel model = ReliefModel.loadPackaged()) {
            r = new ScarEvaluator(new ScarDetector(ConfigScars.defaults(), new ReliefEstimator(model))).evaluate(cases);
        }
        r.tables().values().forEach(t -> t.forEach(System.out::println));
        assertTrue(r.depthMedianAbsErrorMm() <= 0.06, "median depth error " + r.depthMedianAbsErrorMm() + " mm (measured 0.053)");
        assertTrue(r.meanDepthSpearman() >= 0.9, "Spearman " + r.meanDepthSpearman());
        assertTrue(r.f1() >= 0.75, "F1 " + r.f1() + " (measured 0.80)");
        assertTrue(r.falsePer10Cm2() <= 1, "false scars per 10 cm2 " + r.falsePer10Cm2());
        assertTrue(r.lightCvMax() <= 0.10, "light CV " + r.lightCvMax());
        assertTrue(r.typeAccuracy() >= 0.9, "kinds right " + r.typeAccuracy());

        // The baseline's gain as eval-scars fits it (400 training patches), to keep this test fast a fixed value.
        ScarEvaluator.Report b = new ScarEvaluator(new ScarDetector(ConfigScars.defaults(), new ShadingBaseline(0.7451)))
                .evaluate(cases);
        assertTrue(r.depthMedianAbsErrorMm() < b.depthMedianAbsErrorMm(), "depth error: model " + r.depthMedianAbsErrorMm()
                + " vs baseline " + b.depthMedianAbsErrorMm());
        assertTrue(r.f1() > b.f1() + 0.2, "F1: model " + r.f1() + " vs baseline " + b.f1());
        assertTrue(r.falsePer10Cm2() < b.falsePer10Cm2(), "false scars: model " + r.falsePer10Cm2() + " vs baseline "
                + b.falsePer10Cm2());
    }
}
