package org.dermatrend.eval;

import java.util.ArrayList;
import java.util.List;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.PhantomSpec;

/**
 * The phantom series of the metrics evaluation (docs/metrics.md), all 1600×1200 at 0.025 mm/px with
 * a grey card. Seeds start at {@code seedBase}; the defaults (10 001 and up) were never used while
 * the detectors were tuned (tuning used seeds below 100).
 *
 * <ul>
 * <li>{@code pores}: pore density 8–48 /cm² (about 100–600 pores), diameters 0.10–0.30 mm, every skin
 * type, light from varied azimuths at 45–65° elevation, a few hairs;</li>
 * <li>{@code tones}: one skin (same pores, same haemoglobin) at Fitzpatrick I–VI;</li>
 * <li>{@code redness}: one skin at six haemoglobin levels, 0.3–0.8;</li>
 * <li>{@code lighting}: the 0.5 step of that skin, neutral and under three white-balance casts (±15 %
 * per channel), each at exposure ×0.85 and ×1.15; as JPEG (quality 92) and, in the full set, also
 * lossless (PNG), since a JPEG's rounding of the flat grey card limits the calibration;</li>
 * <li>{@code repeatability}: one skin re-rendered five times with a new light azimuth, a 1–3 % scale
 * change, a shift of up to 20 px and new sensor noise; scored in the same physical region.</li>
 * </ul>
 */
public final class PhantomSuites {
    public static final long DEFAULT_SEED_BASE = 10_001;
    static final int WIDTH = 1600;
    static final int HEIGHT = 1200;
    static final double MM_PER_PX = 0.025;
    static final double[] HAEMOGLOBIN_STEPS = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    static final double LIGHTING_HAEMOGLOBIN = 0.5;

    /** A phantom to render, with where it belongs. */
    public record Planned(String suite, String group, String name, PhantomSpec spec, PixelRect roi) {
    }

    private PhantomSuites() {
    }

    /**
     * @param reduced the smaller set committed for CI: 4 pore phantoms instead of 12, repeatability on
     *                one skin instead of three
     */
    public static List<Planned> plan(long seedBase, boolean reduced) {
        List<Planned> out = new ArrayList<>();
        int poreCount = reduced ? 4 : 12;
        for (int i = 0; i < poreCount; i++) {
            double density = 8 + 40.0 * i / (poreCount - 1);
            int type = 1 + (i * 5) % 6;
            PhantomSpec spec = PhantomSpec.builder().size(WIDTH, HEIGHT).mmPerPx(MM_PER_PX)
                    .grayCard(true).poreDiameterMm(0.10, 0.30).seed(seedBase + i).poresPerCm2(density).fitzpatrick(type)
                    .lightAzimuthDeg((i * 137) % 360).lightElevationDeg(45 + (i * 7) % 21).hairs((i % 3) * 4).build();
            out.add(new Planned("pores", "pores", String.format("pores-%02d", i), spec, null));
        }
        for (int type = 1; type <= 6; type++) {
            PhantomSpec spec = PhantomSpec.builder().size(WIDTH, HEIGHT).mmPerPx(MM_PER_PX).grayCard(true)
                    .poreDiameterMm(0.10, 0.30).seed(seedBase + 100).poresPerCm2(25).fitzpatrick(type).build();
            out.add(new Planned("tones", "tones", "tone-" + type, spec, null));
        }
        PhantomSpec.Builder skin = PhantomSpec.builder().size(WIDTH, HEIGHT).mmPerPx(MM_PER_PX).grayCard(true)
                .poreDiameterMm(0.10, 0.30).seed(seedBase + 200).fitzpatrick(3);
        for (double hb : HAEMOGLOBIN_STEPS) {
            out.add(new Planned("redness", "redness", String.format("redness-hb%.1f", hb), skin.haemoglobin(hb).build(), null));
        }
        double[][] casts = {{1.15, 1.00, 0.85}, {0.85, 1.00, 1.15}, {1.00, 0.85, 1.15}};
        for (int quality : reduced ? new int[] {92} : new int[] {92, 0}) {
            String group = quality > 0 ? "lighting-jpeg" : "lighting-lossless";
            PhantomSpec.Builder lit = skin.haemoglobin(LIGHTING_HAEMOGLOBIN).jpegQuality(quality);
            out.add(new Planned("lighting", group, group + "-neutral", lit.gains(1, 1, 1).exposure(1).build(), null));
            for (int c = 0; c < casts.length; c++) {
                for (double exposure : new double[] {0.85, 1.15}) {
                    PhantomSpec spec = lit.gains(casts[c][0], casts[c][1], casts[c][2]).exposure(exposure).build();
                    out.add(new Planned("lighting", group, String.format("%s-cast%d-x%.2f", group, c, exposure), spec, null));
                }
            }
        }
        int[] types = reduced ? new int[] {3} : new int[] {1, 3, 6};
        double[] azimuth = {30, 102, 174, 246, 318};
        double[] scale = {1.00, 1.02, 0.98, 1.03, 0.99};
        double[][] shift = {{0, 0}, {12, -8}, {-15, 10}, {20, 5}, {-8, -18}};
        for (int type : types) {
            for (int k = 0; k < azimuth.length; k++) {
                PhantomSpec spec = PhantomSpec.builder().size(WIDTH, HEIGHT).mmPerPx(MM_PER_PX).poreDiameterMm(0.10, 0.30)
                        .seed(seedBase + 300 + type).fitzpatrick(type).sceneMargin(0.06).view(scale[k], shift[k][0], shift[k][1])
                        .lightAzimuthDeg(azimuth[k]).noiseSeed(k).build();
                out.add(new Planned("repeatability", "repeat-type" + type, String.format("repeat-type%d-%d", type, k), spec,
                        sameSkin(scale[k], shift[k][0], shift[k][1])));
            }
        }
        return out;
    }

    /**
     * The central 80 % of the first (unmoved) view, as seen by a view moved by {@code scale} and
     * {@code shift}: image x' = c + (x − c − shiftX) / scale.
     */
    static PixelRect sameSkin(double scale, double shiftX, double shiftY) {
        double cx = (WIDTH - 1) / 2.0;
        double cy = (HEIGHT - 1) / 2.0;
        double x0 = 0.1 * WIDTH;
        double y0 = 0.1 * HEIGHT;
        double x = cx + (x0 - cx - shiftX) / scale;
        double y = cy + (y0 - cy - shiftY) / scale;
        return new PixelRect((int) Math.round(x), (int) Math.round(y), (int) Math.round(0.8 * WIDTH / scale),
                (int) Math.round(0.8 * HEIGHT / scale));
    }

    /** Renders a planned phantom into an evaluation case. */
    public static EvalCase render(PhantomRenderer renderer, Planned p) {
        try (Phantom phantom = renderer.render(p.spec())) {
            return new EvalCase(p.suite(), p.group(), p.name(), phantom.encoded(), phantom.truth(), p.roi());
        }
    }
}
