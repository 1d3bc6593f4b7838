package org.dermatrend.calibrate;

import java.util.Optional;
import org.dermatrend.cv.ColorMath;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Proposes where the grey card is in a photo, so that nobody has to measure its rectangle in pixels: the
 * largest flat, neutral, well-exposed and nearly rectangular patch, checked by {@link GrayCardCalibrator} as it
 * would check a rectangle a person marked. A proposal is only a proposal: the web app shows it for the person to
 * confirm or move, and nothing is calibrated with it until they do.
 *
 * <p>Working on a copy at most {@value #WORK_SIDE} pixels on its longer side: a pixel is a candidate when its
 * 8-bit channels are unclipped (6 to 249), its linear luminance is at least the calibrator's floor, its colour
 * is near neutral (CIELAB chroma, at an 18 % grey's luminance, under {@value #MAX_CHROMA}) and unlike the frame's
 * median colour (at least {@value #MIN_DIFFERENCE} apart in a*, b*: in a close-up the median is skin's, and a
 * light's cast moves card and skin alike), and its 7 × 7 neighbourhood is flat (luminance varies by under
 * {@value #MAX_LOCAL_VARIATION} of its mean). Candidates are opened (a 3 × 3 square) and grouped into connected
 * patches; a patch counts when it covers {@value #MIN_SHARE} to {@value #MAX_SHARE} of the frame, fills at least
 * {@value #MIN_FILL} of its bounding box and is at most 3 times as long as wide. The proposal is the
 * largest such patch's bounding box shrunk by 10 % on each side, in the photo's upright pixels.
 */
public final class GrayCardFinder {
    static final int WORK_SIDE = 480;
    static final double MAX_CHROMA = 10;
    static final double MAX_LOCAL_VARIATION = 0.05;
    static final double MIN_SHARE = 0.004;
    static final double MAX_SHARE = 0.25;
    /** Least CIELAB distance (a*, b*) between a card pixel and the frame's median colour. */
    static final double MIN_DIFFERENCE = 6;
    static final double MIN_FILL = 0.6;

    private final GrayCardCalibrator checker = new GrayCardCalibrator();

    /** A proposed rectangle and the share of the frame the patch behind it covers. */
    public record Proposal(PixelRect rect, double share) {
    }

    /** The proposed grey card, or empty when nothing in the photo looks like one. */
    public Optional<Proposal> find(DecodedPhoto photo) {
        Mat bgr = photo.bgr();
        double scale = Math.min(1.0, WORK_SIDE / (double) Math.max(bgr.cols(), bgr.rows()));
        try (MatScope s = new MatScope()) {
            Mat small = s.track(new Mat());
            Imgproc.resize(bgr, small, new Size(Math.max(1, Math.round(bgr.cols() * scale)), Math.max(1, Math.round(bgr.rows() * scale))),
                    0, 0, Imgproc.INTER_AREA);
            int w = small.cols();
            int h = small.rows();
            byte[] px = new byte[w * h * 3];
            small.get(0, 0, px);
            float[] lum = new float[w * h];
            float[] ca = new float[w * h];
            float[] cb = new float[w * h];
            byte[] candidate = new byte[w * h];
            for (int i = 0; i < w * h; i++) {
                int b = px[3 * i] & 0xff;
                int g = px[3 * i + 1] & 0xff;
                int r = px[3 * i + 2] & 0xff;
                double lr = ColorMath.linearOf8Bit(r);
                double lg = ColorMath.linearOf8Bit(g);
                double lb = ColorMath.linearOf8Bit(b);
                double y = ColorMath.luminance(lr, lg, lb);
                lum[i] = (float) y;
                double[] ab = GrayCardCalibrator.chromaticity(new double[] {lr, lg, lb});
                ca[i] = (float) ab[0];
                cb[i] = (float) ab[1];
                boolean unclipped = Math.max(r, Math.max(g, b)) <= 249 && Math.min(r, Math.min(g, b)) >= 6;
                if (unclipped && y >= GrayCardCalibrator.MIN_CARD_LUMINANCE && Math.hypot(ab[0], ab[1]) < MAX_CHROMA) {
                    candidate[i] = 1;
                }
            }
            // The frame's typical colour (in a close-up, the skin's): the card differs from it whatever the light's
            // cast, which moves both alike; pale skin under a bluish light can read as neutral as a card, not as unlike itself.
            float[] sa = ca.clone();
            float[] sb = cb.clone();
            java.util.Arrays.sort(sa);
            java.util.Arrays.sort(sb);
            double typicalA = sa[sa.length / 2];
            double typicalB = sb[sb.length / 2];
            for (int i = 0; i < w * h; i++) {
                if (candidate[i] == 1 && Math.hypot(ca[i] - typicalA, cb[i] - typicalB) < MIN_DIFFERENCE) {
                    candidate[i] = 0;
                }
            }
            Mat l = s.track(new Mat(h, w, CvType.CV_32F));
            l.put(0, 0, lum);
            Mat mean = s.track(new Mat());
            Mat sq = s.track(new Mat());
            Mat meanSq = s.track(new Mat());
            Imgproc.blur(l, mean, new Size(7, 7));
            Core.multiply(l, l, sq);
            Imgproc.blur(sq, meanSq, new Size(7, 7));
            float[] m = new float[w * h];
            float[] m2 = new float[w * h];
            mean.get(0, 0, m);
            meanSq.get(0, 0, m2);
            for (int i = 0; i < w * h; i++) {
                double sd = Math.sqrt(Math.max(0, m2[i] - (double) m[i] * m[i]));
                if (candidate[i] == 1 && sd > MAX_LOCAL_VARIATION * m[i]) {
                    candidate[i] = 0;
                }
            }
            Mat mask = s.track(new Mat(h, w, CvType.CV_8U));
            mask.put(0, 0, candidate);
            Mat opened = s.track(new Mat());
            Imgproc.morphologyEx(mask, opened, Imgproc.MORPH_OPEN, s.track(Imgproc.getStructuringElement(Imgproc.MORPH_RECT,
                    new Size(3, 3))));
            Mat labels = s.track(new Mat());
            Mat stats = s.track(new Mat());
            Mat centroids = s.track(new Mat());
            int n = Imgproc.connectedComponentsWithStats(opened, labels, stats, centroids, 8, CvType.CV_32S);
            int best = -1;
            int bestArea = 0;
            for (int k = 1; k < n; k++) {
                int area = (int) stats.get(k, Imgproc.CC_STAT_AREA)[0];
                int bw = (int) stats.get(k, Imgproc.CC_STAT_WIDTH)[0];
                int bh = (int) stats.get(k, Imgproc.CC_STAT_HEIGHT)[0];
                double fill = area / (double) (bw * bh);
                double aspect = Math.max(bw, bh) / (double) Math.max(1, Math.min(bw, bh));
                if (area >= MIN_SHARE * w * h && area <= MAX_SHARE * w * h && fill >= MIN_FILL && aspect <= 3 && area > bestArea) {
                    best = k;
                    bestArea = area;
                }
            }
            if (best < 0) {
                return Optional.empty();
            }
            int bx = (int) stats.get(best, Imgproc.CC_STAT_LEFT)[0];
            int by = (int) stats.get(best, Imgproc.CC_STAT_TOP)[0];
            int bw = (int) stats.get(best, Imgproc.CC_STAT_WIDTH)[0];
            int bh = (int) stats.get(best, Imgproc.CC_STAT_HEIGHT)[0];
            double x0 = (bx + 0.1 * bw) / scale;
            double y0 = (by + 0.1 * bh) / scale;
            double x1 = (bx + 0.9 * bw) / scale;
            double y1 = (by + 0.9 * bh) / scale;
            int rx = (int) Math.max(0, Math.floor(x0));
            int ry = (int) Math.max(0, Math.floor(y0));
            int rw = (int) Math.min(bgr.cols() - rx, Math.max(1, Math.round(x1 - x0)));
            int rh = (int) Math.min(bgr.rows() - ry, Math.max(1, Math.round(y1 - y0)));
            PixelRect rect = new PixelRect(rx, ry, rw, rh);
            if (!checker.calibrate(photo, Optional.of(rect)).calibrated()) {
                return Optional.empty();
            }
            return Optional.of(new Proposal(rect, bestArea / (double) (w * h)));
        }
    }
}
