package org.dermatrend.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.ServiceApp;
import org.dermatrend.analysis.Services;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.TreatmentSeries;
import org.dermatrend.wire.CompareInfo;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline does to save memory or time changes no number: releasing the baseline's calibrated pixels once
 * it is measured (the service, to lower a pair's peak memory; a later read of those pixels fails loudly), and
 * running the scar relief and the follow-up's preparation beside the rest on a second core (the command line).
 */
class PairComparerPixelsTest {
    private static final ObjectMapper JSON = ServiceApp.json();
    private static final double MM_PER_PX = 0.025;

    @Test
    void releasingTheBaselinesPixelsEarlyChangesNoNumber() throws Exception {
        OpenCvNatives.load();
        List<TreatmentSeries.Session> sessions = TreatmentSeries.sessions(46002, 2, 1000, 750, MM_PER_PX,
                LocalDate.of(2026, 1, 5), 1, 3);
        PhantomRenderer renderer = new PhantomRenderer();
        try (Services services = Services.create(ConfigIntake.defaults());
             Phantom p0 = renderer.render(sessions.get(0).spec()); Phantom p1 = renderer.render(sessions.get(1).spec());
             DecodedPhoto before = services.decoder().decode(p0.encoded()).photo();
             DecodedPhoto after = services.decoder().decode(p1.encoded()).photo()) {
            PairComparer.Request request = new PairComparer.Request(OptionalDouble.of(MM_PER_PX), card(p0), card(p1), Optional.empty());
            String kept;
            try (Comparison c = services.comparer().compare(before, after, request, new StageTimer(), true)) {
                assertTrue(c.alignment().ok(), c.alignment().reason());
                kept = numbers(CompareInfo.of("p0", "p1", before, after, c, request));
                assertTrue(c.before().orElseThrow().prepared().linear().total() > 0);
            }
            try (Comparison c = services.comparer().compare(before, after, request, new StageTimer(), false)) {
                assertEquals(kept, numbers(CompareInfo.of("p0", "p1", before, after, c, request)));
                assertThrows(IllegalStateException.class, () -> c.before().orElseThrow().prepared().linear());
                assertTrue(c.after().orElseThrow().prepared().linear().total() > 0, "the follow-up's pixels are kept");
            }
        }
    }

    @Test
    void runningStagesBesideEachOtherChangesNoNumber() throws Exception {
        OpenCvNatives.load();
        List<TreatmentSeries.Session> sessions = TreatmentSeries.sessions(46003, 2, 1000, 750, MM_PER_PX,
                LocalDate.of(2026, 1, 5), 1, 3);
        PhantomRenderer renderer = new PhantomRenderer();
        try (Services alone = Services.create(ConfigIntake.defaults(), ReliefModel.loadPackaged(), 1);
             Services beside = Services.create(ConfigIntake.defaults(), ReliefModel.loadPackaged(), 2);
             Phantom p0 = renderer.render(sessions.get(0).spec()); Phantom p1 = renderer.render(sessions.get(1).spec());
             DecodedPhoto before = alone.decoder().decode(p0.encoded()).photo();
             DecodedPhoto after = alone.decoder().decode(p1.encoded()).photo()) {
            assertTrue(beside.scorer().beside().parallel() && !alone.scorer().beside().parallel());
            PairComparer.Request request = new PairComparer.Request(OptionalDouble.of(MM_PER_PX), card(p0), card(p1), Optional.empty());
            String[] numbers = new String[2];
            StageTimer timer = new StageTimer();
            int i = 0;
            for (Services services : List.of(alone, beside)) {
                timer = new StageTimer();
                try (Comparison c = services.comparer().compare(before, after, request, timer, false)) {
                    assertTrue(c.alignment().ok(), c.alignment().reason());
                    assertTrue(c.before().orElseThrow().scars().isPresent(), "the scar stage ran");
                    numbers[i++] = numbers(CompareInfo.of("p0", "p1", before, after, c, request));
                }
            }
            assertEquals(numbers[0], numbers[1]);
            assertTrue(timer.summary().contains("beside them: "), "the second ran stages beside: " + timer.summary());
        }
    }

    /** The comparison as JSON without its timings (which differ run to run). */
    private static String numbers(CompareInfo info) {
        ObjectNode tree = JSON.valueToTree(info);
        ((ObjectNode) tree.get("alignment")).remove(List.of("alignMs", "featureMs", "refineMs"));
        return tree.toString();
    }

    private static Optional<PixelRect> card(Phantom p) {
        int[] r = TreatmentSeries.cardRect(p.truth().grayCard(), 1000, 750);
        return r == null ? Optional.empty() : Optional.of(new PixelRect(r[0], r[1], r[2], r[3]));
    }
}
