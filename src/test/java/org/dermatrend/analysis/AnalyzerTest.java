package org.dermatrend.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.dermatrend.synth.PhantomTruth;
import org.dermatrend.wire.AnalysisResult;
import org.dermatrend.wire.ScoreInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one pipeline's outcomes, and the checks that run before anything expensive. */
class AnalyzerTest {
    private static Services services;
    private static Analyzer analyzer;
    private static byte[] clean;
    private static byte[] blurred;
    private static PixelRect card;

    @BeforeAll
    static void setUp() {
        OpenCvNatives.load();
        services = Services.create(ConfigIntake.defaults());
        analyzer = services.analyzer();
        PhantomRenderer renderer = new PhantomRenderer();
        PhantomSpec.Builder spec = PhantomSpec.builder().size(1000, 750).seed(4242).grayCard(true).boxcarScars(2).icepickScars(1);
        try (Phantom p = renderer.render(spec.build()); Phantom b = renderer.render(spec.preset("blurred").build())) {
            clean = p.encoded();
            blurred = b.encoded();
            PhantomTruth.GrayCard c = p.truth().grayCard();
            card = new PixelRect(c.x(), c.y(), c.width(), c.height());
        }
    }

    @AfterAll
    static void tearDown() {
        services.close();
    }

    private static PhotoContext context(Double mmPerPx, PixelRect roi) {
        return new PhotoContext(mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx), Optional.of(card),
                Optional.ofNullable(roi));
    }

    /** A source that counts how often it was decoded. */
    private static PhotoSource counting(byte[] bytes, AtomicInteger decodes) {
        return decoder -> {
            decodes.incrementAndGet();
            return decoder.decode(bytes);
        };
    }

    @Test
    void aCleanPhotoIsDoneWithEverySection() throws IOException {
        Outcome<ScoreInfo> o = analyzer.score("clean", PhotoSource.of(clean), context(0.025, null), false, new StageTimer(),
                Analyzer.NONE);
        assertInstanceOf(Outcome.Done.class, o, () -> "expected done, got " + o.code() + ": " + o.message());
        assertNotNull(o.valueOrNull().scars());
        assertTrue(o.valueOrNull().scars().count() >= 1, "the phantom's scars are found");
        assertNull(o.reason());
    }

    @Test
    void aPhotoThatFailsTheGateIsNeverGivenToTheScarStage() throws IOException {
        StageTimer timer = new StageTimer();
        AtomicInteger seen = new AtomicInteger();
        Outcome<ScoreInfo> o = analyzer.score("blurred", PhotoSource.of(blurred), context(0.025, null), false, timer,
                new Analyzer.Observer() {
                    @Override
                    public void scored(DecodedPhoto photo, SkinScore score) {
                        assertTrue(score.scars().isEmpty(), "no relief was computed");
                        seen.incrementAndGet();
                    }
                });
        Outcome.GateFailed<ScoreInfo> g = assertInstanceOf(Outcome.GateFailed.class, o);
        assertEquals(Which.PHOTO, g.which());
        assertEquals(FailureCode.QUALITY_FAILED, o.code());
        assertTrue(o.reason().startsWith("quality_failed:") && o.reason().contains("blurred"), o.reason());
        assertNull(g.value().scars(), "no scars section");
        assertNotNull(g.value().pores(), "pores and redness are still shown");
        assertEquals(1, seen.get());
        assertTrue(!timer.millis().containsKey("scars"), "no scar stage ran: " + timer.millis());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 5, 9.99, 1e-9, 0.0019, 0.21})
    void aScaleNoCloseUpHasIsRefusedBeforeThePhotoIsRead(double mmPerPx) throws IOException {
        AtomicInteger decodes = new AtomicInteger();
        Outcome<ScoreInfo> o = analyzer.score("x", counting(clean, decodes), context(mmPerPx, null), false, new StageTimer(),
                Analyzer.NONE);
        Outcome.Invalid<ScoreInfo> i = assertInstanceOf(Outcome.Invalid.class, o);
        assertEquals("mmPerPx", i.field());
        assertEquals(FailureCode.INVALID_REQUEST, i.code());
        assertTrue(i.message().contains("0.002") && i.message().contains("0.2"), i.message());
        assertEquals(0, decodes.get(), "nothing was decoded");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 5, 9.99, 0, 1e-9, -0.025, Double.NaN, Double.POSITIVE_INFINITY})
    void aPairWithSuchAScaleIsRefusedBeforeEitherPhotoIsRead(double mmPerPx) throws IOException {
        AtomicInteger decodes = new AtomicInteger();
        Outcome<org.dermatrend.wire.CompareInfo> o = analyzer.compare("b", counting(clean, decodes), "a", counting(clean, decodes),
                new org.dermatrend.compare.PairComparer.Request(OptionalDouble.of(mmPerPx), Optional.empty(), Optional.empty(),
                        Optional.empty()), new StageTimer(), Analyzer.NONE);
        Outcome.Invalid<org.dermatrend.wire.CompareInfo> i = assertInstanceOf(Outcome.Invalid.class, o);
        assertEquals("mmPerPx", i.field());
        assertEquals(0, decodes.get(), "nothing was decoded");
        assertTrue(Budgets.scaleProblem("mmPerPx", mmPerPx).isPresent());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.002, 0.01, 0.025, 0.1, 0.2})
    void theEndsOfTheRangeAreAccepted(double mmPerPx) {
        assertTrue(Budgets.scaleProblem("mmPerPx", mmPerPx).isEmpty());
    }

    @Test
    void aCoarseButAcceptedScaleFailsTheGateAndSkipsTheScars() throws IOException {
        // 0.2 mm/px is in range but too coarse for pores: the gate says so, and the relief (which would be
        // resampled 2.5x up) is never computed.
        Outcome<ScoreInfo> o = analyzer.score("coarse", PhotoSource.of(clean), context(0.2, null), false, new StageTimer(),
                Analyzer.NONE);
        Outcome.GateFailed<ScoreInfo> g = assertInstanceOf(Outcome.GateFailed.class, o);
        assertTrue(g.issues().stream().anyMatch(i -> i.code().equals("resolution_too_low")), g.issues().toString());
        assertNull(g.value().scars());
    }

    @Test
    void aRectangleOutsideThePhotoIsInvalidAndNamesItsField() throws IOException {
        Outcome<ScoreInfo> o = analyzer.score("x", PhotoSource.of(clean), context(0.025, new PixelRect(900, 700, 300, 300)),
                false, new StageTimer(), Analyzer.NONE);
        Outcome.Invalid<ScoreInfo> i = assertInstanceOf(Outcome.Invalid.class, o);
        assertEquals(FailureCode.ROI_OUTSIDE_IMAGE, i.code());
        assertEquals("roi", i.field());
        assertTrue(i.message().contains("1000x750"), i.message());
    }

    @Test
    void aRefusedPhotoSaysWhichAndWhy() throws IOException {
        Outcome<ScoreInfo> o = analyzer.score("x", PhotoSource.of(new byte[] {1, 2, 3}), context(0.025, null), false,
                new StageTimer(), Analyzer.NONE);
        Outcome.Refused<ScoreInfo> r = assertInstanceOf(Outcome.Refused.class, o);
        assertEquals(FailureCode.IMAGE_REFUSED, r.code());
        assertTrue(o.reason().startsWith("image_refused:"), o.reason());
    }

    @Test
    void aPhotoWithoutEarlierBaselineIsAnalysedAsTheBaselineAndALaterOneAgainstIt() throws IOException {
        Analyzer.AreaSettings area = Analyzer.AreaSettings.of(0.025, null);
        Analyzer.Photo first = Analyzer.Photo.of("first", PhotoSource.of(clean), card);
        Outcome<AnalysisResult> base = analyzer.analyse(first, Optional.empty(), area, new StageTimer(), Analyzer.NONE);
        assertTrue(base.done(), () -> base.code() + ": " + base.message());
        assertTrue(base.valueOrNull().baseline());
        assertEquals("first", base.valueOrNull().baselinePhotoId());
        Outcome<AnalysisResult> same = analyzer.analyse(Analyzer.Photo.of("again", PhotoSource.of(clean), card),
                Optional.of(first), area, new StageTimer(), Analyzer.NONE);
        assertTrue(same.done(), () -> same.code() + ": " + same.message());
        assertEquals("first", same.valueOrNull().baselinePhotoId());
        assertEquals(0.0, same.valueOrNull().change().get("scars.count").absolute(), "the same photo has the same scars");
        assertTrue(analyzer.usableAsBaseline(first, area));
        assertTrue(!analyzer.usableAsBaseline(Analyzer.Photo.of("blurred", PhotoSource.of(blurred), card), area));
    }

    @Test
    void sessionsTakeTheFirstDoneBaselineAndSayWhyTheOthersAreNotInTheSeries() throws IOException {
        Analyzer.AreaSettings area = Analyzer.AreaSettings.of(0.025, null);
        Analyzer.Photo first = Analyzer.Photo.of("first", PhotoSource.of(clean), card);
        AnalysisResult base = analyzer.analyse(first, Optional.empty(), area, new StageTimer(), Analyzer.NONE).valueOrNull();
        AnalysisResult follow = analyzer.analyse(Analyzer.Photo.of("again", PhotoSource.of(clean), card), Optional.of(first), area,
                new StageTimer(), Analyzer.NONE).valueOrNull();
        java.time.LocalDate d1 = java.time.LocalDate.of(2026, 1, 5);
        java.time.LocalDate d2 = d1.plusDays(35);
        java.time.LocalDate d0 = d1.minusDays(35);

        var usable = Sessions.assemble(java.util.List.of(
                new Sessions.Entry(d0, "blurred", null, null, "failed", false, null, "quality_failed:blurred"),
                new Sessions.Entry(d1, "first", null, null, "done", false, base, null),
                new Sessions.Entry(d2, "again", null, null, "done", false, follow, null)));
        assertEquals("quality_failed:blurred", usable.get(0).reason());
        assertTrue(usable.get(1).usable() && usable.get(2).usable());
        // The same photo again: the same anchored values, up to the relief's dependence on the (identity) alignment.
        assertEquals(usable.get(1).values().keySet(), usable.get(2).values().keySet());
        usable.get(1).values().forEach((k, v) -> assertEquals(v, usable.get(2).values().get(k), Math.max(1e-9, 0.03 * Math.abs(v)), k));

        var pending = Sessions.assemble(java.util.List.of(
                new Sessions.Entry(d1, "first", null, null, "queued", false, null, "queued"),
                new Sessions.Entry(d2, "again", null, null, "done", false, follow, null)));
        assertEquals("baseline_pending", pending.get(1).reason());

        var none = Sessions.assemble(java.util.List.of(
                new Sessions.Entry(d1, "first", null, null, "failed", false, null, "image_refused:corrupt_image"),
                new Sessions.Entry(d2, "again", null, null, "done", false, follow, null)));
        assertEquals("baseline_not_usable", none.get(1).reason());

        AnalysisResult other = new AnalysisResult("elsewhere", false, follow.score(), follow.baselineScore(), follow.alignment(),
                follow.commonSkinShare(), follow.change(), follow.notes());
        var changed = Sessions.assemble(java.util.List.of(
                new Sessions.Entry(d1, "first", null, null, "done", false, base, null),
                new Sessions.Entry(d2, "again", null, null, "done", false, other, null)));
        assertEquals("baseline_changed", changed.get(1).reason());
    }

    @Test
    void theReliefBudgetCountsTheGatesScaleLimit() {
        assertTrue(Budgets.reliefProblem(4000, 3000, OptionalDouble.of(0.2)).isEmpty(), "too coarse: the gate stops it first");
        assertTrue(Budgets.reliefProblem(7000, 7000, OptionalDouble.of(0.1)).isEmpty(), "49 MP at the gate's limit: 77 MP");
        String problem = Budgets.reliefProblem(9000, 7000, OptionalDouble.of(0.1)).orElseThrow();
        assertTrue(problem.contains("98-megapixel") && problem.contains("80-megapixel budget"), problem);
        assertTrue(Budgets.reliefProblem(9000, 7000, OptionalDouble.empty()).isEmpty(), "assumed 0.025 mm/px shrinks it");
    }

    @Test
    void theSynchronousCapRefusesLargePhotosAtTheHeader() throws IOException {
        Analyzer small = analyzer.withIntake(ConfigIntake.defaults().withMaxPixels(500_000));
        Outcome<ScoreInfo> o = small.score("x", PhotoSource.of(clean), context(0.025, null), false, new StageTimer(),
                Analyzer.NONE);
        Outcome.Refused<ScoreInfo> r = assertInstanceOf(Outcome.Refused.class, o);
        assertEquals("image_too_large", r.refusal().code().code());
        assertTrue(r.refusal().message().contains("0.5 megapixels"), r.refusal().message());
    }
}
