package org.dermatrend.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.relief.ReliefInput;
import org.dermatrend.relief.ReliefMethod;
import org.dermatrend.synth.ScarType;
import org.dermatrend.wire.ScarsInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The scar metric on its own: a relief method that returns an exact, known relief (three scars of the
 * three kinds on a tilted, offset surface, plus a pore-sized pit), and checks what the detector makes
 * of it. No network here; the network's accuracy is CommittedScarSetTest's business.
 */
class ScarDetectorTest {
    private static final int W = 500;
    private static final int H = 400;
    /** Three scars: kind, centre (canonical px), diameter mm, depth mm. */
    private static final Object[][] SCARS = {
        {ScarType.ICEPICK, 100.0, 100.0, 1.2, 0.30},
        {ScarType.BOXCAR, 260.0, 140.0, 3.0, 0.20},
        {ScarType.ROLLING, 370.0, 280.0, 5.0, 0.15},
    };

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    /** Depth in mm at canonical scale: the scars, a 0.3 mm pore pit, on a surface tilted by 0.1 mm and lifted 0.05 mm. */
    private static Mat knownRelief() {
        float[] v = new float[W * H];
        double mm = ReliefInput.MM_PER_PX;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double d = 0.05 + 0.1 * x / W;
                for (Object[] s : SCARS) {
                    double t = Math.hypot(x - (double) s[1], y - (double) s[2]) * mm / ((double) s[3] / 2);
                    d += (double) s[4] * ((ScarType) s[0]).profile(t);
                }
                double tp = Math.hypot(x - 200, y - 330) * mm / 0.15;
                d += 0.06 * Math.max(0, 1 - tp * tp);
                v[y * W + x] = (float) d;
            }
        }
        Mat m = new Mat(H, W, CvType.CV_32FC1);
        m.put(0, 0, v);
        return m;
    }

    /** A relief method that ignores the photo and returns {@code relief}. */
    private static ReliefMethod fixed(Mat relief) {
        return new ReliefMethod() {
            @Override
            public Mat depthMm(Mat shading) {
                assertEquals(relief.size(), shading.size(), "the detector must hand over the canonical-scale image");
                return relief.clone();
            }

            @Override
            public String name() {
                return "fixed";
            }
        };
    }

    private static ScarResult detect(double mmPerPx, Mat relief, Mat skin, boolean scaled) {
        double f = mmPerPx / ReliefInput.MM_PER_PX;
        int w = (int) Math.round(W / f);
        int h = (int) Math.round(H / f);
        Mat linear = new Mat(h, w, CvType.CV_32FC3, new Scalar(0.3, 0.35, 0.5));
        Mat mask = skin != null ? skin : new Mat(h, w, CvType.CV_8UC1, new Scalar(255));
        try {
            ConfigScars config = ConfigScars.defaults();
            return new ScarDetector(config, fixed(relief)).detect(linear, mask,
                    scaled ? OptionalDouble.of(mmPerPx) : OptionalDouble.empty());
        } finally {
            linear.release();
            mask.release();
        }
    }

    @Test
    void findsEachScarAtItsDepthAndKindAndIgnoresThePoreAndTheSurfaceTilt() {
        Mat relief = knownRelief();
        try (ScarResult r = detect(0.02, relief, null, true)) {
            assertEquals(3, r.scars().size(), "three scars, not the pore, not the tilt: " + r.scars());
            for (Object[] s : SCARS) {
                double xPhoto = ((double) s[1] + 0.5) * 4 - 0.5;
                double yPhoto = ((double) s[2] + 0.5) * 4 - 0.5;
                Scar found = r.scars().stream().min((a, b) -> Double.compare(
                        Math.hypot(a.xPx() - xPhoto, a.yPx() - yPhoto), Math.hypot(b.xPx() - xPhoto, b.yPx() - yPhoto))).orElseThrow();
                assertTrue(Math.hypot(found.xPx() - xPhoto, found.yPx() - yPhoto) < 3, "centre in photo pixels: " + found);
                assertEquals((double) s[4], found.depthMm(), 0.012, "depth of " + s[0]);
                assertEquals(((ScarType) s[0]).key(), found.type(), "kind of " + found);
                assertTrue(found.diameterMm() > 0.6 * (double) s[3] && found.diameterMm() < (double) s[3],
                        "diameter at 20 % depth below the surface diameter: " + found);
            }
            // The three discs cover 27.8 mm² of 1280 mm² (2.2 %); the part deeper than the edge depth is less.
            assertTrue(r.areaFraction() > 0.012 && r.areaFraction() < 0.022, "area share " + r.areaFraction());
            ScarsInfo info = ScarsInfo.of(r, false);
            assertEquals(1, info.byType().icepick());
            assertEquals(1, info.byType().boxcar());
            assertEquals(1, info.byType().rolling());
            assertEquals(0.30, info.maxDepthMm(), 0.012);
        } finally {
            relief.release();
        }
    }

    @Test
    void withoutAScaleDepthsAndVolumeAreNull() {
        Mat relief = knownRelief();
        try (ScarResult r = detect(ConfigScars.defaults().fallbackMmPerPx(), relief, null, false)) {
            assertFalse(r.scaled());
            ScarsInfo info = ScarsInfo.of(r, true);
            assertEquals(3, info.count());
            assertNull(info.meanDepthMm());
            assertNull(info.maxDepthMm());
            assertNull(info.volumeMm3());
            assertNull(info.list().get(0).depthMm());
        } finally {
            relief.release();
        }
    }

    @Test
    void scarsOffTheSkinMaskAreNotCounted() {
        Mat relief = knownRelief();
        int w = (int) Math.round(W / (0.02 / ReliefInput.MM_PER_PX));
        int h = (int) Math.round(H / (0.02 / ReliefInput.MM_PER_PX));
        Mat skin = new Mat(h, w, CvType.CV_8UC1, new Scalar(255));
        skin.colRange(0, w / 3).setTo(new Scalar(0));
        try (ScarResult r = detect(0.02, relief, skin, true)) {
            assertEquals(2, r.scars().size(), "the icepick scar lies off the mask: " + r.scars());
            assertTrue(r.scars().stream().noneMatch(s -> s.type().equals("icepick")));
        } finally {
            relief.release();
        }
    }

    @Test
    void flatReliefHasNoScars() {
        Mat relief = new Mat(H, W, CvType.CV_32FC1, new Scalar(0.02));
        try (ScarResult r = detect(0.08, relief, null, true)) {
            assertEquals(List.of(), r.scars());
            assertEquals(0, r.areaFraction());
            ScarsInfo info = ScarsInfo.of(r, false);
            assertNull(info.meanDepthMm(), "no scars, no mean depth");
            assertEquals(0.0, info.volumeMm3());
        } finally {
            relief.release();
        }
    }

    @Test
    void mismatchedInputsAreABrokenContract() {
        Mat linear = new Mat(10, 10, CvType.CV_32FC3, new Scalar(0.3, 0.3, 0.3));
        Mat skin = new Mat(12, 10, CvType.CV_8UC1, new Scalar(255));
        ScarDetector d = new ScarDetector(ConfigScars.defaults(), fixed(new Mat()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.detect(linear, skin, OptionalDouble.of(0.05)));
        assertTrue(e.getMessage().contains("10x12"), e.getMessage());
        linear.release();
        skin.release();
    }
}
