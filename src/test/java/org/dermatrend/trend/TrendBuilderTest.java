package org.dermatrend.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.wire.TrendInfo;
import org.junit.jupiter.api.Test;

/** Trend statistics and verdicts on series whose answer is known by construction. */
class TrendBuilderTest {
    private static final LocalDate D0 = LocalDate.of(2026, 1, 5);
    private static final MdcRegistry MDC = new MdcRegistry(Map.of(
            MetricKey.REDNESS_ERYTHEMA_INDEX, Mdc.ofSem(MetricKey.REDNESS_ERYTHEMA_INDEX, 0.25, 12, 5),
            MetricKey.SCARS_MEAN_DEPTH_MM, Mdc.ofSem(MetricKey.SCARS_MEAN_DEPTH_MM, 0.01, 12, 5)), Map.of());

    private static List<TrendInfo.Session> series(double[] ei, double[] depth, int daysApart) {
        List<TrendInfo.Session> out = new ArrayList<>();
        for (int i = 0; i < ei.length; i++) {
            out.add(new TrendInfo.Session(D0.plusDays((long) daysApart * i), "s" + i + ".jpg", null, null, null, true, null,
                    false, null, Map.of("redness.erythemaIndex", ei[i], "scars.meanDepthMm", depth[i])));
        }
        return out;
    }

    /** Sessions whose a* was withheld for uneven light are named in a note; a withheld baseline means a* has no trend. */
    @Test
    void sessionsWithoutAStarAreNamedInANote() {
        List<TrendInfo.Session> s = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Double> v = i == 2 ? Map.of("redness.erythemaIndex", 20.0)
                    : Map.of("redness.erythemaIndex", 20.0, "redness.meanAStar", 10.0);
            s.add(new TrendInfo.Session(D0.plusDays(30L * i), "s" + i + ".jpg", null, null, null, true, null, false, null, v));
        }
        TrendInfo t = new TrendBuilder(MDC).build("P", "a", null, s, false, List.of());
        String note = t.notes().stream().filter(n -> n.startsWith("a_star_withheld:")).findFirst()
                .orElseThrow(() -> new AssertionError("no a_star_withheld note: " + t.notes()));
        assertTrue(note.contains("1 of 4") && note.contains(D0.plusDays(60).toString()) && !note.contains("baseline is one"), note);

        // An unevenly lit baseline has no a*, so no follow-up can be anchored to it: none has a*.
        List<TrendInfo.Session> noBaseline = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            noBaseline.add(new TrendInfo.Session(D0.plusDays(30L * i), "s" + i + ".jpg", null, null, null, true, null, false,
                    i == 0 ? List.of("uneven_for_a_star") : null, Map.of("redness.erythemaIndex", 20.0)));
        }
        List<String> notes = new TrendBuilder(MDC).build("P", "a", null, noBaseline, false, List.of()).notes();
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("a_star_withheld:") && n.contains("4 of 4") && n.contains("a* has no trend")),
                notes::toString);

        assertTrue(new TrendBuilder(MDC).build("P", "a", null, series(new double[] {20, 19, 18}, new double[] {0.3, 0.3, 0.3}, 30), false,
                List.of()).notes().stream().noneMatch(n -> n.startsWith("a_star_withheld:")), "no a* anywhere is not a withheld a*");
    }

    @Test
    void slopeAndItsIntervalAreExactOnAStraightLine() {
        List<SeriesStatistics.Point> line = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            line.add(new SeriesStatistics.Point(D0.plusDays(30L * i), 20 - 0.5 * i));
        }
        SeriesStatistics.Slope s = SeriesStatistics.slope(line);
        assertEquals(-0.5, s.slopePer30Days(), 1e-12);
        assertEquals(-0.5, s.ciLow(), 1e-9, "no scatter, no width");
        assertTrue(s.excludesZero());
    }

    @Test
    void slopeIntervalMatchesAHandComputedOne() {
        // x = 0, 1, 2, 3 (30-day steps), y = 1, 3, 2, 5: b = 1.1, residual SS = 2.7, SE = sqrt(2.7 / 2 / 5) = 0.5196;
        // t(0.975, 2) = 4.303 gives 1.1 ± 2.2360.
        List<SeriesStatistics.Point> p = List.of(new SeriesStatistics.Point(D0, 1), new SeriesStatistics.Point(D0.plusDays(30), 3),
                new SeriesStatistics.Point(D0.plusDays(60), 2), new SeriesStatistics.Point(D0.plusDays(90), 5));
        SeriesStatistics.Slope s = SeriesStatistics.slope(p);
        assertEquals(1.1, s.slopePer30Days(), 1e-12);
        assertEquals(1.1 - 4.303 * Math.sqrt(2.7 / 2 / 5), s.ciLow(), 1e-9);
        assertFalse(s.excludesZero());
    }

    @Test
    void aSteadyFallBeyondTheMdcIsImprovingAndARiseIsWorsening() {
        TrendInfo t = new TrendBuilder(MDC).build("P", "a", null,
                series(new double[] {20, 19.2, 18.5, 17.9, 17.0}, new double[] {0.30, 0.31, 0.32, 0.34, 0.35}, 35), false, List.of());
        TrendInfo.Metric ei = t.metrics().get("redness.erythemaIndex");
        assertEquals("improving", ei.verdict());
        assertEquals(-3.0, ei.change(), 1e-9);
        assertEquals(-15.0, ei.changePercent(), 1e-9);
        assertEquals(0.6930, ei.mdc(), 1e-3);
        assertTrue(ei.slopeCi95()[1] < 0);
        assertEquals("worsening", t.metrics().get("scars.meanDepthMm").verdict(), "deeper scars are worse");
    }

    @Test
    void aChangeInsideTheMdcIsStableNeverImproving() {
        TrendInfo t = new TrendBuilder(MDC).build("P", "a", null,
                series(new double[] {20, 19.9, 19.8, 19.7, 19.6}, new double[] {0.30, 0.30, 0.30, 0.30, 0.30}, 35), false, List.of());
        TrendInfo.Metric ei = t.metrics().get("redness.erythemaIndex");
        assertEquals("stable", ei.verdict(), "−0.4 EI is −2 %, but inside the MDC of 0.69");
        assertTrue(ei.why().contains("within the minimal detectable change"));
    }

    @Test
    void oneOddSessionBeyondTheMdcIsNotATrend() {
        TrendInfo t = new TrendBuilder(MDC).build("P", "a", null,
                series(new double[] {20, 21, 19.5, 20.5, 19.0}, new double[] {0.3, 0.3, 0.3, 0.3, 0.3}, 35), false, List.of());
        TrendInfo.Metric ei = t.metrics().get("redness.erythemaIndex");
        assertEquals("stable", ei.verdict());
        assertTrue(ei.why().contains("do not follow it"));
    }

    @Test
    void twoSessionsAreInsufficientData() {
        TrendInfo t = new TrendBuilder(MDC).build("P", "a", null,
                series(new double[] {20, 15}, new double[] {0.3, 0.1}, 35), false, List.of());
        t.metrics().values().forEach(m -> assertEquals("insufficient-data", m.verdict()));
        assertNull(t.metrics().get("redness.erythemaIndex").slopeCi95());
        assertTrue(t.notes().stream().anyMatch(n -> n.startsWith("insufficient_data")));
    }

    @Test
    void postTreatmentRednessIsLeftOutUnlessAskedFor() {
        List<TrendInfo.Session> s = new ArrayList<>(series(new double[] {20, 19, 18, 17}, new double[] {0.3, 0.3, 0.3, 0.3}, 35));
        TrendInfo.Session flare = new TrendInfo.Session(D0.plusDays(71), "flare.jpg", null, null, null, true, null,
                TrendBuilder.postTreatment(D0.plusDays(71), List.of(D0.plusDays(70))), null,
                Map.of("redness.erythemaIndex", 26.0, "scars.meanDepthMm", 0.3));
        s.add(3, flare);
        assertTrue(flare.postTreatment());
        TrendInfo t = new TrendBuilder(MDC).build("P", "a", null, s, false, List.of());
        TrendInfo.Metric ei = t.metrics().get("redness.erythemaIndex");
        assertEquals(List.of(D0.plusDays(71)), ei.leftOut());
        assertNull(ei.values().get(3));
        assertEquals("improving", ei.verdict());
        assertEquals(0.3, t.metrics().get("scars.meanDepthMm").values().get(3), "other metrics keep the photo");
        assertEquals("stable", new TrendBuilder(MDC).build("P", "a", null, s, true, List.of())
                .metrics().get("redness.erythemaIndex").verdict(), "with the flare kept, the trend is broken");
    }

    @Test
    void postTreatmentIsOneToThreeDaysAfter() {
        List<LocalDate> treated = List.of(D0);
        assertFalse(TrendBuilder.postTreatment(D0, treated), "same day: photographed before the procedure");
        assertTrue(TrendBuilder.postTreatment(D0.plusDays(1), treated));
        assertTrue(TrendBuilder.postTreatment(D0.plusDays(3), treated));
        assertFalse(TrendBuilder.postTreatment(D0.plusDays(4), treated));
    }

    @Test
    void anchoredValuesCarryTheChangeOnSharedSkinOverToTheBaseline() {
        MetricKey a = MetricKey.REDNESS_ERYTHEMA_INDEX;
        MetricKey b = MetricKey.PORES_AREA_FRACTION;
        Map<MetricKey, Double> v = TrendBuilder.anchored(Map.of(a, 10.0, b, 0.01), Map.of(a, 12.0, b, 0.03),
                Map.of(a, 11.0, b, 0.0));
        assertEquals(9.0, v.get(a), 1e-12);
        assertEquals(0.0, v.get(b), 1e-12, "clipped at zero");
    }

    @Test
    void theShippedRegistryCoversEveryRatedMetric() {
        MdcRegistry shipped = MdcRegistry.packaged();
        for (MetricKey m : MetricKey.rated()) {
            Mdc mdc = shipped.get(m).orElseThrow(() -> new AssertionError("no MDC for " + m.json()));
            assertEquals(Mdc.FACTOR * mdc.sem(), mdc.mdc95(), 1e-12);
            // Synthetic components rest on 12 skins; a real one can rest on fewer (the skins with two or more usable,
            // measured sessions), never on too few to be an estimate.
            assertTrue(mdc.skins() >= 5, m.json() + " rests on " + mdc.skins() + " skins");
        }
        assertTrue(shipped.provenance().get("command").toString().contains("eval-repeatability"));
    }
}
