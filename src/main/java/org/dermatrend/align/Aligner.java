package org.dermatrend.align;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.dermatrend.cv.MatScope;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Core;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.DMatch;
import org.opencv.core.KeyPoint;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDMatch;
import org.opencv.core.MatOfKeyPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.core.TermCriteria;
import org.opencv.features2d.BFMatcher;
import org.opencv.features2d.SIFT;
import org.opencv.imgproc.Imgproc;
import org.opencv.video.Video;

/**
 * Registers a follow-up photo (after) to the baseline (before), and refuses when it cannot show that
 * both are the same skin. docs/metrics.md §8 gives the method's measured accuracy.
 *
 * <ol>
 * <li>Both photos become structure images ({@link StructureImage}: log-grey, high-passed, only the
 * clearly dark details kept), so light, exposure, white balance and redness changes are not matched
 * on.</li>
 * <li>Rotation and zoom by a phase-correlation grid ({@link CoarseSearch}).</li>
 * <li>Consensus: dark blobs paired through that guess in shrinking radii and a homography fitted by
 * RANSAC; else upright wide-window SIFT on the turned follow-up and USAC/MAGSAC++ (OpenCV seeds both
 * generators with a fixed state: the same photos give the same transform).</li>
 * <li>Plausibility: no fold or mirror, zoom within 1/{@code maxLinearScale}..{@code maxLinearScale}.</li>
 * <li>Fine fit on copies of at most {@code eccLongSidePx}: darkness-weighted blob centroids paired
 * within 3 then 1.5 px, a homography by RANSAC; ECC first when too few blobs pair up. The aligned
 * structure correlation, the fine fit's agreement with the consensus and the overlap decide
 * {@code ok}.</li>
 * </ol>
 * Thread-safe: every call makes its own detector and matcher.
 */
public final class Aligner {
    /** Blobs are at least this many structure units (robust σ of the fine contrast each) darker than their surround. */
    private static final double BLOB_DARKNESS = 0.2;

    /** The fine fit may always move the consensus' corners by this much on average (px). */
    private static final double MIN_REFINE_SHIFT_PX = 8;

    private final ConfigAlignment config;
    /** Threads that share out the coarse search's grid; null when it runs in the caller's thread. */
    private final ExecutorService searchPool;

    /** An aligner whose coarse search runs in the calling thread (for a service that is busy with many photos at once). */
    public Aligner(ConfigAlignment config) {
        this(config, 1);
    }

    /**
     * @param searchThreads threads the coarse search's grid is shared out over (1: the calling thread
     *                      only). They are daemon threads owned by this aligner, made once.
     */
    public Aligner(ConfigAlignment config, int searchThreads) {
        if (searchThreads < 1) {
            throw new IllegalArgumentException("searchThreads must be at least 1, got " + searchThreads);
        }
        this.config = config;
        this.searchPool = searchThreads == 1 ? null : Executors.newFixedThreadPool(searchThreads, r -> {
            Thread t = new Thread(r, "align-search");
            t.setDaemon(true);
            return t;
        });
    }

    public ConfigAlignment config() {
        return config;
    }

    /**
     * @param before      the baseline, upright {@code CV_8UC3}
     * @param after       the follow-up, upright {@code CV_8UC3}
     * @param beforeValid pixels of before that hold the photo ({@code CV_8UC1}, 255 = valid), if not all
     * @param afterValid  the same for after
     * @return the alignment; never null, never throws for photos that merely do not match
     */
    public Alignment align(Mat before, Mat after, Optional<Mat> beforeValid, Optional<Mat> afterValid) {
        requireColour(before, "before");
        requireColour(after, "after");
        long t0 = System.nanoTime();
        try (MatScope scope = new MatScope()) {
            double sb = Math.min(1.0, config.featureLongSidePx() / (double) Math.max(before.cols(), before.rows()));
            double sa = Math.min(1.0, config.featureLongSidePx() / (double) Math.max(after.cols(), after.rows()));
            Mat structureBefore = scope.track(StructureImage.compute(before, sb));
            Mat structureAfter = scope.track(StructureImage.compute(after, sa));
            // 1. Rotation and zoom by a phase-correlation grid (pores are alike one by one; their pattern is not).
            CoarseSearch.Guess guess = CoarseSearch.search(structureBefore, structureAfter, config, searchPool);
            Mat beforeValidSmall = validAt(scope, beforeValid, structureBefore.size());
            Mat afterValidSmall = validAt(scope, afterValid, structureAfter.size());
            // 2. From that guess to a homography (tilt, residual shift): dark blobs paired in shrinking radii
            //    (a pore-dotted skin), else upright wide-window SIFT on the turned follow-up (other textures).
            Consensus consensus = blobConsensus(scope, structureBefore, structureAfter, beforeValidSmall, afterValidSmall,
                    guess.afterToBefore());
            if (consensus.inliers < config.minInliers()) {
                Consensus sift = siftConsensus(scope, structureBefore, structureAfter, beforeValidSmall, afterValidSmall,
                        guess.afterToBefore());
                if (sift.inliers > consensus.inliers) {
                    consensus = sift;
                }
            }
            int matches = consensus.matches;
            int inliers = consensus.inliers;
            if (consensus.afterToBefore == null || inliers < config.minInliers() || inliers < config.minInlierShare() * matches) {
                // The correlation under the best (rejected) consensus is reported too: a second, independent
                // witness that the photos differ.
                double witness = consensus.afterToBefore == null ? Double.NaN
                        : correlation(scope, structureBefore, structureAfter, afterValidSmall, consensus.afterToBefore);
                return Alignment.refused("no_consistent_match", String.format(
                        "Only %d of %d feature matches agree on one transform (need %d and %.0f%%): the photos do not "
                                + "seem to show the same skin. Check that both photos are of the same area.", inliers,
                        matches, config.minInliers(), 100 * config.minInlierShare()),
                        matches, inliers, Double.NaN, witness, Double.NaN, ms(t0), 0);
            }
            Homography smallAfterToBefore = consensus.afterToBefore;
            // Back to full resolution: after → after-small → before-small → before.
            Homography coarse = Homography.resize(sb, sb).inverse().after(smallAfterToBefore).after(Homography.resize(sa, sa));
            Optional<String> implausible = implausible(coarse, after.cols(), after.rows());
            if (implausible.isPresent()) {
                return Alignment.refused("implausible_transform", implausible.get(), matches, inliers, Double.NaN,
                        Double.NaN, Double.NaN, ms(t0), 0);
            }
            double featureMs = ms(t0);

            long t1 = System.nanoTime();
            Refined refined;
            try {
                refined = refine(scope, before, after, afterValid, coarse);
            } catch (CvException e) {
                return Alignment.refused("refinement_failed", "The fine alignment did not converge: the photos may "
                        + "differ too much in sharpness or content. Retake the follow-up from the baseline's position.",
                        matches, inliers, Double.NaN, Double.NaN, Double.NaN, featureMs, ms(t1));
            }
            double refineMs = ms(t1);
            Homography fine = refined.afterToBefore;
            double rms = rms(fine, consensus, sa, sb);
            double overlap = overlapFraction(fine, after.cols(), after.rows(), before.cols(), before.rows());
            double diagonal = Math.hypot(before.cols(), before.rows());
            // Mean corner distance, floored at MIN_REFINE_SHIFT_PX: on small photos the consensus' perspective is
            // loosely held and its corners wander a few pixels while the centre agrees.
            double shift = fine.cornerErrorPx(coarse, after.cols(), after.rows());
            double allowedShift = Math.max(MIN_REFINE_SHIFT_PX, config.maxRefineShiftFraction() * diagonal);
            if (!(refined.correlation >= config.minEccCorrelation())) {
                return Alignment.refused("low_correlation", String.format(
                        "After alignment the skin structure correlates only %.2f (need %.2f): not the same skin, or too "
                                + "different (blur, hair, a lesion changed). Retake the follow-up like the baseline.",
                        refined.correlation, config.minEccCorrelation()),
                        matches, inliers, rms, refined.correlation, overlap, featureMs, refineMs);
            }
            if (shift > allowedShift) {
                return Alignment.refused("refinement_failed", String.format(
                        "The fine alignment moved %.0f px away from the feature estimate (at most %.0f px): the two "
                                + "disagree, so neither is trusted.", shift, allowedShift),
                        matches, inliers, rms, refined.correlation, overlap, featureMs, refineMs);
            }
            if (!(overlap >= config.minOverlapFraction())) {
                return Alignment.refused("too_little_overlap", String.format(
                        "The follow-up covers only %.0f%% of the baseline's frame (need %.0f%%). Photograph the same "
                                + "area as the baseline.", 100 * overlap, 100 * config.minOverlapFraction()),
                        matches, inliers, rms, refined.correlation, overlap, featureMs, refineMs);
            }
            Optional<String> implausibleFine = implausible(fine, after.cols(), after.rows());
            if (implausibleFine.isPresent()) {
                return Alignment.refused("implausible_transform", implausibleFine.get(), matches, inliers, rms,
                        refined.correlation, overlap, featureMs, refineMs);
            }
            return new Alignment(true, null, null, Optional.of(fine), matches, inliers, rms, refined.correlation, overlap,
                    featureMs, refineMs);
        }
    }

    private record Features(List<Point> points, Mat descriptors) {
    }

    private record Refined(Homography afterToBefore, double correlation) {
    }

    /**
     * Point pairs (after, before, in the feature copies' pixels), which of them agree, and the
     * homography they agree on (null if none).
     */
    private record Consensus(Homography afterToBefore, List<Point> src, List<Point> dst, boolean[] inlier, int matches,
                             int inliers) {
        static Consensus none() {
            return new Consensus(null, List.of(), List.of(), new boolean[0], 0, 0);
        }
    }

    /** Search radii (feature-copy pixels) of the blob pairing, shrinking as the transform improves. */
    private static final double[] BLOB_RADII_PX = {12, 6, 3};

    /**
     * Dark blobs of both copies paired through {@code guess} within a radius, a homography fitted by
     * RANSAC to the pairs, and again with a smaller radius through that homography. Blobs near the
     * centre pair first; the fit then carries the tilt out to the edges.
     */
    private Consensus blobConsensus(MatScope scope, Mat structureBefore, Mat structureAfter, Mat beforeValid, Mat afterValid,
                                    Homography guess) {
        List<Point> blobsBefore = blobs(scope, structureBefore, beforeValid);
        List<Point> blobsAfter = blobs(scope, structureAfter, afterValid);
        Homography h = guess;
        Consensus best = Consensus.none();
        for (double radius : BLOB_RADII_PX) {
            List<Point> from = new ArrayList<>();
            List<Point> to = new ArrayList<>();
            pair(blobsAfter, blobsBefore, h, radius, from, to);
            Consensus c = fit(scope, from, to, Calib3d.RANSAC, Math.max(1.0, radius / 4));
            if (c.afterToBefore == null || c.inliers < Math.max(8, best.inliers / 2)) {
                break;
            }
            best = c;
            h = c.afterToBefore;
        }
        return best;
    }

    /**
     * Upright wide-window SIFT matches between the baseline and the follow-up turned and zoomed by
     * {@code guess}, and a homography by USAC/MAGSAC++; points are returned in the unturned follow-up.
     */
    private Consensus siftConsensus(MatScope scope, Mat structureBefore, Mat structureAfter, Mat beforeValid, Mat afterValid,
                                    Homography guess) {
        Mat eightBefore = scope.track(StructureImage.to8Bit(structureBefore));
        Mat eightAfter = scope.track(StructureImage.to8Bit(structureAfter));
        Mat guessMat = scope.track(guess.toMat());
        Mat turned = scope.mat();
        Imgproc.warpPerspective(eightAfter, turned, guessMat, eightBefore.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
                new org.opencv.core.Scalar(128));
        Mat turnedValid = scope.mat();
        Imgproc.warpPerspective(afterValid, turnedValid, guessMat, eightBefore.size(), Imgproc.INTER_NEAREST,
                Core.BORDER_CONSTANT, new org.opencv.core.Scalar(0));
        Features fb = describe(scope, eightBefore, beforeValid);
        Features fa = describe(scope, turned, turnedValid);
        List<Point> turnedSrc = new ArrayList<>();
        List<Point> dst = new ArrayList<>();
        ratioMatches(fa, fb, turnedSrc, dst);
        Homography untrun = guess.inverse();
        List<Point> src = new ArrayList<>();
        for (Point p : turnedSrc) {
            double[] q = untrun.apply(p.x, p.y);
            src.add(new Point(q[0], q[1]));
        }
        return fit(scope, src, dst, Calib3d.USAC_MAGSAC, config.ransacThresholdPx());
    }

    /** A robust homography from {@code src} to {@code dst} (OpenCV's generators have a fixed seed). */
    private Consensus fit(MatScope scope, List<Point> src, List<Point> dst, int method, double thresholdPx) {
        return fit(scope, src, dst, method, thresholdPx, 0.9999);
    }

    private Consensus fit(MatScope scope, List<Point> src, List<Point> dst, int method, double thresholdPx, double confidence) {
        if (src.size() < 8) {
            return new Consensus(null, src, dst, new boolean[src.size()], src.size(), 0);
        }
        MatOfPoint2f sm = scope.track(new MatOfPoint2f(src.toArray(new Point[0])));
        MatOfPoint2f dm = scope.track(new MatOfPoint2f(dst.toArray(new Point[0])));
        Mat mask = scope.mat();
        Mat h = scope.track(Calib3d.findHomography(sm, dm, method, thresholdPx, mask, config.ransacMaxIterations(), confidence));
        if (h.empty()) {
            return new Consensus(null, src, dst, new boolean[src.size()], src.size(), 0);
        }
        byte[] flags = new byte[(int) mask.total()];
        mask.get(0, 0, flags);
        boolean[] inlier = new boolean[flags.length];
        int n = 0;
        for (int i = 0; i < flags.length; i++) {
            inlier[i] = flags[i] != 0;
            n += inlier[i] ? 1 : 0;
        }
        return new Consensus(Homography.of(h), src, dst, inlier, src.size(), n);
    }

    /** The valid mask resized to {@code size}, or all valid. */
    private static Mat validAt(MatScope scope, Optional<Mat> valid, Size size) {
        Mat m = scope.track(new Mat(size, CvType.CV_8UC1, new org.opencv.core.Scalar(255)));
        valid.ifPresent(v -> Imgproc.resize(v, m, size, 0, 0, Imgproc.INTER_NEAREST));
        return m;
    }

    /**
     * Blob keypoints (pores, hair crossings, spots) of an 8-bit structure copy, away from the edge of
     * the valid area (the step there is no skin feature), with upright SIFT descriptors over
     * {@code descriptorScale} times each keypoint's size: a pore has no orientation of its own, and
     * the rotation is already taken out by the coarse search.
     */
    private Features describe(MatScope scope, Mat eight, Mat valid) {
        Mat detectMask = scope.mat();
        Imgproc.erode(valid, detectMask, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(15, 15)));
        MatOfKeyPoint keypoints = scope.track(new MatOfKeyPoint());
        SIFT sift = SIFT.create(config.maxFeatures(), 3, 0.04, 10, 1.6);
        sift.detect(eight, keypoints, detectMask);
        // The wide window is sampled from a coarser octave of SIFT's pyramid (as SIFT would for a blob of
        // that size): sampling it at the detection octave cost 400 ms per image at 800 px.
        int octaveStep = (int) Math.floor(Math.log(config.descriptorScale()) / Math.log(2));
        KeyPoint[] kps = keypoints.toArray();
        for (KeyPoint k : kps) {
            k.size = (float) (k.size * config.descriptorScale());
            k.angle = 0;
            k.octave = coarserOctave(k.octave, octaveStep);
        }
        MatOfKeyPoint wide = scope.track(new MatOfKeyPoint(kps));
        Mat descriptors = scope.mat();
        sift.compute(eight, wide, descriptors);
        // compute() may drop keypoints too close to the border: read back the ones it kept.
        List<Point> points = new ArrayList<>();
        for (KeyPoint k : wide.toArray()) {
            points.add(k.pt);
        }
        return new Features(points, descriptors);
    }

    /**
     * OpenCV packs a SIFT keypoint's octave as {@code octave & 255 | layer << 8 | sub-layer << 16}
     * (octave signed, −1 for the up-sampled first one); this moves it {@code step} octaves coarser.
     */
    static int coarserOctave(int packed, int step) {
        int octave = packed & 255;
        octave = octave < 128 ? octave : (-128 | octave);
        return ((octave + step) & 255) | (packed & ~255);
    }

    /** Lowe's ratio-test matches from {@code fa} (after) to {@code fb} (before). */
    private void ratioMatches(Features fa, Features fb, List<Point> src, List<Point> dst) {
        if (fa.descriptors.empty() || fb.descriptors.empty()) {
            return;
        }
        List<MatOfDMatch> knn = new ArrayList<>();
        BFMatcher.create(Core.NORM_L2, false).knnMatch(fa.descriptors, fb.descriptors, knn, 2);
        for (MatOfDMatch m : knn) {
            DMatch[] d = m.toArray();
            m.release();
            if (d.length == 2 && d[0].distance < config.ratio() * d[1].distance) {
                src.add(fa.points.get(d[0].queryIdx));
                dst.add(fb.points.get(d[0].trainIdx));
            }
        }
    }

    /**
     * ECC on structure copies of at most {@code eccLongSidePx}, first at half that size, then at it
     * (ECC's warp maps template = before pixels to input = after pixels); then, on the same copies,
     * the centroids of dark blobs (pore openings, spots) are paired through the ECC transform and a
     * homography is fitted to them. Blob centroids are where the pigment is, whatever the light:
     * ECC, which matches whole images, is pulled by the shading of pits and relief that turns over
     * when the light moves (2-3 px at the corners on phantoms lit from another side, 0.03 px when the
     * light stays). The blob fit is used when enough blobs pair up, ECC's otherwise; the reported
     * correlation is that of the final transform.
     */
    private Refined refine(MatScope scope, Mat before, Mat after, Optional<Mat> afterValid, Homography coarse) {
        double lb = Math.min(1.0, config.eccLongSidePx() / (double) Math.max(before.cols(), before.rows()));
        double la = Math.min(1.0, config.eccLongSidePx() / (double) Math.max(after.cols(), after.rows()));
        Mat tb = scope.track(StructureImage.compute(before, lb));
        Mat ta = scope.track(StructureImage.compute(after, la));
        Mat mask = validAt(scope, afterValid, ta.size());
        Imgproc.erode(mask, mask, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(5, 5)));
        Homography toSmall = Homography.resize(lb, lb);
        Homography small = toSmall.after(coarse).after(Homography.resize(la, la).inverse());
        List<Point> blobsBefore = blobs(scope, tb, null);
        List<Point> blobsAfter = blobs(scope, ta, mask);
        BlobFit fit = blobFit(scope, blobsBefore, blobsAfter, small);
        if (fit.pairs == 0) {
            // Too few blobs pair up (a texture without pores, or a coarse transform a few pixels off): ECC,
            // coarse to fine, then the blobs again.
            small = ecc(scope, tb, ta, mask, small);
            fit = blobFit(scope, blobsBefore, blobsAfter, small);
        }
        if (fit.pairs > 0) {
            small = fit.afterToBefore;
        }
        Homography afterToBefore = toSmall.inverse().after(small).after(Homography.resize(la, la));
        return new Refined(afterToBefore, correlation(scope, tb, ta, mask, small));
    }

    private record BlobFit(Homography afterToBefore, int pairs) {
    }

    /**
     * Blob centroids paired through {@code afterToBefore} at radii 3 and 1.5 px and a homography fitted
     * to them by RANSAC (0.75 px); {@code pairs} is 0 when fewer than {@code minBlobPairs} agree.
     */
    private BlobFit blobFit(MatScope scope, List<Point> blobsBefore, List<Point> blobsAfter, Homography afterToBefore) {
        Homography h = afterToBefore;
        int pairs = 0;
        for (double radius : new double[] {3.0, 1.5}) {
            List<Point> from = new ArrayList<>();
            List<Point> to = new ArrayList<>();
            pair(blobsAfter, blobsBefore, h, radius, from, to);
            if (from.size() < config.minBlobPairs()) {
                break;
            }
            Consensus c = fit(scope, from, to, Calib3d.RANSAC, 0.75, 0.999);
            if (c.afterToBefore == null || c.inliers < config.minBlobPairs()) {
                break;
            }
            pairs = c.inliers;
            h = c.afterToBefore;
        }
        return new BlobFit(h, pairs);
    }

    /** ECC (full homography) on the structure copies, at half size then full; warp maps before to after. */
    private Homography ecc(MatScope scope, Mat tb, Mat ta, Mat mask, Homography afterToBefore) {
        Homography h = afterToBefore;
        for (double level : new double[] {0.5, 1.0}) {
            Mat b = tb;
            Mat a = ta;
            Mat m = mask;
            if (level < 1) {
                b = scope.mat();
                a = scope.mat();
                m = scope.mat();
                Imgproc.resize(tb, b, new Size(Math.round(tb.cols() * level), Math.round(tb.rows() * level)), 0, 0, Imgproc.INTER_AREA);
                Imgproc.resize(ta, a, new Size(Math.round(ta.cols() * level), Math.round(ta.rows() * level)), 0, 0, Imgproc.INTER_AREA);
                Imgproc.resize(mask, m, a.size(), 0, 0, Imgproc.INTER_NEAREST);
            }
            Homography sb = Homography.resize(b.cols() / (double) tb.cols(), b.rows() / (double) tb.rows());
            Homography sa = Homography.resize(a.cols() / (double) ta.cols(), a.rows() / (double) ta.rows());
            Mat warp = scope.track(sa.after(h.inverse()).after(sb.inverse()).toMat32F());
            Video.findTransformECC(b, a, warp, Video.MOTION_HOMOGRAPHY,
                    new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, config.eccIterations(), 1e-6), m, 5);
            h = sb.inverse().after(Homography.of(warp).inverse()).after(sa);
        }
        return h;
    }

    /** ECC correlation of before's structure with after's warped onto it, over after's valid area. */
    private static double correlation(MatScope scope, Mat tb, Mat ta, Mat afterMask, Homography smallAfterToBefore) {
        Mat m = scope.track(smallAfterToBefore.toMat());
        Mat warped = scope.mat();
        Imgproc.warpPerspective(ta, warped, m, tb.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
                new org.opencv.core.Scalar(0));
        Mat warpedMask = scope.mat();
        Imgproc.warpPerspective(afterMask, warpedMask, m, tb.size(), Imgproc.INTER_NEAREST, Core.BORDER_CONSTANT,
                new org.opencv.core.Scalar(0));
        Imgproc.erode(warpedMask, warpedMask, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3)));
        if (Core.countNonZero(warpedMask) < 100) {
            return Double.NaN;
        }
        return Video.computeECC(tb, warped, warpedMask);
    }

    /**
     * Centroids of compact dark blobs of a structure image: at least {@link #BLOB_DARKNESS} units dark (just past the
     * dead zone: the lower the threshold, the more of a lit pit wall is inside the blob and the less its
     * centroid follows the light: for a light turned 139°, blobs cut at a higher threshold moved 2 px,
     * at this one 0.9 px),
     * 3 to 400 px, bounding box no more than 2.5:1 and at least 40 % filled (hair and lines are not).
     */
    private static List<Point> blobs(MatScope scope, Mat structure, Mat valid) {
        Mat binary = scope.mat();
        Imgproc.threshold(structure, binary, -BLOB_DARKNESS, 255, Imgproc.THRESH_BINARY_INV);
        binary.convertTo(binary, CvType.CV_8U);
        if (valid != null) {
            Mat inner = scope.mat();
            Imgproc.erode(valid, inner, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(9, 9)));
            Core.bitwise_and(binary, inner, binary);
        }
        Mat labels = scope.mat();
        Mat stats = scope.mat();
        Mat centroids = scope.mat();
        int n = Imgproc.connectedComponentsWithStats(binary, labels, stats, centroids, 8, CvType.CV_32S);
        int[] st = new int[5 * n];
        stats.get(0, 0, st);
        // Darkness-weighted centroids (one pass over the labels): steadier than the binary shape's centre,
        // whose rim pixels come and go with interpolation, JPEG and the threshold.
        int[] label = new int[(int) labels.total()];
        labels.get(0, 0, label);
        float[] value = new float[(int) structure.total()];
        structure.get(0, 0, value);
        double[] sw = new double[n];
        double[] sx = new double[n];
        double[] sy = new double[n];
        int cols = structure.cols();
        for (int k = 0; k < label.length; k++) {
            int l = label[k];
            if (l > 0) {
                double w = -value[k];
                sw[l] += w;
                sx[l] += w * (k % cols);
                sy[l] += w * (k / cols);
            }
        }
        List<Point> out = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            int x = st[5 * i];
            int y = st[5 * i + 1];
            int w = st[5 * i + 2];
            int h = st[5 * i + 3];
            int area = st[5 * i + 4];
            boolean touches = x == 0 || y == 0 || x + w >= structure.cols() || y + h >= structure.rows();
            if (!touches && sw[i] > 0 && area >= 3 && area <= 400 && Math.max(w, h) <= 2.5 * Math.min(w, h)
                    && area >= 0.4 * w * h) {
                out.add(new Point(sx[i] / sw[i], sy[i] / sw[i]));
            }
        }
        return out;
    }

    /** Unambiguous nearest pairs: each mapped after blob with the one before blob within {@code radius}. */
    private static void pair(List<Point> after, List<Point> before, Homography afterToBefore, double radius,
                             List<Point> from, List<Point> to) {
        double cell = 2 * radius;
        java.util.Map<Long, List<Point>> grid = new java.util.HashMap<>();
        for (Point p : before) {
            grid.computeIfAbsent(key((int) Math.floor(p.x / cell), (int) Math.floor(p.y / cell)), k -> new ArrayList<>()).add(p);
        }
        for (Point a : after) {
            double[] q = afterToBefore.apply(a.x, a.y);
            if (Double.isNaN(q[0])) {
                continue;
            }
            int gx = (int) Math.floor(q[0] / cell);
            int gy = (int) Math.floor(q[1] / cell);
            Point best = null;
            double bestD = Double.MAX_VALUE;
            int near = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    for (Point b : grid.getOrDefault(key(gx + dx, gy + dy), List.of())) {
                        double d = Math.hypot(b.x - q[0], b.y - q[1]);
                        if (d < 2 * radius) {
                            near++;
                        }
                        if (d < bestD) {
                            bestD = d;
                            best = b;
                        }
                    }
                }
            }
            if (best != null && bestD <= radius && near == 1) {
                from.add(a);
                to.add(best);
            }
        }
    }

    private static long key(int x, int y) {
        return ((long) x << 32) ^ (y & 0xffffffffL);
    }

    /** A reason when {@code afterToBefore} cannot be a camera moving over the same skin. */
    private Optional<String> implausible(Homography afterToBefore, int width, int height) {
        double[][] c = Homography.corners(width, height);
        double[][] p = new double[4][];
        for (int i = 0; i < 4; i++) {
            p[i] = afterToBefore.apply(c[i][0], c[i][1]);
            if (Double.isNaN(p[i][0])) {
                return Optional.of("The estimated transform sends part of the follow-up to infinity: not a view of the "
                        + "same skin.");
            }
        }
        // Convex, not mirrored: every turn of the mapped frame has the same (positive) sense.
        for (int i = 0; i < 4; i++) {
            double[] a = p[i];
            double[] b = p[(i + 1) % 4];
            double[] d = p[(i + 2) % 4];
            double cross = (b[0] - a[0]) * (d[1] - b[1]) - (b[1] - a[1]) * (d[0] - b[0]);
            if (cross <= 0) {
                return Optional.of("The estimated transform folds or mirrors the follow-up: not a view of the same skin.");
            }
        }
        double zoom = Math.sqrt(afterToBefore.areaScaleAt((width - 1) / 2.0, (height - 1) / 2.0));
        double max = config.maxLinearScale();
        if (!(zoom >= 1 / max && zoom <= max)) {
            return Optional.of(String.format("The follow-up would be zoomed %.2f× relative to the baseline (allowed "
                    + "%.2f–%.2f×): photograph from the baseline's distance.", 1 / zoom, 1 / max, max));
        }
        return Optional.empty();
    }

    /** Share of the before frame covered by the after frame mapped into it. */
    static double overlapFraction(Homography afterToBefore, int afterWidth, int afterHeight, int beforeWidth, int beforeHeight) {
        double[][] shared = SharedRegion.intersect(SharedRegion.mappedFrame(afterToBefore, afterWidth, afterHeight),
                SharedRegion.rectangle(0, 0, beforeWidth - 1, beforeHeight - 1));
        return SharedRegion.area(shared) / ((beforeWidth - 1.0) * (beforeHeight - 1.0));
    }

    /** RMS distance in before pixels between the consensus' before points and its after points mapped by {@code afterToBefore}. */
    private static double rms(Homography afterToBefore, Consensus c, double sa, double sb) {
        Homography afterFromSmall = Homography.resize(sa, sa).inverse();
        Homography beforeFromSmall = Homography.resize(sb, sb).inverse();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < c.src.size(); i++) {
            if (!c.inlier[i]) {
                continue;
            }
            double[] a = afterFromSmall.apply(c.src.get(i).x, c.src.get(i).y);
            double[] b = beforeFromSmall.apply(c.dst.get(i).x, c.dst.get(i).y);
            double[] p = afterToBefore.apply(a[0], a[1]);
            sum += (p[0] - b[0]) * (p[0] - b[0]) + (p[1] - b[1]) * (p[1] - b[1]);
            n++;
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void requireColour(Mat m, String name) {
        if (m.empty() || m.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException(name + " must be a non-empty CV_8UC3 image, got " + m);
        }
    }
}
