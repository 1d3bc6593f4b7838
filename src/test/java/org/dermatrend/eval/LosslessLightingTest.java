package org.dermatrend.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dermatrend.analysis.Services;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a grey card in a lossless photo, white-balance casts of ±15 % per channel and exposure ±15 %
 * move the erythema index by less than a quarter of one haemoglobin step (0.1) of the same skin.
 * Rendered at test time (PNG phantoms are too large to commit), at 1000×750.
 */
class LosslessLightingTest {
    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void castsAndExposureMoveTheErythemaIndexByLessThanAQuarterStep() {
        PhantomSpec.Builder skin = PhantomSpec.builder().size(1000, 750).seed(777).fitzpatrick(4).grayCard(true).jpegQuality(0);
        try (Services services = Services.create(ConfigIntake.defaults())) {
            check(new Evaluator(services), skin);
        }
    }

    private static void check(Evaluator evaluator, PhantomSpec.Builder skin) {
        PhantomRenderer renderer = new PhantomRenderer();
        double ei05 = ei(evaluator, renderer, skin.haemoglobin(0.5));
        double ei06 = ei(evaluator, renderer, skin.haemoglobin(0.6));
        double quarter = Math.abs(ei06 - ei05) / 4;
        List<Double> shifts = new ArrayList<>();
        double[][] casts = {{1.15, 1.00, 0.85}, {0.85, 1.00, 1.15}, {1.00, 0.85, 1.15}};
        for (double[] c : casts) {
            for (double exposure : new double[] {0.85, 1.15}) {
                double e = ei(evaluator, renderer, skin.haemoglobin(0.5).gains(c[0], c[1], c[2]).exposure(exposure));
                shifts.add(Math.abs(e - ei05));
            }
        }
        double worst = shifts.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("lossless lighting: worst erythema-index change %.3f, quarter step %.3f%n", worst, quarter);
        assertTrue(worst < quarter, "worst change " + worst + " vs quarter step " + quarter);
    }

    private static double ei(Evaluator evaluator, PhantomRenderer renderer, PhantomSpec.Builder spec) {
        PhantomSuites.Planned p = new PhantomSuites.Planned("lighting", "lighting", "x", spec.build(), null);
        return evaluator.measure(PhantomSuites.render(renderer, p)).erythemaIndex();
    }
}
