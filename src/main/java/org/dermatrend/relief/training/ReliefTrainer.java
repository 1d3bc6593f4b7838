package org.dermatrend.relief.training;

import org.dermatrend.relief.Dihedral;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.relief.ReliefNet;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains the relief network from nothing on {@link TrainingPatches}: renders a pool of patches
 * (seeds {@code seed·10⁶ + i}), then runs Adam on mini-batches drawn from the pool, each patch turned
 * by one of the eight rotations/mirrorings of the square (the light turns with it, so the pair stays
 * physically true). The loss is an L1 on depth weighted {@value #SCAR_WEIGHT}× inside scars, where the
 * pixels are few and the answer matters (more would teach it to see shallow scars everywhere). A loss that turns NaN stops training with an error (on AVX-512 CPUs set
 * {@code ONEDNN_MAX_CPU_ISA=AVX2} before the JVM starts).
 */
public final class ReliefTrainer {
    /** Loss weight of pixels inside scars (true depth over 0.005 mm) relative to the rest. */
    static final float SCAR_WEIGHT = 3;

    /**
     * @param seed         seed of the patches, the weight initialisation and the batch order
     * @param patches      number of distinct rendered patches in the pool
     * @param steps        optimiser steps
     * @param batch        patches per step
     * @param learningRate peak Adam learning rate (cosine decay to 5 % of it)
     * @param threads      rendering threads
     */
    public record Settings(long seed, int patches, int steps, int batch, double learningRate, int threads) {
        public Settings {
            if (patches < 1 || steps < 1 || batch < 1 || !(learningRate > 0) || threads < 1) {
                throw new IllegalArgumentException("patches, steps, batch and threads must be positive and the learning rate above 0");
            }
        }

        /** The settings the shipped weights were trained with. */
        public static Settings shipped(long seed, int threads) {
            return new Settings(seed, 8000, 3200, 16, 2e-3, threads);
        }
    }

    /** What a training run produced. */
    public record Result(Path weights, String sha256, List<double[]> lossCurve, double renderSeconds,
                         double trainSeconds) {
    }

    /** Trains and writes {@code outDir/}{@value ReliefModel#WEIGHTS_FILE} and its checksum. */
    public Result train(Settings s, Path outDir, Consumer<String> log) throws IOException {
        long t0 = System.nanoTime();
        TrainingPatches.Patch[] pool = renderPool(s, log);
        double renderSeconds = (System.nanoTime() - t0) / 1e9;
        log.accept(String.format(Locale.ROOT, "rendered %d patches in %.1f s", pool.length, renderSeconds));

        Engine.getEngine(ReliefModel.ENGINE).setRandomSeed((int) s.seed());
        long t1 = System.nanoTime();
        List<double[]> curve = new ArrayList<>();
        Files.createDirectories(outDir);
        try (Model model = Model.newInstance(ReliefModel.NAME, Device.cpu(), ReliefModel.ENGINE)) {
            model.setBlock(ReliefNet.build());
            int warm = Math.min(100, s.steps() / 10);
            Tracker cosine = Tracker.cosine().setBaseValue((float) s.learningRate())
                    .optFinalValue((float) (0.05 * s.learningRate())).setMaxUpdates(Math.max(1, s.steps() - warm)).build();
            Tracker lr = step -> step < warm ? (float) (s.learningRate() * (step + 1) / warm) : cosine.getNewValue(step - warm);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l1Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build());
            int p = TrainingPatches.PATCH_PX;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(s.batch(), 3, p, p));
                SplittableRandom order = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
                float[] x = new float[s.batch() * 3 * p * p];
                float[] y = new float[s.batch() * p * p];
                double running = Double.NaN;
                int every = Math.max(1, Math.min(50, s.steps() / 10));
                for (int step = 0; step < s.steps(); step++) {
                    for (int b = 0; b < s.batch(); b++) {
                        TrainingPatches.Patch patch = pool[order.nextInt(pool.length)];
                        int turn = order.nextInt(8);
                        Dihedral.apply(turn, patch.input(), 3, p, x, b * 3 * p * p);
                        Dihedral.apply(turn, patch.depthMm(), 1, p, y, b * p * p);
                    }
                    double loss = step(trainer, x, y, s.batch(), p);
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("training loss became " + loss + " at step " + step
                                + "; on AVX-512 CPUs start the JVM with ONEDNN_MAX_CPU_ISA=AVX2 in its environment");
                    }
                    running = Double.isNaN(running) ? loss : 0.98 * running + 0.02 * loss;
                    if ((step + 1) % every == 0 || step + 1 == s.steps()) {
                        curve.add(new double[] {step + 1, running});
                        log.accept(String.format(Locale.ROOT, "step %d/%d  loss %.4f  (%.0f s)", step + 1, s.steps(),
                                running, (System.nanoTime() - t1) / 1e9));
                    }
                }
            }
            Path tmp = Files.createTempDirectory(outDir, ".training");
            model.save(tmp, ReliefModel.NAME);
            byte[] weights = Files.readAllBytes(tmp.resolve(ReliefModel.WEIGHTS_FILE));
            String sha = ReliefModel.sha256(weights);
            Files.writeString(tmp.resolve(ReliefModel.CHECKSUM_FILE), sha + "  " + ReliefModel.WEIGHTS_FILE + "\n",
                    StandardCharsets.US_ASCII);
            Path weightsOut = outDir.resolve(ReliefModel.WEIGHTS_FILE);
            Files.move(tmp.resolve(ReliefModel.WEIGHTS_FILE), weightsOut, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp.resolve(ReliefModel.CHECKSUM_FILE), outDir.resolve(ReliefModel.CHECKSUM_FILE),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (var left = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) left::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(tmp);
            return new Result(weightsOut, sha, curve, renderSeconds, (System.nanoTime() - t1) / 1e9);
        }
    }

    private static double step(Trainer trainer, float[] x, float[] y, int batch, int p) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray input = m.create(x, new Shape(batch, 3, p, p));
            NDArray target = m.create(y, new Shape(batch, 1, p, p)).div(ReliefNet.OUTPUT_UNIT_MM);
            NDArray weight = target.gt(0.05).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(SCAR_WEIGHT - 1).add(1);
            double value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray pred = trainer.forward(new NDList(input)).head();
                NDArray loss = pred.sub(target).abs().mul(weight).sum().div(weight.sum());
                value = loss.getFloat();
                gc.backward(loss);
            }
            trainer.step();
            return value;
        }
    }

    private TrainingPatches.Patch[] renderPool(Settings s, Consumer<String> log) {
        TrainingPatches maker = new TrainingPatches();
        TrainingPatches.Patch[] pool = new TrainingPatches.Patch[s.patches()];
        ExecutorService exec = Executors.newFixedThreadPool(s.threads());
        try {
            List<Future<TrainingPatches.Patch>> futures = new ArrayList<>();
            for (int i = 0; i < s.patches(); i++) {
                long seed = s.seed() * 1_000_000L + i;
                futures.add(exec.submit(() -> maker.make(seed)));
            }
            for (int i = 0; i < pool.length; i++) {
                pool[i] = futures.get(i).get();
                if ((i + 1) % 500 == 0) {
                    log.accept("rendered " + (i + 1) + "/" + pool.length + " patches");
                }
            }
            return pool;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering training patches", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("rendering a training patch failed: " + e.getCause(), e.getCause());
        } finally {
            exec.shutdownNow();
        }
    }
}
