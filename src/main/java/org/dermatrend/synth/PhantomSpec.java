package org.dermatrend.synth;

import java.util.Locale;

/**
 * What to render: skin, light and camera parameters of one phantom. Every field has a documented
 * default ({@link #builder()}); {@link Builder#preset(String)} applies the named test conditions.
 * The same spec (seed included) always renders the same pixels.
 *
 * @param width                 image width, pixels (≥ 64)
 * @param height                image height, pixels (≥ 64)
 * @param mmPerPx               physical scale, mm per pixel (default 0.025: 40 px per mm)
 * @param seed                  seed of every random choice
 * @param fitzpatrick           skin type 1..6, sets the melanin level
 * @param haemoglobin           base haemoglobin, optical-density units (default 0.5)
 * @param erythemaPatches       number of red patches (default 3)
 * @param erythemaStrength      extra haemoglobin at a patch centre (default 0.35)
 * @param erythemaRadiusMm      patch radius; the Gaussian σ is half of it (default 4 mm)
 * @param poresPerCm2           pore density over skin (default 25 per cm²)
 * @param poreDiameterMinMm     smallest pore diameter (default 0.08 mm)
 * @param poreDiameterMaxMm     largest pore diameter (default 0.25 mm); diameters are uniform between
 * @param poreDepthMm           pit depth of a pore (default 0.06 mm)
 * @param icepickScars          number of icepick scars
 * @param boxcarScars           number of boxcar scars
 * @param rollingScars          number of rolling scars
 * @param scarDepthMinMm        shallowest scar (default 0.05 mm)
 * @param scarDepthMaxMm        deepest scar (default 0.5 mm); depths are uniform between
 * @param microReliefMm         RMS height of the skin micro-relief (default 0.006 mm)
 * @param lightAzimuthDeg       light azimuth, counter-clockwise from +x on screen (default 135°)
 * @param lightElevationDeg     light elevation above the skin plane, 30..80 (default 55°)
 * @param ambient               ambient share of flat-skin brightness, 0..1 (default 0.35)
 * @param gainR                 white-balance gain on linear red (default 1)
 * @param gainG                 white-balance gain on linear green (default 1)
 * @param gainB                 white-balance gain on linear blue (default 1)
 * @param exposure              exposure multiplier (default 1)
 * @param noise                 sensor noise, σ(v) = noise·√v on linear values (default 0.004)
 * @param blurSigmaPx           optical blur σ, pixels (default 0.6)
 * @param jpegQuality           1..100 for JPEG output, 0 for lossless PNG (default 92)
 * @param hairs                 number of hair strands (default 0)
 * @param grayCard              whether an 18 % grey card sits in the top-left corner
 * @param backgroundFraction    share of the frame covered by a non-skin backdrop, 0..0.95
 * @param glare                 strength of oily specular patches, 0 (none) .. 1 (clipped white)
 * @param illuminationFalloff   fractional light loss across the frame, 0..0.95
 * @param sceneMargin           0 renders the skin exactly in the frame; above 0 the skin scene extends
 *                              this share of the frame beyond each edge, so that the camera view below
 *                              can move over the same skin (0..0.3)
 * @param viewScale             camera view: scene pixels per image pixel (1.02 = 2 % more skin in view,
 *                              so the image's mmPerPx is {@code mmPerPx · viewScale}); 0.8..1.25
 * @param viewShiftXPx          camera view: shift of the view's centre over the scene, scene pixels
 * @param viewShiftYPx          the same, vertically
 * @param noiseSeed             mixed into the seed of the sensor noise only: another value re-renders
 *                              the same skin with new noise
 * @param pigmentSpots          number of flat brown spots (lentigines, post-inflammatory
 *                              hyperpigmentation), 0.5–4 mm across: dark like a pit but without relief,
 *                              the confounder a depth estimate must not mistake for a scar (default 0)
 * @param poreScale             the pores' openings as a share of their drawn diameters, 0.5..1 (default 1):
 *                              pores are placed (positions, spacing, random draws) at the drawn diameters and
 *                              opened at this share of them, so a treatment course shrinks the same pores
 *                              rather than drawing a new set of smaller ones
 */
public record PhantomSpec(
        int width, int height, double mmPerPx, long seed,
        int fitzpatrick, double haemoglobin, int erythemaPatches, double erythemaStrength, double erythemaRadiusMm,
        double poresPerCm2, double poreDiameterMinMm, double poreDiameterMaxMm, double poreDepthMm,
        int icepickScars, int boxcarScars, int rollingScars, double scarDepthMinMm, double scarDepthMaxMm,
        double microReliefMm,
        double lightAzimuthDeg, double lightElevationDeg, double ambient,
        double gainR, double gainG, double gainB, double exposure, double noise, double blurSigmaPx, int jpegQuality,
        int hairs, boolean grayCard, double backgroundFraction, double glare, double illuminationFalloff,
        double sceneMargin, double viewScale, double viewShiftXPx, double viewShiftYPx, long noiseSeed,
        int pigmentSpots, double poreScale) {

    /** The named presets {@link Builder#preset} knows, for the CLI's help. */
    public static final String PRESETS = "clean, blurred, overexposed, dark, skin-poor, glare, uneven, hairy, scarred";

    public PhantomSpec {
        require(width >= 64 && height >= 64, "width and height must be at least 64 px");
        require((long) width * height <= 100_000_000L, "at most 100 megapixels");
        require(mmPerPx > 0 && mmPerPx <= 1, "mmPerPx must be in (0, 1]");
        require(fitzpatrick >= 1 && fitzpatrick <= 6, "fitzpatrick must be 1..6");
        require(haemoglobin >= 0 && haemoglobin <= 3, "haemoglobin must be in 0..3");
        require(erythemaPatches >= 0 && erythemaStrength >= 0 && erythemaRadiusMm > 0, "erythema settings must be non-negative");
        require(poresPerCm2 >= 0 && poresPerCm2 <= 400, "poresPerCm2 must be in 0..400");
        require(poreDiameterMinMm > 0 && poreDiameterMinMm <= poreDiameterMaxMm && poreDiameterMaxMm <= 1,
                "pore diameters must satisfy 0 < min <= max <= 1 mm");
        require(poreDepthMm >= 0 && poreDepthMm <= 1, "poreDepthMm must be in 0..1");
        require(icepickScars >= 0 && boxcarScars >= 0 && rollingScars >= 0, "scar counts must be non-negative");
        require(scarDepthMinMm >= 0 && scarDepthMinMm <= scarDepthMaxMm && scarDepthMaxMm <= 2,
                "scar depths must satisfy 0 <= min <= max <= 2 mm");
        require(microReliefMm >= 0 && microReliefMm <= 0.1, "microReliefMm must be in 0..0.1");
        require(lightElevationDeg >= 10 && lightElevationDeg <= 90, "lightElevationDeg must be in 10..90");
        require(ambient >= 0 && ambient <= 1, "ambient must be in 0..1");
        require(gainR > 0 && gainG > 0 && gainB > 0 && exposure > 0, "gains and exposure must be positive");
        require(noise >= 0 && noise <= 0.2, "noise must be in 0..0.2");
        require(blurSigmaPx >= 0 && blurSigmaPx <= 50, "blurSigmaPx must be in 0..50");
        require(jpegQuality >= 0 && jpegQuality <= 100, "jpegQuality must be 0 (PNG) or 1..100");
        require(hairs >= 0 && hairs <= 1000, "hairs must be in 0..1000");
        require(pigmentSpots >= 0 && pigmentSpots <= 1000, "pigmentSpots must be in 0..1000");
        require(poreScale >= 0.5 && poreScale <= 1, "poreScale must be in 0.5..1");
        require(backgroundFraction >= 0 && backgroundFraction <= 0.95, "backgroundFraction must be in 0..0.95");
        require(glare >= 0 && glare <= 1, "glare must be in 0..1");
        require(illuminationFalloff >= 0 && illuminationFalloff <= 0.95, "illuminationFalloff must be in 0..0.95");
        require(sceneMargin >= 0 && sceneMargin <= 0.3, "sceneMargin must be in 0..0.3");
        require(viewScale >= 0.8 && viewScale <= 1.25, "viewScale must be in 0.8..1.25");
        boolean moved = viewScale != 1 || viewShiftXPx != 0 || viewShiftYPx != 0;
        require(!moved || sceneMargin > 0, "a moved camera view needs sceneMargin > 0");
        require(Math.abs(viewShiftXPx) + width * Math.abs(viewScale - 1) / 2 <= sceneMargin * width
                && Math.abs(viewShiftYPx) + height * Math.abs(viewScale - 1) / 2 <= sceneMargin * height,
                "the camera view must stay inside the scene (raise sceneMargin)");
    }

    /** True when the image is a view into a larger scene rather than the scene itself. */
    public boolean hasView() {
        return sceneMargin > 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.width = width;
        b.height = height;
        b.mmPerPx = mmPerPx;
        b.seed = seed;
        b.fitzpatrick = fitzpatrick;
        b.haemoglobin = haemoglobin;
        b.erythemaPatches = erythemaPatches;
        b.erythemaStrength = erythemaStrength;
        b.erythemaRadiusMm = erythemaRadiusMm;
        b.poresPerCm2 = poresPerCm2;
        b.poreDiameterMinMm = poreDiameterMinMm;
        b.poreDiameterMaxMm = poreDiameterMaxMm;
        b.poreDepthMm = poreDepthMm;
        b.icepickScars = icepickScars;
        b.boxcarScars = boxcarScars;
        b.rollingScars = rollingScars;
        b.scarDepthMinMm = scarDepthMinMm;
        b.scarDepthMaxMm = scarDepthMaxMm;
        b.microReliefMm = microReliefMm;
        b.lightAzimuthDeg = lightAzimuthDeg;
        b.lightElevationDeg = lightElevationDeg;
        b.ambient = ambient;
        b.gainR = gainR;
        b.gainG = gainG;
        b.gainB = gainB;
        b.exposure = exposure;
        b.noise = noise;
        b.blurSigmaPx = blurSigmaPx;
        b.jpegQuality = jpegQuality;
        b.hairs = hairs;
        b.grayCard = grayCard;
        b.backgroundFraction = backgroundFraction;
        b.glare = glare;
        b.illuminationFalloff = illuminationFalloff;
        b.sceneMargin = sceneMargin;
        b.viewScale = viewScale;
        b.viewShiftXPx = viewShiftXPx;
        b.viewShiftYPx = viewShiftYPx;
        b.noiseSeed = noiseSeed;
        b.pigmentSpots = pigmentSpots;
        b.poreScale = poreScale;
        return b;
    }

    /** Mutable builder with the documented defaults. */
    public static final class Builder {
        private int width = 1600;
        private int height = 1200;
        private double mmPerPx = 0.025;
        private long seed = 1;
        private int fitzpatrick = 2;
        private double haemoglobin = 0.5;
        private int erythemaPatches = 3;
        private double erythemaStrength = 0.35;
        private double erythemaRadiusMm = 4;
        private double poresPerCm2 = 25;
        private double poreDiameterMinMm = 0.08;
        private double poreDiameterMaxMm = 0.25;
        private double poreDepthMm = 0.06;
        private int icepickScars;
        private int boxcarScars;
        private int rollingScars;
        private double scarDepthMinMm = 0.05;
        private double scarDepthMaxMm = 0.5;
        private double microReliefMm = 0.006;
        private double lightAzimuthDeg = 135;
        private double lightElevationDeg = 55;
        private double ambient = 0.35;
        private double gainR = 1;
        private double gainG = 1;
        private double gainB = 1;
        private double exposure = 1;
        private double noise = 0.004;
        private double blurSigmaPx = 0.6;
        private int jpegQuality = 92;
        private int hairs;
        private boolean grayCard;
        private double backgroundFraction;
        private double glare;
        private double illuminationFalloff;
        private double sceneMargin;
        private double viewScale = 1;
        private double viewShiftXPx;
        private double viewShiftYPx;
        private long noiseSeed;
        private int pigmentSpots;
        private double poreScale = 1;

        private Builder() {
        }

        /**
         * Applies a named condition on top of the current values: {@code clean} (no change),
         * {@code blurred} (σ 4 px), {@code overexposed} (×2.5 exposure), {@code dark} (×0.05),
         * {@code skin-poor} (80 % backdrop), {@code glare} (oily shine), {@code uneven} (95 % light
         * falloff), {@code hairy} (60 strands), {@code scarred} (3 icepick, 3 boxcar, 2 rolling).
         */
        public Builder preset(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "clean":
                    return this;
                case "blurred":
                    return blurSigmaPx(4);
                case "overexposed":
                    return exposure(2.5);
                case "dark":
                    return exposure(0.05);
                case "skin-poor":
                    return backgroundFraction(0.8);
                case "glare":
                    return glare(1);
                case "uneven":
                    return illuminationFalloff(0.95);
                case "hairy":
                    return hairs(60);
                case "scarred":
                    return icepickScars(3).boxcarScars(3).rollingScars(2);
                default:
                    throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + PRESETS);
            }
        }

        public Builder width(int v) { width = v; return this; }
        public Builder height(int v) { height = v; return this; }
        public Builder size(int w, int h) { width = w; height = h; return this; }
        public Builder mmPerPx(double v) { mmPerPx = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder fitzpatrick(int v) { fitzpatrick = v; return this; }
        public Builder haemoglobin(double v) { haemoglobin = v; return this; }
        public Builder erythemaPatches(int v) { erythemaPatches = v; return this; }
        public Builder erythemaStrength(double v) { erythemaStrength = v; return this; }
        public Builder erythemaRadiusMm(double v) { erythemaRadiusMm = v; return this; }
        public Builder poresPerCm2(double v) { poresPerCm2 = v; return this; }
        public Builder poreDiameterMm(double min, double max) { poreDiameterMinMm = min; poreDiameterMaxMm = max; return this; }
        public Builder poreDepthMm(double v) { poreDepthMm = v; return this; }
        public Builder icepickScars(int v) { icepickScars = v; return this; }
        public Builder boxcarScars(int v) { boxcarScars = v; return this; }
        public Builder rollingScars(int v) { rollingScars = v; return this; }
        public Builder scarDepthMm(double min, double max) { scarDepthMinMm = min; scarDepthMaxMm = max; return this; }
        public Builder microReliefMm(double v) { microReliefMm = v; return this; }
        public Builder lightAzimuthDeg(double v) { lightAzimuthDeg = v; return this; }
        public Builder lightElevationDeg(double v) { lightElevationDeg = v; return this; }
        public Builder ambient(double v) { ambient = v; return this; }
        public Builder gains(double r, double g, double b) { gainR = r; gainG = g; gainB = b; return this; }
        public Builder exposure(double v) { exposure = v; return this; }
        public Builder noise(double v) { noise = v; return this; }
        public Builder blurSigmaPx(double v) { blurSigmaPx = v; return this; }
        public Builder jpegQuality(int v) { jpegQuality = v; return this; }
        public Builder hairs(int v) { hairs = v; return this; }
        public Builder grayCard(boolean v) { grayCard = v; return this; }
        public Builder backgroundFraction(double v) { backgroundFraction = v; return this; }
        public Builder glare(double v) { glare = v; return this; }
        public Builder illuminationFalloff(double v) { illuminationFalloff = v; return this; }
        public Builder sceneMargin(double v) { sceneMargin = v; return this; }
        public Builder view(double scale, double shiftXPx, double shiftYPx) { viewScale = scale; viewShiftXPx = shiftXPx; viewShiftYPx = shiftYPx; return this; }
        public Builder noiseSeed(long v) { noiseSeed = v; return this; }
        public Builder pigmentSpots(int v) { pigmentSpots = v; return this; }
        public Builder poreScale(double v) { poreScale = v; return this; }

        /** @throws IllegalArgumentException naming the first setting out of its range */
        public PhantomSpec build() {
            return new PhantomSpec(width, height, mmPerPx, seed, fitzpatrick, haemoglobin, erythemaPatches,
                    erythemaStrength, erythemaRadiusMm, poresPerCm2, poreDiameterMinMm, poreDiameterMaxMm, poreDepthMm,
                    icepickScars, boxcarScars, rollingScars, scarDepthMinMm, scarDepthMaxMm, microReliefMm,
                    lightAzimuthDeg, lightElevationDeg, ambient, gainR, gainG, gainB, exposure, noise, blurSigmaPx,
                    jpegQuality, hairs, grayCard, backgroundFraction, glare, illuminationFalloff, sceneMargin, viewScale,
                    viewShiftXPx, viewShiftYPx, noiseSeed, pigmentSpots, poreScale);
        }
    }
}
