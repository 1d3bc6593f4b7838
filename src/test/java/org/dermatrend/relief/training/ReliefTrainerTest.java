package org.dermatrend.relief.training;

import org.dermatrend.relief.ReliefModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short training run: the pipeline renders, trains without NaN, and writes weights that load. */
class ReliefTrainerTest {
    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void aFewStepsTrainWithoutNaNAndWriteLoadableCheckedWeights(@TempDir Path dir) throws Exception {
        assertEquals("AVX2", System.getenv("ONEDNN_MAX_CPU_ISA"),
                "Surefire must start the test JVM with ONEDNN_MAX_CPU_ISA=AVX2 (see pom.xml)");
        List<String> log = new ArrayList<>();
        ReliefTrainer.Settings s = new ReliefTrainer.Settings(7, 16, 10, 4, 2e-3, 2);
        ReliefTrainer.Result r = new ReliefTrainer().train(s, dir, log::add);
        assertTrue(Files.isRegularFile(r.weights()));
        assertTrue(r.lossCurve().stream().allMatch(p -> Double.isFinite(p[1])), "finite loss: " + log);
        assertEquals(10, r.lossCurve().size(), "a point of the loss curve per step on a 10-step run");
        try (ReliefModel model = ReliefModel.load(dir)) {
            assertEquals(r.sha256(), model.sha256());
        }
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "only the weights and their checksum remain");
        }
    }

    @Test
    void patchesAreReproducibleFromTheirSeed() {
        TrainingPatches maker = new TrainingPatches();
        TrainingPatches.Patch a = maker.make(1_000_123L);
        TrainingPatches.Patch b = maker.make(1_000_123L);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.input(), b.input());
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.depthMm(), b.depthMm());
        assertEquals(3 * 128 * 128, a.input().length);
    }
}
