package org.dermatrend.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Renders skin close-ups whose truth is known exactly (datasets/README.md documents the physics).
 *
 * <p>Pipeline: regions (skin, backdrop, grey card) → height field in mm (micro-relief, scars, pore
 * pits) → pigment maps (melanin with mottling, haemoglobin with erythema patches, pore openings) →
 * reflectance through {@link SkinOptics} → Lambertian shading from a directional light with cast
 * shadows, plus ambient and a specular sheen → hair strands → illumination falloff → camera (optical
 * blur, exposure, white balance, shot noise, sRGB encoding, JPEG). Every random choice comes from one
 * {@link SplittableRandom} seeded by the spec, in a fixed order, so a seed always gives the same
 * pixels. Pure Java loops over float arrays for per-pixel work; OpenCV for filters and codecs.
 */
public final class PhantomRenderer {
    /** Reflectance of the grey card (an 18 % grey card). */
    public static final double CARD_REFLECTANCE = 0.18;
    /** Neutral optical density of pore openings, drawn per pore (0.4 ≈ 33 % darker, 0.9 ≈ 60 % darker). */
    static final double PORE_DENSITY_MIN = 0.4;
    static final double PORE_DENSITY_MAX = 0.9;
    private static final double PORE_GAP_MM = 0.12;
    private static final double SCAR_GAP_MM = 0.8;
    private static final double[] BACKDROP = {0.05, 0.07, 0.16};
    private static final double[] HAIR = {0.035, 0.026, 0.02};
    private static final byte[] ENCODE_LUT = new byte[65536];

    static {
        for (int i = 0; i < ENCODE_LUT.length; i++) {
            ENCODE_LUT[i] = (byte) Math.round(255 * ColorMath.linearToSrgb(i / 65535.0));
        }
    }

    /** Renders one phantom. Thread-safe: all state is local to the call. */
    public Phantom render(PhantomSpec spec) {
        return new Job(spec).run();
    }

    /** The state of one rendering. */
    private static final class Job {
        private final PhantomSpec s;
        private final int w;
        private final int h;
        private final int n;
        private final double mm;
        private final SplittableRandom rng;
        private final SplittableRandom noiseRng;
        /** Output (camera) size; {@code w × h} is the scene, larger when the spec has a view. */
        private final int ow;
        private final int oh;
        private final double offX;
        private final double offY;
        private final byte[] region; // 0 skin, 1 backdrop, 2 card
        private final float[] height;
        private final float[] poreOpening;
        private final List<PhantomTruth.Pore> pores = new ArrayList<>();
        private final List<PhantomTruth.Scar> scars = new ArrayList<>();
        private final List<PhantomTruth.Erythema> erythema = new ArrayList<>();
        private final List<PhantomTruth.Hair> hairs = new ArrayList<>();
        private PhantomTruth.GrayCard card;

        Job(PhantomSpec spec) {
            s = spec;
            ow = spec.width();
            oh = spec.height();
            w = spec.hasView() ? (int) Math.round(ow * (1 + 2 * spec.sceneMargin())) : ow;
            h = spec.hasView() ? (int) Math.round(oh * (1 + 2 * spec.sceneMargin())) : oh;
            offX = (w - ow) / 2.0;
            offY = (h - oh) / 2.0;
            n = w * h;
            mm = spec.mmPerPx();
            rng = new SplittableRandom(spec.seed());
            noiseRng = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L ^ spec.noiseSeed() ^ 0x5DEECE66DL);
            region = new byte[n];
            height = new float[n];
            poreOpening = new float[n];
        }

        Phantom run() {
            try (MatScope scope = new MatScope()) {
                layoutRegions();
                addMicroRelief(scope);
                placeScars();
                placePores();
                float[] melanin = new float[n];
                float[] haemoglobin = new float[n];
                paintPigments(scope, melanin, haemoglobin);
                float[] glareMap = glarePatches();
                float[][] radiance = shade(melanin, haemoglobin, glareMap);
                float[] hairAlpha = drawHairs(scope);
                composeOverlays(radiance, hairAlpha);
                double falloffAngle = applyFalloff(radiance);
                Mat bgr = scope.track(camera(scope, radiance));

                String ext = s.jpegQuality() > 0 ? ".jpg" : ".png";
                MatOfInt params = scope.track(s.jpegQuality() > 0
                        ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, s.jpegQuality())
                        : new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 3));
                MatOfByte buf = scope.track(new MatOfByte());
                Imgcodecs.imencode(ext, bgr, buf, params);
                byte[] encoded = buf.toArray();
                Mat finalBgr = s.jpegQuality() > 0 ? Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR) : scope.keep(bgr);

                Mat heightScene = scope.track(new Mat(h, w, CvType.CV_32FC1));
                heightScene.put(0, 0, height);
                Mat heightMat = scope.keep(view(scope, heightScene, Imgproc.INTER_LINEAR));
                byte[] skinScene = new byte[n];
                byte[] backdropScene = new byte[n];
                for (int i = 0; i < n; i++) {
                    backdropScene[i] = region[i] == 1 ? (byte) 255 : 0;
                    skinScene[i] = region[i] == 0 && hairAlpha[i] < 0.5f ? (byte) 255 : 0;
                }
                Mat skinMat = scope.keep(view(scope, bytes(scope, skinScene), Imgproc.INTER_NEAREST));
                Mat backdrop = view(scope, bytes(scope, backdropScene), Imgproc.INTER_NEAREST);
                Mat melaninView = view(scope, floats(scope, melanin), Imgproc.INTER_LINEAR);
                Mat haemoglobinView = view(scope, floats(scope, haemoglobin), Imgproc.INTER_LINEAR);
                int on = ow * oh;
                long skinCount = Core.countNonZero(skinMat);
                long backdropCount = Core.countNonZero(backdrop);
                double mMean = skinCount > 0 ? Core.mean(melaninView, skinMat).val[0] : 0;
                double hbMean = skinCount > 0 ? Core.mean(haemoglobinView, skinMat).val[0] : 0;
                double[] refl = new double[3];
                SkinOptics.reflectance(mMean, hbMean, 0, refl);
                double[] lab = ColorMath.linearRgbToLab(refl[0], refl[1], refl[2]);
                double outMm = mm * (s.hasView() ? s.viewScale() : 1);
                PhantomTruth truth = new PhantomTruth(s.seed(), ow, oh, outMm, s.fitzpatrick(),
                        new PhantomTruth.Pigments(mMean, hbMean, s.haemoglobin(), lab, ColorMath.itaDegrees(lab)),
                        viewedPores(outMm), viewedScars(), viewedErythema(), viewedHairs(),
                        new PhantomTruth.Light(s.lightAzimuthDeg(), s.lightElevationDeg(), s.ambient()),
                        new PhantomTruth.Camera(s.gainR(), s.gainG(), s.gainB(), s.exposure(), s.noise(), s.blurSigmaPx(),
                                s.jpegQuality(), s.glare(), s.illuminationFalloff(), falloffAngle),
                        viewedCard(), skinCount / (double) on, backdropCount / (double) on, null);
                return new Phantom(finalBgr, heightMat, skinMat, encoded, ext, truth);
            }
        }

        // ------------------------------------------------------------ truth in the image's frame

        private Mat bytes(MatScope scope, byte[] v) {
            Mat m = scope.track(new Mat(h, w, CvType.CV_8UC1));
            m.put(0, 0, v);
            return m;
        }

        private Mat floats(MatScope scope, float[] v) {
            Mat m = scope.track(new Mat(h, w, CvType.CV_32FC1));
            m.put(0, 0, v);
            return m;
        }

        /** Pores whose whole opening lies in the image, in image pixels. */
        private List<PhantomTruth.Pore> viewedPores(double outMm) {
            List<PhantomTruth.Pore> out = new ArrayList<>();
            for (PhantomTruth.Pore p : pores) {
                double x = toImageX(p.xPx());
                double y = toImageY(p.yPx());
                double r = p.diameterMm() / 2 / outMm;
                if (x - r >= 0 && y - r >= 0 && x + r <= ow - 1 && y + r <= oh - 1) {
                    out.add(new PhantomTruth.Pore(x, y, p.diameterMm(), p.depthMm(), p.density()));
                }
            }
            return List.copyOf(out);
        }

        private List<PhantomTruth.Scar> viewedScars() {
            List<PhantomTruth.Scar> out = new ArrayList<>();
            for (PhantomTruth.Scar c : scars) {
                double x = toImageX(c.xPx());
                double y = toImageY(c.yPx());
                if (x >= 0 && y >= 0 && x <= ow - 1 && y <= oh - 1) {
                    out.add(new PhantomTruth.Scar(c.type(), x, y, c.diameterMm(), c.depthMm()));
                }
            }
            return List.copyOf(out);
        }

        private List<PhantomTruth.Erythema> viewedErythema() {
            List<PhantomTruth.Erythema> out = new ArrayList<>();
            for (PhantomTruth.Erythema e : erythema) {
                out.add(new PhantomTruth.Erythema(toImageX(e.xPx()), toImageY(e.yPx()), e.radiusMm(), e.strength()));
            }
            return List.copyOf(out);
        }

        private List<PhantomTruth.Hair> viewedHairs() {
            List<PhantomTruth.Hair> out = new ArrayList<>();
            for (PhantomTruth.Hair hair : hairs) {
                List<double[]> pts = new ArrayList<>();
                for (double[] p : hair.pointsPx()) {
                    pts.add(new double[] {toImageX(p[0]), toImageY(p[1])});
                }
                out.add(new PhantomTruth.Hair(List.copyOf(pts), hair.widthMm()));
            }
            return List.copyOf(out);
        }

        private PhantomTruth.GrayCard viewedCard() {
            if (card == null) {
                return null;
            }
            double k = s.hasView() ? s.viewScale() : 1;
            int x = (int) Math.ceil(toImageX(card.x()));
            int y = (int) Math.ceil(toImageY(card.y()));
            int size = (int) Math.floor(card.width() / k) - 1;
            return new PhantomTruth.GrayCard(x, y, size, size, card.reflectance());
        }

        // ------------------------------------------------------------ layout

        private void layoutRegions() {
            if (s.backgroundFraction() > 0) {
                double phase = rng.nextDouble() * 2 * Math.PI;
                double amp = 0.03 * ow;
                for (int y = 0; y < h; y++) {
                    double xb = offX + ow * (1 - s.backgroundFraction()) + amp * Math.sin(phase + 3 * Math.PI * y / h);
                    for (int x = 0; x < w; x++) {
                        if (x + 0.5 > xb) {
                            region[y * w + x] = 1;
                        }
                    }
                }
            }
            if (s.grayCard()) {
                int side = (int) Math.round(0.15 * Math.min(ow, oh) * 1.3);
                int cx = (int) Math.round(0.03 * ow + offX);
                int cy = (int) Math.round(0.03 * oh + offY);
                card = new PhantomTruth.GrayCard(cx, cy, side, side, CARD_REFLECTANCE);
                for (int y = cy; y < cy + side && y < h; y++) {
                    for (int x = cx; x < cx + side && x < w; x++) {
                        region[y * w + x] = 2;
                    }
                }
            }
        }

        /** True when the disc of radius {@code rPx} around (x, y) lies inside the frame and on skin. */
        private boolean discOnSkin(double x, double y, double rPx) {
            if (x - rPx < 0 || y - rPx < 0 || x + rPx > w - 1 || y + rPx > h - 1) {
                return false;
            }
            for (int k = 0; k < 16; k++) {
                double a = Math.PI * k / 8;
                int px = (int) Math.round(x + rPx * Math.cos(a));
                int py = (int) Math.round(y + rPx * Math.sin(a));
                if (region[py * w + px] != 0) {
                    return false;
                }
            }
            return region[(int) Math.round(y) * w + (int) Math.round(x)] == 0;
        }

        // ------------------------------------------------------------ height

        private void addMicroRelief(MatScope scope) {
            if (s.microReliefMm() <= 0) {
                return;
            }
            float[] fine = smoothNoise(scope, 0.08 / mm);
            float[] coarse = smoothNoise(scope, 0.3 / mm);
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                float v = 0.6f * fine[i] + 0.4f * coarse[i];
                height[i] = v;
                sumSq += v * v;
            }
            float scale = (float) (s.microReliefMm() / Math.sqrt(sumSq / n));
            for (int i = 0; i < n; i++) {
                height[i] = region[i] == 0 ? height[i] * scale : 0;
            }
        }

        private void placeScars() {
            List<ScarType> todo = new ArrayList<>();
            for (int i = 0; i < s.icepickScars(); i++) {
                todo.add(ScarType.ICEPICK);
            }
            for (int i = 0; i < s.boxcarScars(); i++) {
                todo.add(ScarType.BOXCAR);
            }
            for (int i = 0; i < s.rollingScars(); i++) {
                todo.add(ScarType.ROLLING);
            }
            for (ScarType type : todo) {
                double diameter = type.minDiameterMm() + rng.nextDouble() * (type.maxDiameterMm() - type.minDiameterMm());
                double depth = s.scarDepthMinMm() + rng.nextDouble() * (s.scarDepthMaxMm() - s.scarDepthMinMm());
                double rPx = diameter / 2 / mm;
                for (int attempt = 0; attempt < 400; attempt++) {
                    double x = rng.nextDouble() * w;
                    double y = rng.nextDouble() * h;
                    if (!discOnSkin(x, y, rPx + 1) || overlapsScar(x, y, diameter / 2 + SCAR_GAP_MM)) {
                        continue;
                    }
                    scars.add(new PhantomTruth.Scar(type.key(), x, y, diameter, depth));
                    type.addProfile(height, w, h, x, y, rPx, -depth);
                    break;
                }
            }
        }

        private boolean overlapsScar(double x, double y, double clearanceMm) {
            for (PhantomTruth.Scar sc : scars) {
                double d = Math.hypot(x - sc.xPx(), y - sc.yPx()) * mm;
                if (d < clearanceMm + sc.diameterMm() / 2) {
                    return true;
                }
            }
            return false;
        }

        private void placePores() {
            long skinPx = 0;
            for (byte r : region) {
                if (r == 0) {
                    skinPx++;
                }
            }
            double areaCm2 = skinPx * mm * mm / 100.0;
            int target = (int) Math.round(s.poresPerCm2() * areaCm2);
            double maxR = s.poreDiameterMaxMm() / 2 / mm;
            double cell = 2 * maxR + PORE_GAP_MM / mm;
            int gw = (int) Math.ceil(w / cell) + 1;
            int gh = (int) Math.ceil(h / cell) + 1;
            List<List<PhantomTruth.Pore>> grid = new ArrayList<>(gw * gh);
            for (int i = 0; i < gw * gh; i++) {
                grid.add(new ArrayList<>(2));
            }
            int attempts = 0;
            while (pores.size() < target && attempts < 40 * target + 100) {
                attempts++;
                double d = s.poreDiameterMinMm() + rng.nextDouble() * (s.poreDiameterMaxMm() - s.poreDiameterMinMm());
                double x = rng.nextDouble() * w;
                double y = rng.nextDouble() * h;
                double rPx = d / 2 / mm;
                if (!discOnSkin(x, y, rPx + 2) || overlapsScar(x, y, d / 2 + PORE_GAP_MM)) {
                    continue;
                }
                int gx = (int) (x / cell);
                int gy = (int) (y / cell);
                boolean free = true;
                for (int yy = Math.max(0, gy - 1); yy <= Math.min(gh - 1, gy + 1) && free; yy++) {
                    for (int xx = Math.max(0, gx - 1); xx <= Math.min(gw - 1, gx + 1) && free; xx++) {
                        for (PhantomTruth.Pore p : grid.get(yy * gw + xx)) {
                            double dist = Math.hypot(x - p.xPx(), y - p.yPx()) * mm;
                            if (dist < (d + p.diameterMm() / s.poreScale()) / 2 + PORE_GAP_MM) {
                                free = false;
                                break;
                            }
                        }
                    }
                }
                if (!free) {
                    continue;
                }
                double density = PORE_DENSITY_MIN + rng.nextDouble() * (PORE_DENSITY_MAX - PORE_DENSITY_MIN);
                // Placed at the drawn diameter d, opened at poreScale of it: the same pores, smaller (a course).
                double opened = d * s.poreScale();
                PhantomTruth.Pore pore = new PhantomTruth.Pore(x, y, opened, s.poreDepthMm(), density);
                pores.add(pore);
                grid.get(gy * gw + gx).add(pore);
                drawPore(x, y, opened / 2 / mm, s.poreDepthMm(), density);
            }
        }

        /** A paraboloid pit and an anti-aliased dark opening of radius {@code rPx} and neutral {@code density}. */
        private void drawPore(double cx, double cy, double rPx, double depth, double density) {
            int x0 = (int) Math.floor(cx - rPx - 1);
            int x1 = (int) Math.ceil(cx + rPx + 1);
            int y0 = (int) Math.floor(cy - rPx - 1);
            int y1 = (int) Math.ceil(cy + rPx + 1);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double r = Math.hypot(x - cx, y - cy);
                    int i = y * w + x;
                    if (r < rPx) {
                        double t = r / rPx;
                        height[i] -= (float) (depth * (1 - t * t));
                    }
                    // Pixel coverage of the disc, linear over one pixel across the rim.
                    double cover = Math.max(0, Math.min(1, rPx - r + 0.5));
                    poreOpening[i] = Math.max(poreOpening[i], (float) (cover * density));
                }
            }
        }

        // ------------------------------------------------------------ pigments

        private void paintPigments(MatScope scope, float[] melanin, float[] haemoglobin) {
            double m0 = SkinOptics.melaninOf(s.fitzpatrick());
            float[] mottle = smoothNoise(scope, 2.0 / mm);
            float[] flush = smoothNoise(scope, 3.0 / mm);
            for (int i = 0; i < n; i++) {
                melanin[i] = (float) (m0 * (1 + 0.08 * mottle[i]));
                haemoglobin[i] = (float) Math.max(0, s.haemoglobin() * (1 + 0.10 * flush[i]));
            }
            for (int k = 0; k < s.erythemaPatches(); k++) {
                double x = rng.nextDouble() * w;
                double y = rng.nextDouble() * h;
                double radius = s.erythemaRadiusMm() * (0.7 + 0.6 * rng.nextDouble());
                double strength = s.erythemaStrength() * (0.7 + 0.6 * rng.nextDouble());
                erythema.add(new PhantomTruth.Erythema(x, y, radius, strength));
                double sigmaPx = radius / 2 / mm;
                int reach = (int) Math.ceil(3 * sigmaPx);
                for (int yy = Math.max(0, (int) y - reach); yy < Math.min(h, (int) y + reach); yy++) {
                    for (int xx = Math.max(0, (int) x - reach); xx < Math.min(w, (int) x + reach); xx++) {
                        double d2 = ((xx - x) * (xx - x) + (yy - y) * (yy - y)) / (sigmaPx * sigmaPx);
                        haemoglobin[yy * w + xx] += (float) (strength * Math.exp(-0.5 * d2));
                    }
                }
            }
            for (int k = 0; k < s.pigmentSpots(); k++) {
                paintSpot(melanin, m0);
            }
        }

        /**
         * A flat brown spot: extra melanin with a soft edge over a slightly irregular disc 0.5–4 mm
         * across. It darkens like a pit does but has no relief, so a depth estimate must ignore it.
         */
        private void paintSpot(float[] melanin, double m0) {
            double x = rng.nextDouble() * w;
            double y = rng.nextDouble() * h;
            double rPx = (0.25 + 1.75 * rng.nextDouble()) / mm;
            double extra = (0.3 + 0.9 * rng.nextDouble()) * (m0 + 0.5);
            double aspect = 0.7 + 0.3 * rng.nextDouble();
            double angle = rng.nextDouble() * Math.PI;
            double ca = Math.cos(angle);
            double sa = Math.sin(angle);
            double edgePx = Math.max(1, 0.25 * rPx);
            int reach = (int) Math.ceil(rPx + 2 * edgePx);
            for (int yy = Math.max(0, (int) y - reach); yy < Math.min(h, (int) y + reach); yy++) {
                for (int xx = Math.max(0, (int) x - reach); xx < Math.min(w, (int) x + reach); xx++) {
                    double u = (xx - x) * ca + (yy - y) * sa;
                    double v = (-(xx - x) * sa + (yy - y) * ca) / aspect;
                    double t = (Math.hypot(u, v) - rPx) / edgePx;
                    double cover = t <= -1 ? 1 : t >= 1 ? 0 : 0.5 * (1 - Math.sin(Math.PI / 2 * t));
                    melanin[yy * w + xx] += (float) (extra * cover);
                }
            }
        }

        // ------------------------------------------------------------ light

        private float[] glarePatches() {
            float[] map = new float[n];
            if (s.glare() <= 0) {
                return map;
            }
            int count = 4 + rng.nextInt(3);
            for (int k = 0; k < count; k++) {
                double x = rng.nextDouble() * w;
                double y = rng.nextDouble() * h;
                double sigmaPx = (2.0 + 2 * rng.nextDouble()) / mm;
                int reach = (int) Math.ceil(2.5 * sigmaPx);
                for (int yy = Math.max(0, (int) y - reach); yy < Math.min(h, (int) y + reach); yy++) {
                    for (int xx = Math.max(0, (int) x - reach); xx < Math.min(w, (int) x + reach); xx++) {
                        double d2 = ((xx - x) * (xx - x) + (yy - y) * (yy - y)) / (sigmaPx * sigmaPx);
                        double v = Math.min(1, 1.6 * Math.exp(-0.5 * d2 * d2));
                        map[yy * w + xx] = (float) Math.max(map[yy * w + xx], v);
                    }
                }
            }
            return map;
        }

        /** Linear radiance R, G, B of skin, card and backdrop under the light, before hair and camera. */
        private float[][] shade(float[] melanin, float[] haemoglobin, float[] glareMap) {
            double az = Math.toRadians(s.lightAzimuthDeg());
            double el = Math.toRadians(s.lightElevationDeg());
            double lx = Math.cos(el) * Math.cos(az);
            double ly = -Math.cos(el) * Math.sin(az);
            double lz = Math.sin(el);
            double hxv = lx;
            double hyv = ly;
            double hzv = lz + 1;
            double hn = Math.sqrt(hxv * hxv + hyv * hyv + hzv * hzv);
            hxv /= hn;
            hyv /= hn;
            hzv /= hn;
            double rise = Math.tan(el) * mm;
            double stepX = Math.cos(az);
            double stepY = -Math.sin(az);
            float hMax = Float.NEGATIVE_INFINITY;
            for (float v : height) {
                hMax = Math.max(hMax, v);
            }
            float[][] out = {new float[n], new float[n], new float[n]};
            double[] refl = new double[3];
            double amb = s.ambient();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (region[i] == 1) {
                        continue;
                    }
                    if (region[i] == 2) {
                        for (int c = 0; c < 3; c++) {
                            out[c][i] = (float) CARD_REFLECTANCE;
                        }
                        continue;
                    }
                    float h0 = height[i];
                    double gx = (height[y * w + Math.min(w - 1, x + 1)] - height[y * w + Math.max(0, x - 1)]) / (2 * mm);
                    double gy = (height[Math.min(h - 1, y + 1) * w + x] - height[Math.max(0, y - 1) * w + x]) / (2 * mm);
                    double nz = 1 / Math.sqrt(gx * gx + gy * gy + 1);
                    double nx = -gx * nz;
                    double ny = -gy * nz;
                    double ndotl = nx * lx + ny * ly + nz * lz;
                    double visible = 1;
                    int steps = (int) Math.min(2000, Math.ceil((hMax - h0) / rise));
                    for (int k = 1; k <= steps; k++) {
                        int sx = (int) Math.round(x + k * stepX);
                        int sy = (int) Math.round(y + k * stepY);
                        if (sx < 0 || sy < 0 || sx >= w || sy >= h) {
                            break;
                        }
                        if (height[sy * w + sx] > h0 + k * rise) {
                            visible = 0;
                            break;
                        }
                    }
                    double direct = Math.max(0, ndotl) / lz * visible;
                    double shading = amb + (1 - amb) * direct;
                    double ndoth = Math.max(0, nx * hxv + ny * hyv + nz * hzv);
                    double sheen = 0.04 * Math.pow(ndoth, 40) + s.glare() * glareMap[i] * Math.pow(ndoth, 4);
                    double spec = sheen * (amb + (1 - amb) * visible);
                    SkinOptics.reflectance(melanin[i], haemoglobin[i], poreOpening[i], refl);
                    for (int c = 0; c < 3; c++) {
                        out[c][i] = (float) (refl[c] * shading + spec);
                    }
                }
            }
            return out;
        }

        // ------------------------------------------------------------ overlays

        private float[] drawHairs(MatScope scope) {
            float[] alpha = new float[n];
            if (s.hairs() == 0) {
                return alpha;
            }
            Mat mask = scope.track(Mat.zeros(h, w, CvType.CV_8UC1));
            for (int k = 0; k < s.hairs(); k++) {
                double x0 = rng.nextDouble() * w;
                double y0 = rng.nextDouble() * h;
                double angle = rng.nextDouble() * 2 * Math.PI;
                double lengthPx = (3 + 12 * rng.nextDouble()) / mm;
                double bend = (rng.nextDouble() - 0.5) * 0.6 * lengthPx;
                double widthMm = 0.05 + 0.05 * rng.nextDouble();
                double ex = x0 + lengthPx * Math.cos(angle);
                double ey = y0 + lengthPx * Math.sin(angle);
                double mx = (x0 + ex) / 2 - bend * Math.sin(angle);
                double my = (y0 + ey) / 2 + bend * Math.cos(angle);
                List<double[]> pts = new ArrayList<>();
                Point[] cvPts = new Point[13];
                for (int j = 0; j <= 12; j++) {
                    double t = j / 12.0;
                    double px = (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * mx + t * t * ex;
                    double py = (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * my + t * t * ey;
                    pts.add(new double[] {px, py});
                    cvPts[j] = new Point(px, py);
                }
                hairs.add(new PhantomTruth.Hair(List.copyOf(pts), widthMm));
                MatOfPoint line = scope.track(new MatOfPoint(cvPts));
                int thickness = Math.max(1, (int) Math.round(widthMm / mm));
                Imgproc.polylines(mask, List.of(line), false, new Scalar(255), thickness, Imgproc.LINE_AA);
            }
            byte[] m = new byte[n];
            mask.get(0, 0, m);
            for (int i = 0; i < n; i++) {
                alpha[i] = region[i] == 2 ? 0 : (m[i] & 0xff) / 255f;
            }
            return alpha;
        }

        private void composeOverlays(float[][] radiance, float[] hairAlpha) {
            float[] texture = new float[n];
            if (s.backgroundFraction() > 0) {
                for (int i = 0; i < n; i++) {
                    texture[i] = (float) (0.1 * rng.nextGaussian());
                }
            }
            for (int i = 0; i < n; i++) {
                if (region[i] == 1) {
                    for (int c = 0; c < 3; c++) {
                        radiance[c][i] = (float) (BACKDROP[c] * (1 + texture[i]));
                    }
                }
                float a = hairAlpha[i];
                if (a > 0) {
                    for (int c = 0; c < 3; c++) {
                        radiance[c][i] = (float) ((1 - a) * radiance[c][i] + a * HAIR[c]);
                    }
                }
            }
        }

        /** Multiplies the light by a linear ramp across the frame; returns the ramp's direction in degrees. */
        private double applyFalloff(float[][] radiance) {
            double angle = rng.nextDouble() * 360;
            if (s.illuminationFalloff() <= 0) {
                return angle;
            }
            double ca = Math.cos(Math.toRadians(angle));
            double sa = Math.sin(Math.toRadians(angle));
            double half = 0.5 * (Math.abs(w * ca) + Math.abs(h * sa));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double t = 0.5 + ((x - w / 2.0) * ca + (y - h / 2.0) * sa) / (2 * half);
                    float f = (float) (1 - s.illuminationFalloff() * t);
                    int i = y * w + x;
                    for (int c = 0; c < 3; c++) {
                        radiance[c][i] *= f;
                    }
                }
            }
            return angle;
        }

        // ------------------------------------------------------------ camera

        private Mat camera(MatScope scope, float[][] radiance) {
            Mat scene = scope.track(new Mat(h, w, CvType.CV_32FC3));
            float[] interleaved = new float[3 * n];
            for (int i = 0; i < n; i++) {
                interleaved[3 * i] = radiance[2][i];
                interleaved[3 * i + 1] = radiance[1][i];
                interleaved[3 * i + 2] = radiance[0][i];
            }
            scene.put(0, 0, interleaved);
            Mat linear = view(scope, scene, Imgproc.INTER_LINEAR);
            int on = ow * oh;
            float[] px = new float[3 * on];
            if (s.blurSigmaPx() > 0) {
                Imgproc.GaussianBlur(linear, linear, new Size(0, 0), s.blurSigmaPx());
            }
            linear.get(0, 0, px);
            double[] gain = {s.gainB() * s.exposure(), s.gainG() * s.exposure(), s.gainR() * s.exposure()};
            byte[] out = new byte[3 * on];
            for (int i = 0; i < 3 * on; i++) {
                double v = px[i] * gain[i % 3];
                if (s.noise() > 0) {
                    v += s.noise() * Math.sqrt(Math.max(v, 0)) * noiseRng.nextGaussian();
                }
                int code = (int) Math.round(Math.max(0, Math.min(1, v)) * 65535);
                out[i] = ENCODE_LUT[code];
            }
            Mat bgr = new Mat(oh, ow, CvType.CV_8UC3);
            bgr.put(0, 0, out);
            return bgr;
        }

        /**
         * The camera's view of a scene-sized Mat: image pixel (x, y) sees scene pixel
         * {@code (cxs + (x − cxo)·scale + shiftX, cys + (y − cyo)·scale + shiftY)}. Without a view, the
         * scene itself. The result is tracked by {@code scope}.
         */
        private Mat view(MatScope scope, Mat scene, int interpolation) {
            if (!s.hasView()) {
                return scope.track(scene.clone());
            }
            double k = s.viewScale();
            Mat m = scope.track(new Mat(2, 3, CvType.CV_64F));
            m.put(0, 0, k, 0, (w - 1) / 2.0 - (ow - 1) / 2.0 * k + s.viewShiftXPx(),
                    0, k, (h - 1) / 2.0 - (oh - 1) / 2.0 * k + s.viewShiftYPx());
            Mat out = scope.mat();
            Imgproc.warpAffine(scene, out, m, new Size(ow, oh), interpolation | Imgproc.WARP_INVERSE_MAP, Core.BORDER_REFLECT);
            return out;
        }

        /** Scene x to image x (the inverse of {@link #view}). */
        private double toImageX(double xs) {
            return s.hasView() ? (ow - 1) / 2.0 + (xs - (w - 1) / 2.0 - s.viewShiftXPx()) / s.viewScale() : xs;
        }

        private double toImageY(double ys) {
            return s.hasView() ? (oh - 1) / 2.0 + (ys - (h - 1) / 2.0 - s.viewShiftYPx()) / s.viewScale() : ys;
        }

        // ------------------------------------------------------------ noise

        /**
         * Zero-mean, unit-variance Gaussian noise correlated over about {@code correlationPx}: white
         * noise blurred with that σ (fine scales) or drawn on a coarse grid and resized (coarse scales,
         * where a full-resolution blur would be slow).
         */
        private float[] smoothNoise(MatScope scope, double correlationPx) {
            Mat field;
            if (correlationPx <= 8) {
                field = scope.track(new Mat(h, w, CvType.CV_32FC1));
                field.put(0, 0, gaussians(n));
                Imgproc.GaussianBlur(field, field, new Size(0, 0), Math.max(0.5, correlationPx));
            } else {
                double cell = correlationPx / 2;
                int gw = (int) Math.ceil(w / cell) + 4;
                int gh = (int) Math.ceil(h / cell) + 4;
                Mat coarse = scope.track(new Mat(gh, gw, CvType.CV_32FC1));
                coarse.put(0, 0, gaussians(gw * gh));
                Imgproc.GaussianBlur(coarse, coarse, new Size(0, 0), 1.0);
                Mat big = scope.mat();
                Imgproc.resize(coarse, big, new Size(gw * cell, gh * cell), 0, 0, Imgproc.INTER_CUBIC);
                field = scope.track(scope.track(big.submat(0, h, 0, w)).clone());
            }
            org.opencv.core.MatOfDouble mean = scope.track(new org.opencv.core.MatOfDouble());
            org.opencv.core.MatOfDouble std = scope.track(new org.opencv.core.MatOfDouble());
            Core.meanStdDev(field, mean, std);
            float[] out = new float[n];
            field.get(0, 0, out);
            float m = (float) mean.get(0, 0)[0];
            float sd = (float) Math.max(1e-12, std.get(0, 0)[0]);
            for (int i = 0; i < n; i++) {
                out[i] = (out[i] - m) / sd;
            }
            return out;
        }

        private float[] gaussians(int count) {
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            return v;
        }
    }
}
