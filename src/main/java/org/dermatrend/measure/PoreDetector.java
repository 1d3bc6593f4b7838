package org.dermatrend.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.dermatrend.cv.MatScope;
import org.dermatrend.util.Select;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Finds pores: small, dark, roughly round openings, measured at their physical scale.
 *
 * <ol>
 * <li>Work on darkness {@code D = −ln(R)} of the linear red channel, so a pore's contrast is a ratio of
 * light, independent of exposure and of the skin's own brightness. Red, because a pore darkens all
 * channels alike in optical density while skin's neutral surface reflection dilutes the darker green
 * and blue channels of dark skin (a type VI pore is 35 % darker in red, 24 % in luminance), and
 * because melanin spots and redness, which absorb mostly green and blue, disturb red least.</li>
 * <li>Subtract the surrounding skin: {@code R = D − B}, B a Gaussian mean of D over skin (σ {@code backgroundMm})
 * that leaves out the pores themselves ({@link #residualDarkness}).</li>
 * <li>Pore centres are blobs, not pixels: maxima in position and scale of the scale-normalised Laplacian of
 * the darkening {@code max(R, 0)} over the pore size range ({@link #blobSeeds}). A pore is found by its whole
 * area, so a pixel's noise, a JPEG block or a half-pixel shift do not make or break it; bright specks around
 * ordinary skin do not make a dark blob of it (only darkening counts). A blob counts when its response is at
 * least {@code blobContrast} and {@code blobNoiseFactor} robust standard deviations of the response over the
 * skin at its scale, so textured skin's random darkenings are not pores.</li>
 * <li>Each blob grows from its darkest pixel down to where its linear light is halfway between its typical
 * contrast and the surrounding skin (full width at half maximum in linear light, see {@link #rimContrast}):
 * a blurred dark disc's half-maximum contour lies on its true rim, whatever its contrast, so diameters do not
 * depend on skin tone or lighting strength. A blob whose region passes the size and shape tests below is then
 * outlined again inside that region with its contrasts taken above the skin's own level (the median residual),
 * which on noisy dark skin lies above the background's zero.</li>
 * <li>A pore is kept when its peak contrast is at least {@code minPeakContrast}, its equivalent-circle
 * diameter lies in {@code [minDiameterMm, maxDiameterMm]}, its long/short axis ratio (second
 * moments) is at most {@code maxElongation} (hair, lines and scar walls are longer), and its centroid
 * lies in the skin mask.</li>
 * <li>Each pore has a weight: 0 at the blob and peak thresholds, 1 from twice them ({@link #ramp}). Density,
 * sizes and area count pores by weight, so a feature at a threshold, which a new pose pushes across it,
 * moves them by a fraction, not by a whole pore.</li>
 * </ol>
 * The pores' pooled rims give the photo's pore-edge blur ({@link PoreResult#edgeBlurMm()}), by which a comparison sizes
 * two photos' pores at the same sharpness. Photos finer than {@code workingMmPerPx} are downsampled first (speed;
 * pores stay ≥ 2.5 px).
 * Thread-safe.
 */
public final class PoreDetector {
    private final ConfigPores config;

    public PoreDetector(ConfigPores config) {
        this.config = config;
    }

    public ConfigPores config() {
        return config;
    }

    /**
     * @param linear  calibrated linear BGR, {@code CV_32FC3}
     * @param skin    the skin mask, {@code CV_8UC1}
     * @param mmPerPx the photo's scale, when known
     * @return the pores and their mask; the caller owns the result
     */
    public PoreResult detect(Mat linear, Mat skin, OptionalDouble mmPerPx) {
        try (WorkingRed red = workingRed(linear, skin, mmPerPx)) {
            return detect(red, skin, 0);
        }
    }

    /**
     * What the pores are found in: the linear red channel and the skin mask at the working scale (photos finer than
     * {@code workingMmPerPx} reduced to it): 5/12 of the calibrated photo's memory at that scale or coarser, less for
     * finer photos. Owns its Mats: close it.
     *
     * @param red       linear red, {@code CV_32FC1}
     * @param mask      the skin mask at the same size, {@code CV_8UC1}
     * @param f         working size over the photo's
     * @param workScale mm per working pixel (the fallback scale's when the photo has none)
     */
    public record WorkingRed(Mat red, Mat mask, double f, double workScale) implements AutoCloseable {
        @Override
        public void close() {
            red.release();
            mask.release();
        }
    }

    /** The photo's {@link WorkingRed}; the caller owns it. */
    public WorkingRed workingRed(Mat linear, Mat skin, OptionalDouble mmPerPx) {
        double scale = mmPerPx.orElse(config.fallbackMmPerPx());
        double f = scale < config.workingMmPerPx() ? scale / config.workingMmPerPx() : 1;
        Mat red = new Mat();
        Mat mask = new Mat();
        try {
            Core.extractChannel(linear, red, 2);
            if (f < 1) {
                Size size = new Size(Math.max(1, Math.round(linear.cols() * f)), Math.max(1, Math.round(linear.rows() * f)));
                Imgproc.resize(red, red, size, 0, 0, Imgproc.INTER_AREA);
                Imgproc.resize(skin, mask, size, 0, 0, Imgproc.INTER_NEAREST);
            } else {
                skin.copyTo(mask);
            }
            return new WorkingRed(red, mask, f, scale / f);
        } catch (RuntimeException | Error e) {
            red.release();
            mask.release();
            throw e;
        }
    }

    /**
     * The pores of {@code in}, after an optical blur of {@code extraBlurMm} (σ, a Gaussian in linear light) when
     * positive: a sharper photo measured as if it were as soft as another (see
     * {@link org.dermatrend.compare.PairComparer}).
     *
     * @param skin the full-resolution skin mask {@code in} was made from
     * @return the pores and their mask; the caller owns the result
     */
    public PoreResult detect(WorkingRed in, Mat skin, double extraBlurMm) {
        double f = in.f();
        double workScale = in.workScale();
        try (MatScope scope = new MatScope()) {
            Mat mask = in.mask();
            int w = in.red().cols();
            int h = in.red().rows();
            Mat y = scope.mat();
            Mat red = in.red();
            if (extraBlurMm > 0) {
                double sigma = extraBlurMm / workScale;
                Imgproc.GaussianBlur(red, y, new Size(0, 0), sigma, sigma, Core.BORDER_REFLECT);
                red = y;
            }
            Core.max(red, new Scalar(1e-4), y);
            Mat dark = scope.mat();
            Core.log(y, dark);
            scope.releaseNow(y);
            Core.multiply(dark, new Scalar(-1), dark);
            Mat residual;
            try (MatScope background = new MatScope()) {
                residual = scope.track(background.keep(residualDarkness(background, dark, mask, config.backgroundMm() / workScale,
                        config.seedContrast())));
            }
            scope.releaseNow(dark);
            float[] r = new float[w * h];
            residual.get(0, 0, r);
            byte[] m = new byte[w * h];
            mask.get(0, 0, m);
            // Only darkening counts towards a blob: bright specks (scale, sebum sparkle) around ordinary skin
            // would otherwise make the skin between them answer like a dark spot.
            Mat darker = scope.mat();
            Imgproc.threshold(residual, darker, 0, 0, Imgproc.THRESH_TOZERO);
            List<int[]> seeds = blobSeeds(scope, darker, mask, m, w, h, workScale);
            // The skin's own level in the residual. The background leaves out everything darker than half the seed
            // contrast, so on skin whose texture and noise are larger than that (dark skin's dim red channel) it leaves
            // out the darker half of ordinary skin and comes out too bright: ordinary skin reads darker than zero
            // (0.08 on type VI phantoms, 0.01 on type II). Detection was tuned on that residual and keeps it; a pore's
            // rim is found between the pore and this level, so a noisy skin does not widen every pore (type VI
            // diameters read 10-24 % large, growing with blur, and pores that grew past a pore's size were lost).
            float level = (float) medianAndRobustSd(r, m)[0];
            // Strongest blob first, so a pore claims its pixels before a weaker neighbour.
            seeds.sort((a, b) -> Float.compare(Float.intBitsToFloat(b[1]), Float.intBitsToFloat(a[1])));
            // A full diameter from the seed: on a flat-bottomed pore the first maximum may lie at the rim.
            int reach = (int) Math.ceil(config.maxDiameterMm() / workScale) + 2;
            int[] owner = new int[w * h];
            byte[] poreMask = new byte[w * h];
            List<Pore> pores = new ArrayList<>();
            Grower grower = new Grower(w, h, reach);
            int id = 0;
            double weightedPx = 0;
            EdgeProfile edges = new EdgeProfile();
            for (int[] seed : seeds) {
                int p0 = darkestNear(r, m, w, h, seed[0]);
                if (owner[p0] != 0 || owner[seed[0]] != 0) {
                    continue;
                }
                float peak = r[p0];
                double weight = Math.min(ramp(Float.intBitsToFloat(seed[1]), Float.intBitsToFloat(seed[2])),
                        ramp(peak, config.minPeakContrast()));
                if (weight <= 0) {
                    continue;
                }
                id++;
                Grower.Region g = grower.grow(r, owner, id, p0, rimContrast(peak));
                if (g != null) {
                    // Regrow at the rim of the pore's typical (median) contrast: a pit's own shadow can make
                    // its darkest pixel much darker than its opening, which would cut the rim too tight.
                    float typical = median(r, g.pixels);
                    if (typical < peak) {
                        for (int p : g.pixels) {
                            owner[p] = 0;
                        }
                        g = grower.grow(r, owner, id, p0, rimContrast(typical));
                    }
                }
                if (g == null) {
                    continue; // grew past any pore's size: a trough, a line, a shadow
                }
                double diameterPx = 2 * Math.sqrt(g.area / Math.PI);
                double diameterMm = diameterPx * workScale;
                if (diameterMm < config.minDiameterMm() || diameterMm > config.maxDiameterMm()
                        || g.elongation > config.maxElongation()) {
                    continue;
                }
                // Which features are pores was decided on the residual above (and tuned on it: on real skin a rim
                // drawn higher turns troughs that now outgrow a pore into pore-sized pieces). The pore's outline is
                // drawn between it and the skin's level, inside that region: the same steps, contrasts taken above
                // the level and thresholds put back on the residual.
                if (level > 0) {
                    float above = Math.max(peak - level, 1e-3f);
                    Grower.Region outline = grower.within(r, owner, id, p0, rimContrast(above) + level);
                    float typical = median(r, outline.pixels) - level;
                    if (typical < above && typical > 0) {
                        outline = grower.within(r, owner, id, p0, rimContrast(typical) + level);
                    }
                    g = outline;
                    diameterPx = 2 * Math.sqrt(g.area / Math.PI);
                    if (diameterPx * workScale < config.minDiameterMm() || g.elongation > config.maxElongation()) {
                        continue; // its outline is smaller than the smallest pore or a streak: a speck of texture
                    }
                }
                for (int p : g.pixels) {
                    poreMask[p] = (byte) 255;
                    if (m[p] != 0) {
                        weightedPx += weight;
                    }
                }
                pores.add(new Pore(g.cx / f, g.cy / f, diameterPx / f, peak, g.elongation, weight));
                edges.add(r, owner, m, w, h, id, g, level);
            }
            Mat poreMat = scope.track(new Mat(h, w, CvType.CV_8UC1));
            poreMat.put(0, 0, poreMask);
            Mat full = new Mat();
            if (f < 1) {
                Imgproc.resize(poreMat, full, skin.size(), 0, 0, Imgproc.INTER_NEAREST);
            } else {
                poreMat.copyTo(full);
            }
            Core.bitwise_and(full, skin, full);
            long skinPx = Core.countNonZero(skin);
            // Weighted pore pixels at the working scale, in full-resolution pixels.
            double[] edgeSigmaPx = edges.sigmaPx();
            return new PoreResult(List.copyOf(pores), skinPx, weightedPx / (f * f), full, edgeSigmaPx[0] * workScale,
                    edgeSigmaPx[1] * workScale);
        }
    }

    /** Pores of at least this equivalent radius (px at the working scale) show an edge worth fitting. */
    private static final double EDGE_MIN_RADIUS_PX = 2.5;
    /** Fewer pooled pores than this give no edge blur. */
    private static final int EDGE_MIN_PORES = 8;

    /**
     * The pores' pooled rim profile: each pore's darkness above the skin's level, as a share of its typical
     * (median) contrast, against the signed distance from its equivalent circle, in quarter-pixel bins; fitted by
     * {@code B + A·Φ(−(d − δ)/σ)}, the profile of a step edge blurred by a Gaussian of σ.
     */
    static final class EdgeProfile {
        private static final double BIN = 0.25;
        private static final double FROM = -3;
        private static final double TO = 5;
        /** Pores are dealt round-robin into this many groups, each left out once for the jackknife's standard error. */
        private static final int GROUPS = 10;
        private static final int BINS = (int) Math.round((TO - FROM) / BIN);
        private final double[][] sum = new double[GROUPS][BINS];
        private final double[][] count = new double[GROUPS][BINS];
        private int pores;

        void add(float[] r, int[] owner, byte[] m, int w, int h, int id, Grower.Region g, float level) {
            double radius = Math.sqrt(g.area / Math.PI);
            if (radius < EDGE_MIN_RADIUS_PX) {
                return;
            }
            float typical = median(r, g.pixels) - Math.max(level, 0);
            if (!(typical > 0)) {
                return;
            }
            double[] gs = sum[pores % GROUPS];
            double[] gc = count[pores % GROUPS];
            pores++;
            int reach = (int) Math.ceil(radius + TO) + 1;
            int x0 = (int) Math.round(g.cx);
            int y0 = (int) Math.round(g.cy);
            for (int y = Math.max(0, y0 - reach); y <= Math.min(h - 1, y0 + reach); y++) {
                for (int x = Math.max(0, x0 - reach); x <= Math.min(w - 1, x0 + reach); x++) {
                    int p = y * w + x;
                    if (m[p] == 0 || (owner[p] != 0 && owner[p] != id)) {
                        continue;
                    }
                    double d = Math.hypot(x - g.cx, y - g.cy) - radius;
                    int bin = (int) Math.floor((d - FROM) / BIN);
                    if (bin < 0 || bin >= BINS) {
                        continue;
                    }
                    gs[bin] += (r[p] - Math.max(level, 0)) / typical;
                    gc[bin]++;
                }
            }
        }

        /** {σ, its standard error}, px; NaN with fewer than {@link #EDGE_MIN_PORES} pores. */
        double[] sigmaPx() {
            if (pores < EDGE_MIN_PORES) {
                return new double[] {Double.NaN, Double.NaN};
            }
            double[] all = fit(-1, 0, SIGMAS, 0, DELTAS);
            double sigma = all[0];
            // Delete-a-group jackknife: (g − 1)/g · Σ (θ₋ᵢ − θ̄)². A group's pores move the optimum little, so each
            // refit searches ±0.3 px of σ and ±0.5 px of δ around the whole fit's (a thirteenth of the grid).
            int k0 = (int) Math.round((all[0] - SIGMA_FROM) / SIGMA_STEP);
            int l0 = (int) Math.round((all[1] - DELTA_FROM) / DELTA_STEP);
            double[] left = new double[GROUPS];
            double mean = 0;
            for (int i = 0; i < GROUPS; i++) {
                left[i] = fit(i, Math.max(0, k0 - 30), Math.min(SIGMAS, k0 + 31), Math.max(0, l0 - 10), Math.min(DELTAS, l0 + 11))[0];
                mean += left[i] / GROUPS;
            }
            double ss = 0;
            for (double v : left) {
                ss += (v - mean) * (v - mean);
            }
            return new double[] {sigma, Math.sqrt((GROUPS - 1.0) / GROUPS * ss)};
        }

        /** The fit's grid: σ from 0.2 to 3 px by 0.01, δ from −1.5 to 1.5 px by 0.05. */
        private static final double SIGMA_FROM = 0.2;
        private static final double SIGMA_STEP = 0.01;
        private static final int SIGMAS = 281;
        private static final double DELTA_FROM = -1.5;
        private static final double DELTA_STEP = 0.05;
        private static final int DELTAS = 61;

        /** Φ(−(d − δ)/σ) at every bin centre d for every grid point, built once per process on first use (4 MB). */
        private static final class Phi {
            static final double[][][] TABLE = build();

            private static double[][][] build() {
                double[][][] t = new double[SIGMAS][DELTAS][BINS];
                for (int k = 0; k < SIGMAS; k++) {
                    double sigma = SIGMA_FROM + SIGMA_STEP * k;
                    for (int l = 0; l < DELTAS; l++) {
                        double delta = DELTA_FROM + DELTA_STEP * l;
                        for (int i = 0; i < BINS; i++) {
                            t[k][l][i] = normalCdf(-(FROM + (i + 0.5) * BIN - delta) / sigma);
                        }
                    }
                }
                return t;
            }
        }

        /** Φ(z) by Abramowitz and Stegun 7.1.26 (error under 1.5·10⁻⁷). */
        private static double normalCdf(double z) {
            double x = Math.abs(z) / Math.sqrt(2);
            double t = 1 / (1 + 0.3275911 * x);
            double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                    * Math.exp(-x * x);
            return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
        }

        /**
         * {σ, δ, A, B} by a grid over σ and δ (indices {@code kFrom..kTo−1}, {@code lFrom..lTo−1}), A and B by least
         * squares at each; without group {@code leftOut} (−1: all).
         */
        private double[] fit(int leftOut, int kFrom, int kTo, int lFrom, int lTo) {
            double[] binSum = new double[BINS];
            double[] binCount = new double[BINS];
            for (int g = 0; g < GROUPS; g++) {
                if (g != leftOut) {
                    for (int i = 0; i < BINS; i++) {
                        binSum[i] += sum[g][i];
                        binCount[i] += count[g][i];
                    }
                }
            }
            double s1 = 0, sv = 0, svv = 0;
            double[] wgt = new double[BINS];
            double[] v = new double[BINS];
            for (int i = 0; i < BINS; i++) {
                if (binCount[i] >= 5) {
                    wgt[i] = binCount[i];
                    v[i] = binSum[i] / binCount[i];
                    s1 += wgt[i];
                    sv += wgt[i] * v[i];
                    svv += wgt[i] * v[i] * v[i];
                }
            }
            double[] best = {Double.NaN, 0, 0, 0};
            double bestErr = Double.POSITIVE_INFINITY;
            double[][][] phiTable = Phi.TABLE;
            for (int k = kFrom; k < kTo; k++) {
                for (int l = lFrom; l < lTo; l++) {
                    double[] phi = phiTable[k][l];
                    double sp = 0, spp = 0, spv = 0;
                    for (int i = 0; i < BINS; i++) {
                        double wp = wgt[i] * phi[i];
                        sp += wp;
                        spp += wp * phi[i];
                        spv += wp * v[i];
                    }
                    double det = s1 * spp - sp * sp;
                    if (!(det > 1e-12)) {
                        continue;
                    }
                    double a = (s1 * spv - sp * sv) / det;
                    double b = (sv - a * sp) / s1;
                    double err = svv - 2 * a * spv - 2 * b * sv + a * a * spp + 2 * a * b * sp + b * b * s1;
                    if (err < bestErr) {
                        bestErr = err;
                        best = new double[] {SIGMA_FROM + SIGMA_STEP * k, DELTA_FROM + DELTA_STEP * l, a, b};
                    }
                }
            }
            return best;
        }
    }

    /** A pore's weight reaches 1 at this multiple of each threshold. */
    static final double RAMP = 2;

    /**
     * A pore's weight from one of its measures: 0 at the threshold, rising linearly to 1 at
     * {@code RAMP} times it. Counting by weight makes the count a continuous function of the photo: a
     * feature near the threshold, which a new pose or noise pushes across it, moves the count by a
     * fraction instead of by one.
     */
    static double ramp(double value, double threshold) {
        return Math.max(0, Math.min(1, (value - threshold) / ((RAMP - 1) * threshold)));
    }
    /** Smallest scale of the blob search, px (σ): finer scales see only a pixel's noise. */
    private static final double MIN_SIGMA_PX = 0.6;
    /** Scales per octave of the blob search. */
    private static final int SCALES_PER_OCTAVE = 3;

    /**
     * Blob centres: maxima in position and scale of the scale-normalised Laplacian of the residual
     * darkness, {@code B = −σ²∇²(G_σ ∗ R)}, over σ = r/√2 for pore radii r of the size range. A dark disc
     * of contrast c answers {@code 2c/e ≈ 0.74·c} at its matched scale whatever its size, while a
     * pixel's noise answers less the wider the scale: a pore is found by its whole area, not by its
     * darkest pixel. A maximum counts when it is at least {@code blobContrast} and at least
     * {@code blobNoiseFactor} robust standard deviations (1.4826·MAD over the skin) of B at its scale,
     * so textured skin's random darkenings do not count.
     *
     * @return {pixel, float bits of B, float bits of the threshold at its scale}
     */
    private List<int[]> blobSeeds(MatScope scope, Mat residual, Mat maskMat, byte[] m, int w, int h, double workScale) {
        double rMin = Math.max(MIN_SIGMA_PX * Math.sqrt(2), config.minDiameterMm() / 2 / workScale);
        double rMax = config.maxDiameterMm() / 2 / workScale;
        int n = Math.max(2, 1 + (int) Math.ceil(SCALES_PER_OCTAVE * Math.log(rMax / rMin) / Math.log(2)));
        // A window over three scales: [0] the previous, [1] the current, [2] the next. Each holds B (lap), its 3×3 maximum
        // (dil) and its threshold; the Mats of the scale leaving the window are reused for the one entering it.
        Mat[] lap = new Mat[3];
        Mat[] dil = new Mat[3];
        float[] thr = new float[3];
        Mat blurred = scope.mat();
        Mat kernel = scope.track(Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3)));
        Mat keep = scope.mat();
        Mat test = scope.mat();
        Mat points = scope.mat();
        float[][] values = new float[3][];
        java.util.ArrayDeque<Mat> spare = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<float[]> spareValues = new java.util.ArrayDeque<>();
        List<int[]> seeds = new ArrayList<>();
        for (int k = 0; k <= n; k++) {
            if (lap[0] != null) {
                spare.push(lap[0]);
                spare.push(dil[0]);
                spareValues.push(values[0]);
            }
            values[0] = values[1];
            values[1] = values[2];
            values[2] = null;
            lap[0] = lap[1];
            dil[0] = dil[1];
            thr[0] = thr[1];
            lap[1] = lap[2];
            dil[1] = dil[2];
            thr[1] = thr[2];
            lap[2] = null;
            dil[2] = null;
            if (k < n) {
                double sigma = rMin * Math.pow(rMax / rMin, (double) k / (n - 1)) / Math.sqrt(2);
                Mat nl = spare.isEmpty() ? scope.mat() : spare.pop();
                Mat nd = spare.isEmpty() ? scope.mat() : spare.pop();
                Imgproc.GaussianBlur(residual, blurred, new Size(0, 0), sigma, sigma, Core.BORDER_REFLECT);
                Imgproc.Laplacian(blurred, nl, CvType.CV_32F, 1, -sigma * sigma, 0, Core.BORDER_REFLECT);
                Imgproc.dilate(nl, nd, kernel);
                float[] v = spareValues.isEmpty() ? new float[w * h] : spareValues.pop();
                nl.get(0, 0, v);
                lap[2] = nl;
                dil[2] = nd;
                values[2] = v;
                thr[2] = (float) Math.max(config.blobContrast(), config.blobNoiseFactor() * robustSd(v, m));
            }
            if (lap[1] == null) {
                continue;
            }
            // Maxima over position and scale, on skin, at or above the scale's threshold: the same pixels a loop
            // comparing each one with its 3×3 maximum here and at both neighbouring scales keeps, in OpenCV's
            // vectorised loops, so only the few candidates reach Java.
            Core.compare(lap[1], new Scalar(thr[1]), keep, Core.CMP_GE);
            Core.bitwise_and(keep, maskMat, keep);
            for (Mat neighbour : new Mat[] {dil[1], dil[0], dil[2]}) {
                if (neighbour != null) {
                    Core.compare(lap[1], neighbour, test, Core.CMP_GE);
                    Core.bitwise_and(keep, test, keep);
                }
            }
            Core.findNonZero(keep, points);
            int found = (int) points.total();
            if (found == 0) {
                continue;
            }
            int[] xy = new int[2 * found];
            points.get(0, 0, xy);
            float[] cur = values[1];
            for (int i = 0; i < found; i++) {
                int p = xy[2 * i + 1] * w + xy[2 * i];
                seeds.add(new int[] {p, Float.floatToIntBits(cur[p]), Float.floatToIntBits(thr[1])});
            }
        }
        return seeds;
    }

    /**
     * 1.4826 × the median absolute deviation of {@code v} over the mask, from about 20 000 masked pixels spread
     * over the image (a fixed stride; enough for the noise floor to within a few per cent, and the sorting stays
     * cheap on a 12 MP photo).
     */
    private static double robustSd(float[] v, byte[] m) {
        return medianAndRobustSd(v, m)[1];
    }

    /**
     * The median and 1.4826 × the median absolute deviation of {@code v} over the mask, from about 20 000 masked
     * pixels spread over the image (see {@link #robustSd}); {0, 0} with fewer than 10.
     */
    private static double[] medianAndRobustSd(float[] v, byte[] m) {
        int stride = Math.max(1, v.length / 20_000) | 1;
        int count = 0;
        for (int p = 0; p < v.length; p += stride) {
            if (m[p] != 0) {
                count++;
            }
        }
        if (count < 10) {
            return new double[] {0, 0};
        }
        float[] s = new float[count];
        int i = 0;
        for (int p = 0; p < v.length && i < count; p += stride) {
            if (m[p] != 0) {
                s[i++] = v[p];
            }
        }
        float med = Select.kth(s, count, count / 2);
        for (int j = 0; j < count; j++) {
            s[j] = Math.abs(s[j] - med);
        }
        return new double[] {med, 1.4826 * Select.kth(s, count, count / 2)};
    }

    /** The darkest skin pixel within one pixel of {@code p} (a blob's centre may sit beside its darkest point). */
    private static int darkestNear(float[] r, byte[] m, int w, int h, int p) {
        int x0 = p % w;
        int y0 = p / w;
        int best = p;
        for (int y = Math.max(0, y0 - 1); y <= Math.min(h - 1, y0 + 1); y++) {
            for (int x = Math.max(0, x0 - 1); x <= Math.min(w - 1, x0 + 1); x++) {
                int q = y * w + x;
                if (m[q] != 0 && r[q] > r[best]) {
                    best = q;
                }
            }
        }
        return best;
    }

    private static float median(float[] r, int[] pixels) {
        float[] v = new float[pixels.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r[pixels[i]];
        }
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    /**
     * Darkness relative to the surrounding skin, {@code R = D − B}. The background B is a Gaussian
     * (σ = {@code sigmaPx}) mean of D over skin, computed three times: each time without the pixels
     * (grown by 2 px) that the previous pass found darker than half of {@code exclude}, so pores do not
     * darken their own background.
     * A mean rather than a grey opening: an opening takes the local brightest level, which specular
     * sparkle on dark skin lifts until ordinary skin reads as "dark".
     */
    private static Mat residualDarkness(MatScope scope, Mat dark, Mat mask, double sigmaPx, double exclude) {
        Mat weight = scope.mat();
        mask.convertTo(weight, CvType.CV_32F, 1 / 255.0);
        Mat background = normalisedBlur(scope, dark, weight, sigmaPx);
        Mat residual = scope.mat();
        Mat grow = scope.track(Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(5, 5)));
        for (int pass = 0; pass < 2; pass++) {
            Core.subtract(dark, background, residual);
            // Leave out candidates (and their rims) so they do not darken their own background.
            Mat candidates = scope.mat();
            Imgproc.threshold(residual, candidates, exclude / 2, 1, Imgproc.THRESH_BINARY);
            Imgproc.dilate(candidates, candidates, grow);
            Mat keep = scope.mat();
            Core.subtract(scope.track(Mat.ones(candidates.size(), CvType.CV_32F)), candidates, keep);
            Mat w = scope.mat();
            Core.multiply(weight, keep, w);
            background = normalisedBlur(scope, dark, w, sigmaPx);
        }
        Core.subtract(dark, background, residual);
        return residual;
    }

    /**
     * Gaussian-weighted mean of {@code values} under {@code weight}. A background this smooth
     * (σ of tens of pixels) is computed on a copy reduced by up to σ/4 and scaled back up: the same
     * result to well under the contrasts that matter, several times faster.
     */
    private static Mat normalisedBlur(MatScope scope, Mat values, Mat weight, double sigmaPx) {
        Mat num = scope.mat();
        Core.multiply(values, weight, num);
        Mat den = weight;
        int k = (int) Math.max(1, Math.min(8, Math.floor(sigmaPx / 4)));
        Size full = values.size();
        if (k > 1) {
            Size small = new Size(Math.max(1, Math.round(full.width / k)), Math.max(1, Math.round(full.height / k)));
            Mat n2 = scope.mat();
            Mat d2 = scope.mat();
            Imgproc.resize(num, n2, small, 0, 0, Imgproc.INTER_AREA);
            Imgproc.resize(weight, d2, small, 0, 0, Imgproc.INTER_AREA);
            num = n2;
            den = d2;
        } else {
            den = scope.track(weight.clone());
        }
        double s = sigmaPx / k;
        Imgproc.GaussianBlur(num, num, new Size(0, 0), s, s, Core.BORDER_REFLECT);
        Imgproc.GaussianBlur(den, den, new Size(0, 0), s, s, Core.BORDER_REFLECT);
        Core.max(den, new Scalar(1e-6), den);
        Mat out = scope.mat();
        Core.divide(num, den, out);
        if (k > 1) {
            Mat up = scope.mat();
            Imgproc.resize(out, up, full, 0, 0, Imgproc.INTER_LINEAR);
            return up;
        }
        return out;
    }

    /**
     * The contrast at a dark disc's rim: where a pixel is half inside, its linear light is the mean
     * of inside and outside, so {@code R = −ln((1 + e^−peak) / 2)} (a little under half the peak in
     * log units: 0.39 of it for a pore half as bright as the skin).
     */
    static float rimContrast(float peak) {
        return (float) -Math.log((1 + Math.exp(-peak)) / 2);
    }

    private static int odd(double px) {
        int v = Math.max(3, (int) Math.round(px));
        return v % 2 == 0 ? v + 1 : v;
    }

    /**
     * Grows a region from a seed over 8-connected pixels at or above a threshold, within a square
     * window of {@code reach} pixels around the seed, claiming pixels in {@code owner}.
     */
    private static final class Grower {
        private final int w;
        private final int h;
        private final int reach;
        private int[] stack = new int[1024];
        private int[] pixels = new int[1024];

        Grower(int w, int h, int reach) {
            this.w = w;
            this.h = h;
            this.reach = reach;
        }

        static final class Region {
            double area;
            double cx;
            double cy;
            double elongation;
            int[] pixels;
        }

        /**
         * The pixels of region {@code id} (as {@link #grow} claimed them) connected to {@code seed} at or above
         * {@code threshold}: an outline inside a region already grown. The seed always belongs to it; ownership is
         * left as it was.
         */
        Region within(float[] r, int[] owner, int id, int seed, float threshold) {
            int count = flood(r, owner, seed, threshold, id, -id);
            for (int i = 0; i < count; i++) {
                owner[pixels[i]] = id;
            }
            return region(seed, count);
        }

        /** Set by {@link #flood}: the fill reached {@code reach} pixels from its seed. */
        private boolean escaped;

        /**
         * Fills from {@code seed} over 8-connected pixels owned by {@code from} and at or above {@code threshold},
         * marking each {@code mark} in {@code owner} and listing it in {@code pixels}; {@link #escaped} tells whether
         * it reached {@code reach} pixels from the seed.
         *
         * @return how many pixels it filled (the first entries of {@code pixels})
         */
        private int flood(float[] r, int[] owner, int seed, float threshold, int from, int mark) {
            int sx = seed % w;
            int sy = seed / w;
            int top = 0;
            int count = 0;
            escaped = false;
            stack[top++] = seed;
            owner[seed] = mark;
            while (top > 0) {
                int p = stack[--top];
                if (count == pixels.length) {
                    pixels = java.util.Arrays.copyOf(pixels, 2 * count);
                }
                pixels[count++] = p;
                int x = p % w;
                int y = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= w || ny >= h) {
                            continue;
                        }
                        int np = ny * w + nx;
                        if (owner[np] != from || r[np] < threshold) {
                            continue;
                        }
                        if (Math.abs(nx - sx) >= reach || Math.abs(ny - sy) >= reach) {
                            escaped = true;
                        }
                        owner[np] = mark;
                        if (top == stack.length) {
                            stack = java.util.Arrays.copyOf(stack, 2 * top);
                        }
                        stack[top++] = np;
                    }
                }
            }
            return count;
        }

        /** The region of the first {@code count} entries of {@code pixels}: area, centroid, elongation. */
        private Region region(int seed, int count) {
            int sx = seed % w;
            int sy = seed / w;
            double s1x = 0;
            double s1y = 0;
            double sxx = 0;
            double syy = 0;
            double sxy = 0;
            for (int i = 0; i < count; i++) {
                double gx = pixels[i] % w - sx;
                double gy = pixels[i] / w - sy;
                s1x += gx;
                s1y += gy;
                sxx += gx * gx;
                syy += gy * gy;
                sxy += gx * gy;
            }
            Region g = new Region();
            g.area = count;
            double mx = s1x / count;
            double my = s1y / count;
            g.cx = sx + mx;
            g.cy = sy + my;
            // Central second moments, plus the 1/12 px² of each pixel's own extent.
            double vxx = sxx / count - mx * mx + 1.0 / 12;
            double vyy = syy / count - my * my + 1.0 / 12;
            double vxy = sxy / count - mx * my;
            double tr = vxx + vyy;
            double det = vxx * vyy - vxy * vxy;
            double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
            g.elongation = Math.sqrt((tr / 2 + disc) / Math.max(1e-9, tr / 2 - disc));
            g.pixels = java.util.Arrays.copyOf(pixels, count);
            return g;
        }

        /**
         * @return the region, or {@code null} when it reaches the window's edge (larger than any pore);
         *         then all of it, however large, is claimed
         */
        Region grow(float[] r, int[] owner, int id, int seed, float threshold) {
            // Unowned pixels only. Larger than any pore: the whole structure stays claimed, so that none of its pieces
            // seeds a pore-sized fragment later, and it is rejected.
            int count = flood(r, owner, seed, threshold, 0, id);
            return escaped ? null : region(seed, count);
        }
    }
}
