package org.dermatrend.relief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dermatrend.cv.OpenCvNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

class ReliefInputTest {
    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    /** Skin-like linear light with a dark pit in the middle. */
    private static Mat scene(double b, double g, double r) {
        Mat m = new Mat(120, 160, CvType.CV_32FC3, new Scalar(b, g, r));
        Mat pit = m.submat(new Rect(70, 50, 12, 12));
        Core.multiply(pit, new Scalar(0.6, 0.6, 0.6), pit);
        pit.release();
        return m;
    }

    @Test
    void whiteBalanceAndExposureDoNotChangeWhatTheNetworkSees() {
        Mat a = scene(0.30, 0.35, 0.50);
        Mat b = scene(0.30 * 1.3, 0.35 * 0.9, 0.50 * 0.8);
        Mat sa = ReliefInput.shading(a);
        Mat sb = ReliefInput.shading(b);
        Mat diff = new Mat();
        Core.absdiff(sa, sb, diff);
        double worst = Core.minMaxLoc(diff.reshape(1)).maxVal;
        // Only the small floor added before the logarithm breaks exact invariance.
        assertTrue(worst < 0.05, "worst difference " + worst);
        double pit = sa.get(56, 76)[0];
        assertTrue(pit < -1.5, "the pit is 0.51 log units darker, x4 gain: " + pit);
        for (Mat m : new Mat[] {a, b, sa, sb, diff}) {
            m.release();
        }
    }

    @Test
    void aGreyCardBesideTheSkinNeitherShadesTheSkinNearItNorShowsAnEdge() {
        Mat plain = scene(0.30, 0.35, 0.50);
        Mat withCard = scene(0.30, 0.35, 0.50);
        Mat card = withCard.submat(new Rect(0, 0, 40, 120));
        card.setTo(new Scalar(0.05, 0.05, 0.05));
        Mat skin = new Mat(120, 160, CvType.CV_8UC1, new Scalar(255));
        Mat cardMask = skin.submat(new Rect(0, 0, 40, 120));
        cardMask.setTo(new Scalar(0));
        Mat expected = ReliefInput.shading(plain);
        Mat masked = ReliefInput.shading(withCard, skin);
        Mat unmasked = ReliefInput.shading(withCard);
        // Next to the card: the masked input matches the card-free one; the unmasked one is pulled up.
        double[] near = masked.get(60, 45);
        assertEquals(expected.get(60, 45)[0], near[0], 0.08, "skin beside the card, masked");
        assertTrue(unmasked.get(60, 45)[0] - expected.get(60, 45)[0] > 0.5, "without the mask the dark card brightens its neighbours");
        assertEquals(0.0, masked.get(60, 10)[1], 1e-9, "off the skin: flat");
        for (Mat m : new Mat[] {plain, withCard, card, skin, cardMask, expected, masked, unmasked}) {
            m.release();
        }
    }

    @Test
    void planarIsChannelMajor() {
        Mat m = new Mat(16, 16, CvType.CV_32FC3, new Scalar(1, 2, 3));
        float[] chw = ReliefInput.planar(m, new Rect(0, 0, 16, 16));
        assertEquals(1, chw[0]);
        assertEquals(2, chw[256]);
        assertEquals(3, chw[512]);
        m.release();
    }

    @Test
    void resamplingReachesTheCanonicalScale() {
        Mat m = new Mat(300, 400, CvType.CV_32FC3, new Scalar(0.2, 0.2, 0.2));
        Mat c = ReliefInput.resample(m, 0.02);
        assertEquals(100, c.cols());
        assertEquals(75, c.rows());
        assertThrows(IllegalArgumentException.class, () -> ReliefInput.factor(0));
        m.release();
        c.release();
    }
}
