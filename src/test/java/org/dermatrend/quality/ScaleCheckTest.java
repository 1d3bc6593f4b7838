package org.dermatrend.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scale cues' limits, without pixels: what the gate and the scorer ask {@link ScaleCheck}. */
class ScaleCheckTest {

    @Test
    void aFieldOfViewOfATreatmentAreaPassesAndOneTooSmallOrTooLargeIsSuspect() {
        assertEquals(Optional.empty(), ScaleCheck.field(4000, 3000, 0.01), "a 12 MP photo of 40 x 30 mm");
        assertEquals(Optional.empty(), ScaleCheck.field(800, 800, 0.01), "8 mm across is the least");
        QualityIssue small = ScaleCheck.field(1600, 1200, 0.005).orElseThrow();
        assertEquals(ScaleCheck.CODE, small.code());
        assertEquals(QualityIssue.WARNING, small.severity());
        assertEquals(6.0, small.value(), 1e-9);
        assertEquals(ScaleCheck.MIN_FIELD_MM, small.threshold());
        assertTrue(small.message().contains("too small") && small.message().contains("mmPerPx"), small.message());
        QualityIssue large = ScaleCheck.field(4000, 3000, 0.15).orElseThrow();
        assertEquals(600.0, large.value(), 1e-9);
        assertTrue(large.message().contains("too large"), large.message());
    }

    @Test
    void poresTooDenseOrPressedAgainstTheSmallestSizeAreSuspectOnceThereAreEnough() {
        assertEquals(Optional.empty(), ScaleCheck.pores(500, 60, 0.16, 0.01), "ordinary facial pores");
        assertEquals(Optional.empty(), ScaleCheck.pores(19, 400, 0.045, 0.01), "too few pores to say anything");
        QualityIssue dense = ScaleCheck.pores(300, 240, 0.08, 0.005).orElseThrow();
        assertEquals(240.0, dense.value());
        assertEquals(ScaleCheck.MAX_PORE_DENSITY_PER_CM2, dense.threshold());
        assertTrue(dense.message().contains("240 pores per cm²"), dense.message());
        QualityIssue tiny = ScaleCheck.pores(60, 40, 0.045, 0.0033).orElseThrow();
        assertEquals(0.045, tiny.value());
        assertEquals(ScaleCheck.MIN_MEDIAN_PORE_DIAMETER_MM, tiny.threshold());
        QualityIssue both = ScaleCheck.pores(300, 400, 0.05, 0.0025).orElseThrow();
        assertTrue(both.message().contains(" and a median pore diameter"), both.message());
        assertEquals(Optional.empty(), ScaleCheck.pores(Double.NaN, Double.NaN, Double.NaN, 0.01), "no skin");
    }

    @Test
    void warningsAddedAfterTheGateKeepItsVerdictAndErrorsAreRefused() {
        QualityReport gate = new QualityReport(true, 88, List.of(), List.of());
        assertSame(gate, gate.withWarnings(List.of()));
        QualityIssue w = ScaleCheck.field(1600, 1200, 0.005).orElseThrow();
        QualityReport after = gate.withWarnings(List.of(w));
        assertEquals(List.of(w), after.issues());
        assertTrue(after.ok());
        assertEquals(88, after.score());
        assertThrows(IllegalArgumentException.class,
                () -> gate.withWarnings(List.of(new QualityIssue("blurred", "x", 2.0, 1.5, QualityIssue.ERROR))));
    }
}
