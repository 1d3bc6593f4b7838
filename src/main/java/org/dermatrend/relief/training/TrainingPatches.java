package org.dermatrend.relief.training;

import org.dermatrend.relief.ReliefInput;
import org.dermatrend.relief.ShadingBaseline;
import org.dermatrend.cv.MatScope;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;
import org.dermatrend.synth.PhantomTruth;
import org.dermatrend.synth.ScarType;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training data for the relief network, made by the phantom renderer with wide domain randomisation.
 * The same seed always gives the same patch.
 *
 * <p>Each patch is a phantom of {@value #RENDER_PX} canonical pixels (14 mm) rendered at a finer
 * scale (1–2× the canonical resolution, then area-resampled like a photo) with, drawn at random:
 * light azimuth 0–360° and elevation 30–80°, ambient share 0.15–0.55, skin types I–VI, haemoglobin
 * and erythema, pores of 0.05–0.45 mm at 0–80 per cm² and 0.02–0.12 mm deep, skin micro-relief
 * 0.002–0.015 mm RMS, 0–4 icepick, 0–2 boxcar and 0–1 rolling scars 0.02–0.6 mm deep (15 % of patches
 * none), flat brown spots (dark like pits but without relief), hair, oily glare, light falloff,
 * white balance, exposure, sensor noise, optical blur, JPEG quality 60–98 or lossless, and on half
 * the patches a phone camera's sharpening (unsharp mask, amount 0.1–0.8). A window of
 * {@value #PATCH_PX} px is cut from it so the network also sees scars cut by the patch edge.
 *
 * <p>The target is the depth of the scars alone (0 elsewhere), in mm, resampled the same way: pores
 * and micro-relief are texture, not scars, and the network learns to leave them out.
 */
public final class TrainingPatches {
    /** Side of a training patch, canonical pixels (10.24 mm). */
    public static final int PATCH_PX = 128;
    /** Side of the rendered area, canonical pixels. */
    static final int RENDER_PX = 176;

    private final PhantomRenderer renderer = new PhantomRenderer();

    /**
     * One training patch.
     *
     * @param input   the network input, planar (3, {@value #PATCH_PX}, {@value #PATCH_PX})
     * @param depthMm the scar depth below the surrounding skin, mm, ({@value #PATCH_PX}, {@value #PATCH_PX})
     * @param spec    what was rendered
     */
    public record Patch(float[] input, float[] depthMm, PhantomSpec spec) implements ShadingBaseline.Sample {
    }

    /** Renders the patch of {@code seed}. Thread-safe. */
    public Patch make(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        PhantomSpec spec = randomSpec(r, seed);
        try (MatScope scope = new MatScope(); Phantom phantom = renderer.render(spec)) {
            Mat linear = scope.track(ReliefInput.linear(phantom.bgr()));
            if (r.nextDouble() < 0.5) {
                sharpen(scope, linear, uniform(r, 0.1, 0.8), uniform(r, 0.7, 1.5) * spec.width() / RENDER_PX);
            }
            Mat canonical = scope.mat();
            Imgproc.resize(linear, canonical, new Size(RENDER_PX, RENDER_PX), 0, 0, Imgproc.INTER_AREA);
            Mat shading = scope.track(ReliefInput.shading(canonical));
            Mat depth = scope.track(scarDepth(phantom.truth(), spec.width(), spec.height(), spec.mmPerPx()));
            Mat depthCanonical = scope.mat();
            Imgproc.resize(depth, depthCanonical, new Size(RENDER_PX, RENDER_PX), 0, 0, Imgproc.INTER_AREA);
            int x0 = r.nextInt(RENDER_PX - PATCH_PX + 1);
            int y0 = r.nextInt(RENDER_PX - PATCH_PX + 1);
            Rect window = new Rect(x0, y0, PATCH_PX, PATCH_PX);
            float[] input = ReliefInput.planar(shading, window);
            float[] target = new float[PATCH_PX * PATCH_PX];
            scope.track(depthCanonical.submat(window)).clone().get(0, 0, target);
            return new Patch(input, target, spec);
        }
    }

    /**
     * A phone camera's sharpening (unsharp mask: {@code v + amount·(v − G_σ * v)}), which the renderer
     * does not do and real photos nearly always have; applied to half the patches.
     */
    private static void sharpen(MatScope scope, Mat linear, double amount, double sigmaPx) {
        Mat blurred = scope.mat();
        Imgproc.GaussianBlur(linear, blurred, new Size(0, 0), sigmaPx);
        org.opencv.core.Core.addWeighted(linear, 1 + amount, blurred, -amount, 0, linear);
    }

    /**
     * The depth of the truth's scars alone, mm (≥ 0), at the phantom's own pixels ({@code CV_32FC1}).
     * The caller owns the result.
     */
    public static Mat scarDepth(PhantomTruth truth, int width, int height, double mmPerPx) {
        float[] v = new float[width * height];
        for (PhantomTruth.Scar s : truth.scars()) {
            ScarType.valueOf(s.type().toUpperCase(Locale.ROOT))
                    .addProfile(v, width, height, s.xPx(), s.yPx(), s.diameterMm() / 2 / mmPerPx, s.depthMm());
        }
        Mat m = new Mat(height, width, CvType.CV_32FC1);
        m.put(0, 0, v);
        return m;
    }

    /** The randomised rendering settings of one patch. */
    static PhantomSpec randomSpec(SplittableRandom r, long seed) {
        double k = 1 + r.nextDouble();
        int size = (int) Math.round(RENDER_PX * k);
        boolean scarFree = r.nextDouble() < 0.15;
        double poreMin = uniform(r, 0.05, 0.12);
        boolean jpeg = r.nextDouble() < 0.75;
        double gain = uniform(r, 0.85, 1.2);
        return PhantomSpec.builder()
                .size(size, size)
                .mmPerPx(ReliefInput.MM_PER_PX / k)
                .seed(seed)
                .fitzpatrick(1 + r.nextInt(6))
                .haemoglobin(uniform(r, 0.2, 1.0))
                .erythemaPatches(r.nextInt(3))
                .erythemaStrength(uniform(r, 0, 0.4))
                .erythemaRadiusMm(uniform(r, 2, 6))
                .poresPerCm2(r.nextDouble() < 0.1 ? 0 : uniform(r, 5, 80))
                .poreDiameterMm(poreMin, uniform(r, poreMin, 0.45))
                .poreDepthMm(uniform(r, 0.02, 0.12))
                .icepickScars(scarFree ? 0 : r.nextInt(5))
                .boxcarScars(scarFree ? 0 : r.nextInt(3))
                .rollingScars(scarFree ? 0 : r.nextInt(2))
                .scarDepthMm(0.02, 0.6)
                .microReliefMm(uniform(r, 0.002, 0.015))
                .lightAzimuthDeg(uniform(r, 0, 360))
                .lightElevationDeg(uniform(r, 30, 80))
                .ambient(uniform(r, 0.15, 0.55))
                .gains(gain * uniform(r, 0.9, 1.1), 1, uniform(r, 0.8, 1.25) / gain)
                .exposure(uniform(r, 0.6, 1.3))
                .noise(uniform(r, 0.001, 0.012))
                .blurSigmaPx(uniform(r, 0.3, 1.5) * k)
                .jpegQuality(jpeg ? 60 + r.nextInt(39) : 0)
                .hairs(r.nextDouble() < 0.3 ? 1 + r.nextInt(3) : 0)
                .pigmentSpots(r.nextDouble() < 0.5 ? r.nextInt(4) : 0)
                .glare(r.nextDouble() < 0.3 ? uniform(r, 0, 0.5) : 0)
                .illuminationFalloff(uniform(r, 0, 0.3))
                .build();
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
