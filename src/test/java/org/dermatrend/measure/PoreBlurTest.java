package org.dermatrend.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dermatrend.analysis.ServicesExtension;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.quality.Phantoms;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.quality.QualityIssue;
import org.dermatrend.wire.PoresInfo;
import org.dermatrend.wire.ScoreInfo;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.dermatrend.trend.MdcRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same skin rendered at several optical blurs: every photo the gate measures pores on reads their mean and
 * median diameter near the sharpest rendering's (light skin within the MDC up to edgeBlurPx 0.8, 2.5 times it up to the
 * limit; type VI within four times it: the gap the pores issue's blur item leaves open), and on the blurs that would move them further
 * the pore numbers are withheld ({@code blurred_for_pores}) or the photo refused ({@code blurred}). A blurred pore reads larger (its half-maximum contour spreads), most on dark
 * skin; docs/metrics.md §4 has the table.
 */
class PoreBlurTest {
    private static final double[] BLURS_PX = {0.6, 0.8, 1.0, 1.4, 2.6};
    @RegisterExtension
    static final ServicesExtension SERVICES = new ServicesExtension();

    private record Reading(double blur, double edgeBlurPx, boolean blurred, Double mean, Double median) {
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {2, 6})
    void poreSizesStayWithinTheirMdcUpToTheGatesBlurThreshold(int fitzpatrick) {
        MdcRegistry mdc = MdcRegistry.packaged();
        // What the pore blur limit guarantees today (docs/metrics.md §4): light skin within the MDC up to edgeBlurPx
        // 0.8 and within 2.5 times it up to the limit (measured 2.0 x at 0.98 against the 2026-12-03 MDC of 0.0076 mm:
        // the blur's effect is what it was, the MDC it is measured against fell 15 %; the bound was 2 x until then);
        // type VI within four times it (measured: the mean 2.85 x, the median 3.2 x at 0.91; 3.6 x before pore outlines
        // were drawn against the skin's level). The pores issue's target, the MDC for every tone, needs sizes corrected
        // for blur; these bounds keep the gap from widening unseen.
        double meanMdc = mdc.get(MetricKey.PORES_MEAN_DIAMETER_MM).orElseThrow().mdc95();
        double medianMdc = mdc.get(MetricKey.PORES_MEDIAN_DIAMETER_MM).orElseThrow().mdc95();
        List<Reading> readings = new ArrayList<>();
        PhantomRenderer renderer = new PhantomRenderer();
        for (double blur : BLURS_PX) {
            PhantomSpec spec = PhantomSpec.builder().size(1200, 900).mmPerPx(0.025).seed(41).fitzpatrick(fitzpatrick)
                    .grayCard(true).blurSigmaPx(blur).build();
            try (Phantom p = renderer.render(spec); DecodedPhoto photo = Phantoms.photo(p);
                 SkinScore score = SERVICES.services().scorer().score(photo, Phantoms.context(p, true))) {
                boolean withheld = score.quality().issues().stream().map(QualityIssue::code)
                        .anyMatch(QualityGate.PORES_WITHHELD::equals);
                // A photo past the gate's own limit fails it (and stays out of every trend); its pores are shown as seen.
                boolean failed = !score.quality().ok();
                boolean blurred = withheld || failed;
                PoresInfo shown = ScoreInfo.of("t", photo, score, Phantoms.context(p, true), false).pores();
                if (withheld) {
                    assertNull(shown.densityPerCm2(), "no pore density on a photo too blurred for pores");
                    assertNull(shown.meanDiameterMm(), "no pore size on a photo too blurred for pores");
                    assertNull(shown.areaFraction());
                } else if (!failed) {
                    assertEquals(shown.meanDiameterMm(), score.pores().meanDiameterPx() * 0.025, 1e-4, "the score shows what was measured");
                }
                double edge = score.quality().checks().stream().filter(c -> c.name().equals("edgeBlurPx"))
                        .findFirst().orElseThrow().value();
                PoreResult r = score.pores();
                readings.add(new Reading(blur, edge, blurred, r.meanDiameterPx() * 0.025, r.medianDiameterPx() * 0.025));
            }
        }
        Reading sharpest = readings.get(0);
        assertFalse(sharpest.blurred(), "the sharpest rendering passes: " + sharpest);
        boolean refusedOne = false;
        for (Reading r : readings) {
            System.out.printf(Locale.ROOT, "type %d, optical blur %.1f px: edgeBlurPx %.2f%s, mean %.4f mm (%+.4f), median %.4f mm (%+.4f)%n",
                    fitzpatrick, r.blur(), r.edgeBlurPx(), r.blurred() ? " (pores withheld, or the photo refused)" : "", r.mean(),
                    r.mean() - sharpest.mean(), r.median(), r.median() - sharpest.median());
            if (r.blurred()) {
                refusedOne = true;
                continue;
            }
            double allowance = fitzpatrick >= 5 ? 4 : r.edgeBlurPx() <= 0.8 ? 1 : 2.5;
            assertTrue(Math.abs(r.mean() - sharpest.mean()) <= allowance * meanMdc,
                    "mean diameter moved beyond " + allowance + " x its MDC " + meanMdc + ": " + r);
            assertTrue(Math.abs(r.median() - sharpest.median()) <= allowance * medianMdc,
                    "median diameter moved beyond " + allowance + " x its MDC " + medianMdc + ": " + r);
        }
        assertTrue(refusedOne, "the blurrier renderings have no pore numbers: " + readings);
        assertEquals(true, readings.get(readings.size() - 1).blurred(), "the blurriest has none");
    }

    /**
     * The same pores on type II and type VI skin, sharp: both read the truth's mean diameter within 4 % and each other
     * within 3 %. Dark skin's dim red channel is noisy, and a background that leaves out everything 0.04 darker than
     * itself comes out too bright on it; an outline drawn against that zero read type VI's pores 8 % larger than type
     * II's (and 10 % larger than the truth) before outlines were drawn against the skin's own level (§5 step 4).
     */
    @Test
    void darkSkinsNoiseDoesNotWidenPores() {
        PhantomRenderer renderer = new PhantomRenderer();
        double[] mean = new double[7];
        for (int type : new int[] {2, 6}) {
            PhantomSpec spec = PhantomSpec.builder().size(1200, 900).mmPerPx(0.025).seed(41).fitzpatrick(type)
                    .grayCard(true).build();
            try (Phantom p = renderer.render(spec); DecodedPhoto photo = Phantoms.photo(p);
                 SkinScore score = SERVICES.services().scorer().score(photo, Phantoms.context(p, true))) {
                double truth = p.truth().pores().stream().mapToDouble(q -> q.diameterMm()).average().orElseThrow();
                mean[type] = score.pores().meanDiameterPx() * 0.025;
                assertEquals(truth, mean[type], 0.04 * truth, "type " + type + ": mean pore diameter against the truth");
            }
        }
        assertEquals(mean[2], mean[6], 0.03 * mean[2], "the same pores on type II and type VI skin");
    }
}
