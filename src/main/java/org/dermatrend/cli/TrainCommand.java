package org.dermatrend.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.relief.training.ReliefTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dermatrend train scar-relief}: reproduces the shipped relief weights from nothing. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a model from data the project renders itself. The only model is scar-relief: the network "
                    + "that estimates atrophic scar depth from one photo (models/scar-relief/README.md).",
            "",
            "Needs ONEDNN_MAX_CPU_ISA=AVX2 in the environment on AVX-512 CPUs (PyTorch's convolutions drift to NaN "
                    + "otherwise, and it must be set before Java starts). The shipped settings took 46 minutes "
                    + "on 2 cores with a 2 GB patch pool on the heap and 9.2 GB resident in all (fewer --patches for less).",
            ""},
        footer = {"", "Examples:",
            "  ONEDNN_MAX_CPU_ISA=AVX2 dermatrend train scar-relief --out models/scar-relief",
            "  ONEDNN_MAX_CPU_ISA=AVX2 dermatrend train scar-relief --out /tmp/m --steps 20 --patches 64   (a smoke run)"})
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "What to train: scar-relief.")
    String what;

    @Option(names = "--out", required = true, description = "Folder for the weights and their checksum (created if missing).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the patches, initial weights and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--patches", description = "Distinct rendered patches (default: the shipped 8000).")
    Integer patches;

    @Option(names = "--steps", description = "Optimiser steps (default: the shipped 3200).")
    Integer steps;

    @Option(names = "--batch", description = "Patches per step (default: 16).")
    Integer batch;

    @Option(names = "--threads", description = "Rendering threads (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (!ReliefModel.NAME.equals(what)) {
            System.err.println("error: unknown model '" + what + "'; the only trainable model is " + ReliefModel.NAME);
            return 2;
        }
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        if (isa == null || isa.isBlank()) {
            System.err.println("error: set ONEDNN_MAX_CPU_ISA=AVX2 in the environment before starting java: on AVX-512 CPUs "
                    + "PyTorch's training convolutions drift to NaN without it (setting it from inside Java is too late)");
            return 2;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ReliefTrainer.Settings d = ReliefTrainer.Settings.shipped(seed, threads == null ? cores : threads);
        ReliefTrainer.Settings s = new ReliefTrainer.Settings(seed, patches == null ? d.patches() : patches,
                steps == null ? d.steps() : steps, batch == null ? d.batch() : batch, d.learningRate(), d.threads());
        System.err.printf(Locale.ROOT, "training %s: seed %d, %d patches, %d steps of %d%n", what, s.seed(), s.patches(),
                s.steps(), s.batch());
        ReliefTrainer.Result r = new ReliefTrainer().train(s, out, System.err::println);
        java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("weights", r.weights().toString());
        summary.put("sha256", r.sha256());
        summary.put("finalLoss", r.lossCurve().get(r.lossCurve().size() - 1)[1]);
        summary.put("renderSeconds", Math.round(r.renderSeconds() * 10) / 10.0);
        summary.put("trainSeconds", Math.round(r.trainSeconds() * 10) / 10.0);
        System.out.println(Json.MAPPER.writeValueAsString(summary));
        return 0;
    }
}
