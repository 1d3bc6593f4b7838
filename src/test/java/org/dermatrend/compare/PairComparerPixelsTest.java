package org.dermatrend.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.dermatrend.ServiceApp;
import org.dermatrend.analysis.Services;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.wire.CompareInfo;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline does to save memory or time changes no number: releasing the baseline's calibrated pixels once
 * it is measured (the service, to lower a pair's peak memory; a later read of those pixels fails loudly), and
 * running the scar relief and the follow-up's preparation beside the rest on a second core (the command line).
 */
class PairComparerPixelsTest {
    private static final ObjectMapper JSON = ServiceApp.json();

    @Test
    void releasingTheBaselinesPixelsEarlyChangesNoNumber() throws Exception {
        try (Services services = Services.create(ConfigIntake.defaults());
             PhantomPair pair = PhantomPair.render(46002, services.decoder())) {
            String kept;
            try (Comparison c = services.comparer().compare(pair.before(), pair.after(), pair.request(), new StageTimer(), true)) {
                assertTrue(c.alignment().ok(), c.alignment().reason());
                kept = numbers(pair, c);
                assertTrue(c.before().orElseThrow().prepared().linear().total() > 0);
            }
            try (Comparison c = services.comparer().compare(pair.before(), pair.after(), pair.request(), new StageTimer(), false)) {
                assertEquals(kept, numbers(pair, c));
                assertThrows(IllegalStateException.class, () -> c.before().orElseThrow().prepared().linear());
                assertTrue(c.after().orElseThrow().prepared().linear().total() > 0, "the follow-up's pixels are kept");
            }
        }
    }

    @Test
    void runningStagesBesideEachOtherChangesNoNumber() throws Exception {
        try (Services alone = Services.create(ConfigIntake.defaults(), ReliefModel.loadPackaged(), 1);
             Services beside = Services.create(ConfigIntake.defaults(), ReliefModel.loadPackaged(), 2);
             PhantomPair pair = PhantomPair.render(46003, alone.decoder())) {
            assertTrue(beside.scorer().beside().parallel() && !alone.scorer().beside().parallel());
            String[] numbers = new String[2];
            StageTimer timer = new StageTimer();
            int i = 0;
            for (Services services : List.of(alone, beside)) {
                timer = new StageTimer();
                try (Comparison c = services.comparer().compare(pair.before(), pair.after(), pair.request(), timer, false)) {
                    assertTrue(c.alignment().ok(), c.alignment().reason());
                    assertTrue(c.before().orElseThrow().scars().isPresent(), "the scar stage ran");
                    numbers[i++] = numbers(pair, c);
                }
            }
            assertEquals(numbers[0], numbers[1]);
            assertTrue(timer.summary().contains("beside them: "), "the second ran stages beside: " + timer.summary());
        }
    }

    /** The comparison as JSON without its timings (which differ run to run). */
    private static String numbers(PhantomPair pair, Comparison c) {
        ObjectNode tree = JSON.valueToTree(CompareInfo.of("p0", "p1", pair.before(), pair.after(), c, pair.request()));
        ((ObjectNode) tree.get("alignment")).remove(List.of("alignMs", "featureMs", "refineMs"));
        return tree.toString();
    }
}
