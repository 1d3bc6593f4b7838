package org.dermatrend.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

class PhantomRendererTest {
    private final PhantomRenderer renderer = new PhantomRenderer();

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedDoesNot() {
        PhantomSpec spec = PhantomSpec.builder().size(480, 360).seed(5).hairs(5).boxcarScars(1).grayCard(true).build();
        try (Phantom a = renderer.render(spec); Phantom b = renderer.render(spec);
             Phantom c = renderer.render(spec.toBuilder().seed(6).build())) {
            assertArrayEquals(a.encoded(), b.encoded());
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            try {
                assertEquals(json.writeValueAsString(a.truth()), json.writeValueAsString(b.truth()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError(e);
            }
            assertFalse(Arrays.equals(a.encoded(), c.encoded()));
        }
    }

    /**
     * A treatment course shrinks the same pores: at every session of a full course the pores sit where they sat
     * at the first, each narrower by the course's share, and the rest of the skin (pigment, red patches) is the
     * same. (Before poreScale, the series drew its pores at smaller diameters, so the rejection sampling accepted
     * other pores, used up another number of random draws, and later sessions of some seeds had new pores and
     * new red patches: a "−10 %" course was −6 to −12 % on the six trend-sensitivity skins.)
     */
    @Test
    void aCourseShrinksTheSamePoresAndKeepsTheRestOfTheSkin() {
        for (long seed : new long[] {92001, 92006}) {
            List<TreatmentSeries.Session> course = TreatmentSeries.sessions(seed, 5, 1000, 750, 0.025,
                    java.time.LocalDate.of(2026, 1, 5), 1, (int) (seed % 6 + 1));
            PhantomTruth first = truthWithoutView(course.get(0).spec());
            for (int k = 1; k < course.size(); k++) {
                PhantomTruth t = truthWithoutView(course.get(k).spec());
                double share = course.get(k).spec().poreScale();
                assertEquals(1 - TreatmentSeries.PORE_REDUCTION * k / 4.0, share, 1e-12);
                // The red patches fade (their strength falls) but stay where they were, as large as they were.
                assertEquals(first.erythema().size(), t.erythema().size());
                for (int e = 0; e < first.erythema().size(); e++) {
                    assertEquals(first.erythema().get(e).xPx(), t.erythema().get(e).xPx(), "seed " + seed + " session " + (k + 1));
                    assertEquals(first.erythema().get(e).yPx(), t.erythema().get(e).yPx());
                    assertEquals(first.erythema().get(e).radiusMm(), t.erythema().get(e).radiusMm());
                }
                assertEquals(first.pigments().melaninMean(), t.pigments().melaninMean(), 1e-12);
                // A pore at the frame's edge comes into full view as it shrinks: compare those seen in the first.
                int matched = 0;
                for (PhantomTruth.Pore p : first.pores()) {
                    PhantomTruth.Pore q = t.pores().stream()
                            .filter(o -> o.xPx() == p.xPx() && o.yPx() == p.yPx()).findFirst().orElseThrow(
                                    () -> new AssertionError("seed " + seed + ": pore at " + p.xPx() + "," + p.yPx() + " gone"));
                    assertEquals(p.diameterMm() * share, q.diameterMm(), 1e-12);
                    matched++;
                }
                assertEquals(first.pores().size(), matched);
            }
        }
    }

    private PhantomTruth truthWithoutView(PhantomSpec spec) {
        try (Phantom p = renderer.render(spec.toBuilder().view(1, 0, 0).build())) {
            return p.truth();
        }
    }

    /**
     * Counts pores with a method independent of the renderer (global threshold below the skin's
     * median grey, connected components) on an easy phantom, and compares with the truth.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "poreScale {0}")
    @org.junit.jupiter.params.provider.ValueSource(doubles = {1, 0.8})
    void poreCountAndSizeInPixelsMatchTheTruth(double poreScale) {
        // At 0.8 the truth's diameters are 0.8 of the drawn ones: pores drawn at their placed size would read 25 % over.
        PhantomSpec spec = PhantomSpec.builder().size(900, 700).seed(21).noise(0).blurSigmaPx(0).jpegQuality(0)
                .microReliefMm(0).erythemaPatches(0).poresPerCm2(40).poreDiameterMm(0.15, 0.30).poreDepthMm(0.02)
                .poreScale(poreScale).build();
        try (Phantom p = renderer.render(spec)) {
            Mat grey = new Mat();
            Imgproc.cvtColor(p.bgr(), grey, Imgproc.COLOR_BGR2GRAY);
            byte[] px = new byte[(int) grey.total()];
            grey.get(0, 0, px);
            int[] hist = new int[256];
            for (byte v : px) {
                hist[v & 0xff]++;
            }
            int median = 0;
            for (int acc = 0; acc < px.length / 2; median++) {
                acc += hist[median];
            }
            Mat dark = new Mat();
            Imgproc.threshold(grey, dark, median - 25, 255, Imgproc.THRESH_BINARY_INV);
            Mat labels = new Mat();
            Mat stats = new Mat();
            Mat centroids = new Mat();
            int n = Imgproc.connectedComponentsWithStats(dark, labels, stats, centroids, 8, CvType.CV_32S);
            List<Double> diametersMm = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                double area = stats.get(i, Imgproc.CC_STAT_AREA)[0];
                diametersMm.add(2 * Math.sqrt(area / Math.PI) * spec.mmPerPx());
            }
            int truth = p.truth().pores().size();
            assertTrue(truth > 100, "the phantom should have many pores, has " + truth);
            assertEquals(truth, diametersMm.size(), truth * 0.02, "pores found by thresholding vs truth");
            double measured = median(diametersMm);
            double expected = median(p.truth().pores().stream().map(PhantomTruth.Pore::diameterMm).toList());
            assertEquals(expected, measured, 0.1 * expected, "median equivalent diameter, mm");
            for (Mat m : new Mat[] {grey, dark, labels, stats, centroids}) {
                m.release();
            }
        }
    }

    @Test
    void heightMapHoldsTheScarsAndPoresOfTheTruth() {
        PhantomSpec spec = PhantomSpec.builder().size(800, 600).seed(3).icepickScars(2).boxcarScars(2).rollingScars(1)
                .microReliefMm(0).build();
        try (Phantom p = renderer.render(spec)) {
            assertEquals(5, p.truth().scars().size());
            for (PhantomTruth.Scar s : p.truth().scars()) {
                double h = p.heightMm().get((int) Math.round(s.yPx()), (int) Math.round(s.xPx()))[0];
                double tolerance = "icepick".equals(s.type()) ? 0.12 * s.depthMm() + 0.01 : 0.02 * s.depthMm() + 0.005;
                assertEquals(-s.depthMm(), h, tolerance, s.toString());
            }
            for (PhantomTruth.Pore pore : p.truth().pores().subList(0, 20)) {
                double h = p.heightMm().get((int) Math.round(pore.yPx()), (int) Math.round(pore.xPx()))[0];
                assertEquals(-pore.depthMm(), h, 0.15 * pore.depthMm());
            }
        }
    }

    @Test
    void skinToneFollowsFitzpatrickType() {
        double previous = Double.POSITIVE_INFINITY;
        double[] ita = new double[7];
        for (int type = 1; type <= 6; type++) {
            try (Phantom p = renderer.render(PhantomSpec.builder().size(200, 150).fitzpatrick(type).build())) {
                ita[type] = p.truth().pigments().itaDegrees();
                assertTrue(ita[type] < previous, "ITA must fall with each darker type: " + Arrays.toString(ita));
                previous = ita[type];
            }
        }
        // Usual ITA bands (Chardon 1991; Del Bino 2013): very light > 55 deg, dark < -30 deg.
        assertTrue(ita[1] > 41, "type I ITA " + ita[1]);
        assertTrue(ita[6] < -30, "type VI ITA " + ita[6]);
    }

    @Test
    void backdropAndCardShowInTheTruthMask() {
        try (Phantom p = renderer.render(PhantomSpec.builder().size(640, 480).preset("skin-poor").grayCard(true).build())) {
            assertEquals(0.8, p.truth().backgroundFraction(), 0.03);
            assertTrue(p.truth().grayCard() != null);
            PhantomTruth.GrayCard c = p.truth().grayCard();
            assertEquals(0, p.skinTruth().get(c.y() + c.height() / 2, c.x() + c.width() / 2)[0]);
            assertEquals(p.truth().skinFraction(), org.opencv.core.Core.countNonZero(p.skinTruth()) / (640.0 * 480), 1e-9);
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PhantomSpec.builder().fitzpatrick(7).build());
        assertTrue(e.getMessage().contains("fitzpatrick"));
        assertThrowsWithName("unknown preset", () -> PhantomSpec.builder().preset("sunny"));
    }

    private static void assertThrowsWithName(String text, org.junit.jupiter.api.function.Executable ex) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }
}
