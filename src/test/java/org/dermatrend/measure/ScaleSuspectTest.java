package org.dermatrend.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dermatrend.analysis.ServicesExtension;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.quality.Phantoms;
import org.dermatrend.quality.QualityIssue;
import org.dermatrend.quality.ScaleCheck;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scale typed wrong is seen in what the photo shows: the same dense-pored skin scored at its own scale carries no
 * {@code scale_suspect}, at 2.5 times too small (pores 2.5x smaller, 6x denser, the field 9.6 mm across) the pores give the warning, at a quarter the
 * field of view does; every number is still reported and the gate's verdict is unchanged (docs/metrics.md §3).
 */
class ScaleSuspectTest {
    @RegisterExtension
    static final ServicesExtension SERVICES = new ServicesExtension();

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {2, 6})
    void aScaleTooSmallGivesScaleSuspectAndTheRightOneDoesNot(int fitzpatrick) {
        PhantomSpec spec = PhantomSpec.builder().size(1600, 1200).mmPerPx(0.02).seed(507 + fitzpatrick).fitzpatrick(fitzpatrick)
                .grayCard(true).poresPerCm2(60).build();
        try (Phantom p = new PhantomRenderer().render(spec); DecodedPhoto photo = Phantoms.photo(p)) {
            List<QualityIssue> right = issues(photo, p, 0.02);
            assertTrue(right.stream().noneMatch(i -> i.code().equals(ScaleCheck.CODE)), "at its own scale: " + right);

            QualityIssue tooSmall = suspect(issues(photo, p, 0.02 / 2.5));
            assertTrue(tooSmall.message().contains("pores per cm²"), "the pores say it: " + tooSmall.message());
            assertTrue(tooSmall.value() > ScaleCheck.MAX_PORE_DENSITY_PER_CM2, tooSmall.toString());

            QualityIssue quarter = suspect(issues(photo, p, 0.005));
            assertTrue(quarter.message().contains("would show only"), "the field of view says it: " + quarter.message());
        }
    }

    private static QualityIssue suspect(List<QualityIssue> issues) {
        QualityIssue i = issues.stream().filter(x -> x.code().equals(ScaleCheck.CODE)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + ScaleCheck.CODE + ": " + issues));
        assertEquals(QualityIssue.WARNING, i.severity());
        assertEquals(1, issues.stream().filter(x -> x.code().equals(ScaleCheck.CODE)).count(), "said once: " + issues);
        return i;
    }

    private static List<QualityIssue> issues(DecodedPhoto photo, Phantom p, double mmPerPx) {
        PhotoContext context = Phantoms.context(p, true, mmPerPx);
        try (SkinScore score = SERVICES.services().scorer().score(photo, context)) {
            assertTrue(score.quality().ok(), "a suspect scale is a warning, the photo passes: " + score.quality().issues());
            assertEquals(score.prepared().quality().ok(), score.quality().ok());
            return score.quality().issues();
        }
    }
}
