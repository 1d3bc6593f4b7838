package org.dermatrend.relief;

import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the relief network over a whole photo in overlapping tiles and blends them.
 *
 * <p>Tiles are {@code tilePx} square at the canonical scale, overlapping by {@code overlapPx}; each
 * tile's prediction is weighted by a ramp that falls to near zero at its edges, so seams vanish and
 * every pixel's depth comes mostly from a tile that saw the skin around it. Each tile may also be run
 * mirrored and the answers averaged ({@code mirrors}; the default is 2). Images smaller than a tile are
 * padded by reflection. Thread-safe: each call makes its own {@link ReliefModel.Inference}.
 */
public final class ReliefEstimator implements ReliefMethod {
    public static final int DEFAULT_TILE_PX = 512;
    public static final int DEFAULT_OVERLAP_PX = 48;
    public static final int DEFAULT_MIRRORS = 2;
    private final ReliefModel model;
    private final int tilePx;
    private final int overlapPx;
    private final int mirrors;

    /**
     * @param tilePx    tile side in canonical pixels, a multiple of {@link ReliefNet#SIZE_MULTIPLE}
     * @param overlapPx overlap between neighbouring tiles, {@code 0 ≤ overlap < tilePx / 2}
     */
    public ReliefEstimator(ReliefModel model, int tilePx, int overlapPx) {
        this(model, tilePx, overlapPx, 1);
    }

    /**
     * @param mirrors 1 (each tile once), 2 (also mirrored left-right) or 4 (also upside down, and both):
     *                the tile's mirror images are run and their answers, mirrored back, averaged
     */
    public ReliefEstimator(ReliefModel model, int tilePx, int overlapPx, int mirrors) {
        settingsProblem(tilePx, overlapPx, mirrors).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        this.model = model;
        this.tilePx = tilePx;
        this.overlapPx = overlapPx;
        this.mirrors = mirrors;
    }

    /** What is wrong with these tiling settings, or empty when the network can be run with them. */
    public static java.util.Optional<String> settingsProblem(int tilePx, int overlapPx, int mirrors) {
        if (tilePx <= 0 || tilePx % ReliefNet.SIZE_MULTIPLE != 0 || overlapPx < 0 || 2 * overlapPx >= tilePx) {
            return java.util.Optional.of("tile " + tilePx + " px with overlap " + overlapPx
                    + " px: the tile must be a positive multiple of " + ReliefNet.SIZE_MULTIPLE + " and the overlap under half of it");
        }
        if (mirrors != 1 && mirrors != 2 && mirrors != 4) {
            return java.util.Optional.of("mirrors must be 1, 2 or 4, got " + mirrors);
        }
        return java.util.Optional.empty();
    }

    /**
     * Tiles of up to 512 px (41 mm) overlapping by 48 px (about 4 mm, a third of the receptive field), each
     * run as it is and mirrored left-right. A 12-megapixel photo at 0.01 mm/px makes a 500 × 375 relief image:
     * one tile, the whole image in one pass (it was six tiles of 256 px, each pixel seen about twice: the
     * network now takes half the time, docs/benchmarks.md, with the scar figures unchanged within their noise,
     * docs/metrics.md §9). Larger reliefs are still tiled, so the network's memory stays that of a 512-px tile.
     * The mirror average was chosen on the tuning phantoms (seeds 50001+): median depth error 0.045 → 0.039 mm,
     * false scars 0.89 → 0.71 per 10 cm², CV under light changes 9.0 → 7.8 %, for twice the network time; four
     * mirrors gained nothing more.
     */
    public ReliefEstimator(ReliefModel model) {
        this(model, DEFAULT_TILE_PX, DEFAULT_OVERLAP_PX, DEFAULT_MIRRORS);
    }

    /**
     * The scar depth map of a shading image ({@link ReliefInput#shading}): {@code CV_32FC1}, same
     * size, mm below the surrounding skin (≥ 0). The caller owns the result.
     */
    @Override
    public Mat depthMm(Mat shading) {
        return depthMm(shading, null);
    }

    /**
     * As {@link #depthMm(Mat)}, running the network only on tiles that hold skin: tiles without a
     * single skin pixel are skipped and answer 0 (flat), which saves most of the time on a photo that
     * is mostly background. {@code skin} is {@code CV_8UC1} of the shading image's size, or null.
     */
    @Override
    public Mat depthMm(Mat shading, Mat skin) {
        int w = shading.cols();
        int h = shading.rows();
        int pw = roundUp(w);
        int ph = roundUp(h);
        int tw = Math.min(tilePx, pw);
        int th = Math.min(tilePx, ph);
        try (MatScope scope = new MatScope();
             ReliefModel.Inference inference = model.newInference()) {
            Mat padded = scope.mat();
            Core.copyMakeBorder(shading, padded, 0, ph - h, 0, pw - w, Core.BORDER_REFLECT);
            Mat sum = scope.track(Mat.zeros(ph, pw, CvType.CV_32FC1));
            Mat weightSum = scope.track(Mat.zeros(ph, pw, CvType.CV_32FC1));
            Mat window = scope.track(ramp(tw, th));
            Mat tileOut = scope.track(new Mat(th, tw, CvType.CV_32FC1));
            Mat weighted = scope.mat();
            for (int y : starts(ph, th)) {
                for (int x : starts(pw, tw)) {
                    Rect r = new Rect(x, y, tw, th);
                    if (skin != null && !hasSkin(scope, skin, r, w, h)) {
                        continue;
                    }
                    float[] depth = predict(inference, ReliefInput.planar(padded, r), tw, th);
                    tileOut.put(0, 0, depth);
                    Core.multiply(tileOut, window, weighted);
                    Mat s = scope.track(sum.submat(r));
                    Core.add(s, weighted, s);
                    Mat ws = scope.track(weightSum.submat(r));
                    Core.add(ws, window, ws);
                }
            }
            Core.divide(sum, weightSum, sum);
            // Where no tile ran (no skin), 0/0: flat.
            Mat none = scope.mat();
            Core.compare(weightSum, new org.opencv.core.Scalar(0), none, Core.CMP_EQ);
            sum.setTo(new org.opencv.core.Scalar(0), none);
            return scope.track(sum.submat(0, h, 0, w)).clone();
        }
    }

    /** The tile's depth, averaged over its mirror images when {@code mirrors} > 1. */
    private float[] predict(ReliefModel.Inference inference, float[] chw, int w, int h) {
        float[] sum = null;
        for (int m = 0; m < mirrors; m++) {
            boolean fx = (m & 1) != 0;
            boolean fy = (m & 2) != 0;
            float[] out = mirror(inference.depthMm(new ReliefTile(mirror(chw, 3, w, h, fx, fy), w, h)), 1, w, h, fx, fy);
            if (sum == null) {
                sum = out;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += out[i];
                }
            }
        }
        if (mirrors > 1) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= mirrors;
            }
        }
        return sum;
    }

    /** Planar {@code channels × h × w} mirrored left-right ({@code fx}) and/or upside down ({@code fy}); its own inverse. */
    static float[] mirror(float[] v, int channels, int w, int h, boolean fx, boolean fy) {
        if (!fx && !fy) {
            return v;
        }
        float[] out = new float[v.length];
        for (int c = 0; c < channels; c++) {
            int base = c * w * h;
            for (int y = 0; y < h; y++) {
                int sy = fy ? h - 1 - y : y;
                for (int x = 0; x < w; x++) {
                    out[base + y * w + x] = v[base + sy * w + (fx ? w - 1 - x : x)];
                }
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "model";
    }

    /** Whether the part of tile {@code r} inside the unpadded {@code w × h} image holds any skin. */
    private static boolean hasSkin(MatScope scope, Mat skin, Rect r, int w, int h) {
        int x1 = Math.min(w, r.x + r.width);
        int y1 = Math.min(h, r.y + r.height);
        if (r.x >= x1 || r.y >= y1) {
            return false;
        }
        return Core.countNonZero(scope.track(skin.submat(r.y, y1, r.x, x1))) > 0;
    }

    private int roundUp(int v) {
        int m = ReliefNet.SIZE_MULTIPLE;
        return (v + m - 1) / m * m;
    }

    /** Tile origins covering {@code 0..size} with the overlap, the last one flush with the end. */
    private List<Integer> starts(int size, int tile) {
        List<Integer> out = new ArrayList<>();
        int step = tile - overlapPx;
        for (int s = 0; ; s += step) {
            if (s + tile >= size) {
                out.add(size - tile);
                return out;
            }
            out.add(s);
        }
    }

    /** Blending weights: 1 in the middle, falling linearly to a small floor over the overlap at each edge. */
    private Mat ramp(int w, int h) {
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.min(Math.min(x, w - 1 - x), Math.min(y, h - 1 - y)) + 0.5;
                v[y * w + x] = (float) Math.max(0.02, Math.min(1, d / Math.max(1, overlapPx)));
            }
        }
        Mat m = new Mat(h, w, CvType.CV_32FC1);
        m.put(0, 0, v);
        return m;
    }
}
