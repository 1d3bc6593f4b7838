package org.dermatrend.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.dermatrend.synth.PhantomWriter;
import org.dermatrend.synth.TreatmentSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend synth}: renders skin phantoms with exact truth. */
@Command(name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Renders synthetic skin close-ups (phantoms) whose truth is known exactly: pores, scars, "
                    + "pigments, light and camera. Writes NAME.jpg (or .png), NAME.truth.json and NAME.height.tiff "
                    + "(true height in mm, 32-bit float) per phantom. The physics is in datasets/README.md.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend synth --out /tmp/phantoms",
            "  dermatrend synth --out /tmp/p --count 20 --seed 100 --fitzpatrick 5 --preset scarred",
            "  dermatrend synth --out /tmp/p --gray-card --gains 1.15,1.0,0.85 --exposure 0.9",
            "  dermatrend synth --out /tmp/p --preset blurred --preset hairy --jpeg-quality 0",
            "",
            "Presets: " + PhantomSpec.PRESETS})
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder to write into (created if missing).")
    Path out;

    @Option(names = "--name", defaultValue = "phantom", description = "File name prefix; the seed is appended (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--count", defaultValue = "1", description = "How many phantoms, with seeds SEED, SEED+1, ... (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the first phantom (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--preset", description = "Named conditions, applied in order before the other options: " + PhantomSpec.PRESETS + ".")
    List<String> presets = List.of();

    @Option(names = "--width", description = "Width in pixels (default 1600).")
    Integer width;

    @Option(names = "--height", description = "Height in pixels (default 1200).")
    Integer height;

    @Option(names = "--mm-per-px", description = "Scale in mm per pixel (default 0.025).")
    Double mmPerPx;

    @Option(names = "--fitzpatrick", description = "Skin type 1..6 (default 2).")
    Integer fitzpatrick;

    @Option(names = "--haemoglobin", description = "Base haemoglobin, optical-density units (default 0.5).")
    Double haemoglobin;

    @Option(names = "--erythema-patches", description = "Number of red patches (default 3).")
    Integer erythemaPatches;

    @Option(names = "--erythema-strength", description = "Extra haemoglobin at a patch centre (default 0.35).")
    Double erythemaStrength;

    @Option(names = "--erythema-radius", description = "Red patch radius in mm (default 4).")
    Double erythemaRadius;

    @Option(names = "--pores-per-cm2", description = "Pore density over skin (default 25).")
    Double poresPerCm2;

    @Option(names = "--pore-diameter", split = ",", arity = "1", paramLabel = "MIN,MAX", description = "Pore diameters in mm (default 0.08,0.25).")
    double[] poreDiameter;

    @Option(names = "--pore-depth", description = "Pore pit depth in mm (default 0.06).")
    Double poreDepth;

    @Option(names = "--pore-scale", description = "Open the pores at this share of their diameters, 0.5..1 (default 1): "
            + "the same pores as at 1, smaller, to test a size change.")
    Double poreScale;

    @Option(names = "--icepick", description = "Number of icepick scars.")
    Integer icepick;

    @Option(names = "--boxcar", description = "Number of boxcar scars.")
    Integer boxcar;

    @Option(names = "--rolling", description = "Number of rolling scars.")
    Integer rolling;

    @Option(names = "--scar-depth", split = ",", arity = "1", paramLabel = "MIN,MAX", description = "Scar depths in mm (default 0.05,0.5).")
    double[] scarDepth;

    @Option(names = "--micro-relief", description = "RMS micro-relief height in mm (default 0.006).")
    Double microRelief;

    @Option(names = "--light-azimuth", description = "Light azimuth in degrees, counter-clockwise from the right (default 135).")
    Double lightAzimuth;

    @Option(names = "--light-elevation", description = "Light elevation in degrees above the skin (default 55).")
    Double lightElevation;

    @Option(names = "--ambient", description = "Ambient share of flat-skin brightness 0..1 (default 0.35).")
    Double ambient;

    @Option(names = "--gains", split = ",", arity = "1", paramLabel = "R,G,B", description = "White-balance gains on linear R,G,B (default 1,1,1).")
    double[] gains;

    @Option(names = "--exposure", description = "Exposure multiplier (default 1).")
    Double exposure;

    @Option(names = "--noise", description = "Sensor noise: sigma = NOISE * sqrt(linear value) (default 0.004).")
    Double noise;

    @Option(names = "--blur", description = "Optical blur sigma in pixels (default 0.6).")
    Double blur;

    @Option(names = "--jpeg-quality", description = "JPEG quality 1..100, or 0 for lossless PNG (default 92).")
    Integer jpegQuality;

    @Option(names = "--hairs", description = "Number of hair strands (default 0).")
    Integer hairs;

    @Option(names = "--gray-card", description = "Put an 18%% grey card in the top-left corner.")
    boolean grayCard;

    @Option(names = "--background-fraction", description = "Share of the frame covered by a non-skin backdrop, 0..0.95.")
    Double backgroundFraction;

    @Option(names = "--glare", description = "Oily specular glare strength 0..1.")
    Double glare;

    @Option(names = "--falloff", description = "Illumination falloff across the frame 0..0.95.")
    Double falloff;

    @Option(names = "--series", paramLabel = "N", description = "Instead: one patient's treatment course of N sessions "
            + "(same skin; scars shallower, redness and pores smaller at each; new pose, light and noise), written as "
            + "session-1.jpg ... and manifest.json (the trend command's manifest). Takes --seed, --width, --height, --mm-per-px.")
    Integer series;

    @Option(names = "--effect", paramLabel = "0..1", description = "With --series: the treatment's effect, 1 (default) the "
            + "full course, 0 unchanged skin re-photographed.", defaultValue = "1")
    double effect;

    @Override
    public Integer call() throws Exception {
        if (series != null) {
            return writeSeries();
        }
        if (count < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--count must be at least 1");
        }
        PhantomRenderer renderer = new PhantomRenderer();
        PhantomWriter writer = new PhantomWriter();
        for (int i = 0; i < count; i++) {
            PhantomSpec spec;
            try {
                spec = spec(seed + i);
            } catch (IllegalArgumentException e) {
                System.err.println("dermatrend synth: " + e.getMessage());
                return 2;
            }
            long t0 = System.nanoTime();
            try (Phantom p = renderer.render(spec)) {
                Path truth = writer.write(p, out, name + "-" + spec.seed());
                System.err.printf("%s  %d pores, %d scars, %.0f ms%n", truth, p.truth().pores().size(),
                        p.truth().scars().size(), (System.nanoTime() - t0) / 1e6);
            }
        }
        return 0;
    }

    private Integer writeSeries() throws java.io.IOException {
        List<TreatmentSeries.Session> sessions;
        try {
            sessions = TreatmentSeries.sessions(seed, series, width == null ? 1000 : width, height == null ? 750 : height,
                    mmPerPx == null ? 0.025 : mmPerPx, java.time.LocalDate.of(2026, 1, 5), effect,
                    fitzpatrick == null ? 3 : fitzpatrick);
        } catch (IllegalArgumentException e) {
            System.err.println("dermatrend synth: " + e.getMessage());
            return 2;
        }
        PhantomRenderer renderer = new PhantomRenderer();
        PhantomWriter writer = new PhantomWriter();
        java.util.List<java.util.Map<String, Object>> entries = new java.util.ArrayList<>();
        for (int k = 0; k < sessions.size(); k++) {
            TreatmentSeries.Session s = sessions.get(k);
            try (Phantom p = renderer.render(s.spec())) {
                String file = "session-" + (k + 1) + p.extension();
                writer.writeImage(p, out, file);
                int[] card = TreatmentSeries.cardRect(p.truth().grayCard(), p.truth().width(), p.truth().height());
                java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
                e.put("date", s.date().toString());
                e.put("photo", file);
                if (card != null) {
                    e.put("grayRef", card);
                }
                entries.add(e);
                System.err.printf("%s  %s, %d scars%n", out.resolve(file), s.date(), p.truth().scars().size());
            }
        }
        java.util.Map<String, Object> manifest = new java.util.LinkedHashMap<>();
        manifest.put("patient", "DEMO-001");
        manifest.put("area", "left-cheek");
        manifest.put("mmPerPx", sessions.get(0).spec().mmPerPx());
        manifest.put("sessions", entries);
        writer.writeJson(out.resolve("manifest.json"), manifest);
        return 0;
    }

    PhantomSpec spec(long phantomSeed) {
        PhantomSpec.Builder b = PhantomSpec.builder().seed(phantomSeed);
        presets.forEach(b::preset);
        if (width != null) {
            b.width(width);
        }
        if (height != null) {
            b.height(height);
        }
        if (mmPerPx != null) {
            b.mmPerPx(mmPerPx);
        }
        if (fitzpatrick != null) {
            b.fitzpatrick(fitzpatrick);
        }
        if (haemoglobin != null) {
            b.haemoglobin(haemoglobin);
        }
        if (erythemaPatches != null) {
            b.erythemaPatches(erythemaPatches);
        }
        if (erythemaStrength != null) {
            b.erythemaStrength(erythemaStrength);
        }
        if (erythemaRadius != null) {
            b.erythemaRadiusMm(erythemaRadius);
        }
        if (poresPerCm2 != null) {
            b.poresPerCm2(poresPerCm2);
        }
        if (poreDiameter != null) {
            b.poreDiameterMm(pair(poreDiameter, "--pore-diameter")[0], poreDiameter[1]);
        }
        if (poreDepth != null) {
            b.poreDepthMm(poreDepth);
        }
        if (poreScale != null) {
            b.poreScale(poreScale);
        }
        if (icepick != null) {
            b.icepickScars(icepick);
        }
        if (boxcar != null) {
            b.boxcarScars(boxcar);
        }
        if (rolling != null) {
            b.rollingScars(rolling);
        }
        if (scarDepth != null) {
            b.scarDepthMm(pair(scarDepth, "--scar-depth")[0], scarDepth[1]);
        }
        if (microRelief != null) {
            b.microReliefMm(microRelief);
        }
        if (lightAzimuth != null) {
            b.lightAzimuthDeg(lightAzimuth);
        }
        if (lightElevation != null) {
            b.lightElevationDeg(lightElevation);
        }
        if (ambient != null) {
            b.ambient(ambient);
        }
        if (gains != null) {
            if (gains.length != 3) {
                throw new IllegalArgumentException("--gains takes three numbers R,G,B");
            }
            b.gains(gains[0], gains[1], gains[2]);
        }
        if (exposure != null) {
            b.exposure(exposure);
        }
        if (noise != null) {
            b.noise(noise);
        }
        if (blur != null) {
            b.blurSigmaPx(blur);
        }
        if (jpegQuality != null) {
            b.jpegQuality(jpegQuality);
        }
        if (hairs != null) {
            b.hairs(hairs);
        }
        if (grayCard) {
            b.grayCard(true);
        }
        if (backgroundFraction != null) {
            b.backgroundFraction(backgroundFraction);
        }
        if (glare != null) {
            b.glare(glare);
        }
        if (falloff != null) {
            b.illuminationFalloff(falloff);
        }
        return b.build();
    }

    private static double[] pair(double[] v, String option) {
        if (v.length != 2) {
            throw new IllegalArgumentException(option + " takes two numbers MIN,MAX");
        }
        return v;
    }
}
