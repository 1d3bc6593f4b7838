package org.dermatrend.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule of which analyses a correction makes stale, case by case (B = the baseline, F = follow-ups). */
class ReanalysisTest {
    private static List<String> affected(List<String> before, List<String> after, Set<String> changed, Set<String> baselines,
                                         Set<String> failedOnTheirOwn) {
        return Reanalysis.affected(before, after, changed, baselines::contains, failedOnTheirOwn::contains);
    }

    @Test
    void aFollowUpRedatedAmongFollowUpsOrAppendedRedoesNothing() {
        assertEquals(List.of(), affected(List.of("B", "F1", "F2"), List.of("B", "F2", "F1"), Set.of(), Set.of("B"), Set.of()));
        assertEquals(List.of(), affected(List.of("B", "F1"), List.of("B", "F1", "N"), Set.of(), Set.of("B"), Set.of()));
        assertEquals(List.of(), affected(List.of("B", "F1", "F2"), List.of("B", "F2"), Set.of(), Set.of("B"), Set.of()), "a follow-up erased");
    }

    @Test
    void aPhotoBeforeTheBaselineRedoesEverythingFromIt() {
        assertEquals(List.of("N", "B", "F1"), affected(List.of("B", "F1"), List.of("N", "B", "F1"), Set.of(), Set.of("B"), Set.of()),
                "a backdated upload may become the baseline");
        assertEquals(List.of("F1", "B"), affected(List.of("B", "F1"), List.of("F1", "B"), Set.of(), Set.of("B"), Set.of()),
                "a follow-up re-dated before the baseline");
    }

    @Test
    void theBaselineErasedOrReplacedRedoesEveryPhotoAfterIt() {
        assertEquals(List.of("F1", "F2"), affected(List.of("B", "F1", "F2"), List.of("F1", "F2"), Set.of(), Set.of("B"), Set.of()));
        assertEquals(List.of("B2", "F1"), affected(List.of("B", "F1"), List.of("B2", "F1"), Set.of(), Set.of("B"), Set.of()));
    }

    @Test
    void aFollowUpThatFailedAgainstAnErasedBaselineIsRedone() {
        // X failed its alignment to B: that is B's doing, not X's, so X may be the new baseline.
        assertEquals(List.of("X", "F"), affected(List.of("B", "X", "F"), List.of("X", "F"), Set.of(), Set.of("B"), Set.of()));
        // A failed follow-up moved before the baseline is a candidate baseline too.
        assertEquals(List.of("X", "B"), affected(List.of("B", "X"), List.of("X", "B"), Set.of(), Set.of("B"), Set.of()));
    }

    @Test
    void aPhotoThatFailedOnItsOwnBeforeTheBaselineMovesNothing() {
        assertEquals(List.of(), affected(List.of("Q", "B", "F"), List.of("B", "F"), Set.of(), Set.of("B"), Set.of("Q")),
                "a blurred first photo erased");
        assertEquals(List.of(), affected(List.of("Q", "B", "F"), List.of("B", "Q", "F"), Set.of(), Set.of("B"), Set.of("Q")));
        // Its own inputs changed (a new grey card): it may pass now, and become the baseline.
        assertEquals(List.of("Q", "B", "F"), affected(List.of("Q", "B", "F"), List.of("Q", "B", "F"), Set.of("Q"), Set.of("B"),
                Set.of("Q")));
    }

    @Test
    void aPendingPhotoBeforeTheBaselineKeepsThePrefixOpen() {
        // P is still running (it may fail); B is the baseline; erasing B makes F's baseline unknown: F is redone.
        assertEquals(List.of("F"), affected(List.of("P", "B", "F"), List.of("P", "F"), Set.of(), Set.of("B"), Set.of()));
        // No photo done as a baseline yet: every photo is in the prefix.
        assertEquals(List.of("B", "F"), affected(List.of("A", "B", "F"), List.of("B", "F"), Set.of(), Set.of(), Set.of()));
    }

    @Test
    void ownInputsRedoThePhotoAndABaselinesInputsRedoItsFollowUps() {
        assertEquals(List.of("F2"), affected(List.of("B", "F1", "F2"), List.of("B", "F1", "F2"), Set.of("F2"), Set.of("B"), Set.of()));
        assertEquals(List.of("B", "F1", "F2"), affected(List.of("B", "F1", "F2"), List.of("B", "F1", "F2"), Set.of("B"), Set.of("B"),
                Set.of()));
    }
}
