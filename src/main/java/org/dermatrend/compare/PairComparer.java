package org.dermatrend.compare;

import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.align.Aligner;
import org.dermatrend.align.Alignment;
import org.dermatrend.align.Homography;
import org.dermatrend.align.SharedRegion;
import org.dermatrend.cv.PixelPolygon;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.cv.MatScope;
import org.dermatrend.measure.PoreDetector;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PreparedPhoto;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;
import org.dermatrend.measure.SkinScorer;
import org.dermatrend.prepare.Beside;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;

/**
 * Compares a follow-up photo with its baseline: aligns it, then scores both photos on the region
 * both show (the baseline ROI, or its whole frame, intersected with the follow-up's frame carried
 * into the baseline) and, within it, on the skin both masks agree on, each photo in its own pixels
 * so neither photo is resampled. Thread-safe.
 */
public final class PairComparer {
    /** A shared region smaller than this (square pixels of the baseline) is not scored. */
    private static final double MIN_REGION_PX = 64 * 64;

    private final Aligner aligner;
    private final SkinScorer scorer;

    public PairComparer(Aligner aligner, SkinScorer scorer) {
        this.aligner = aligner;
        this.scorer = scorer;
    }

    /**
     * What the client says about a pair.
     *
     * @param mmPerPx       the baseline's scale, when known (the follow-up's is derived from the transform)
     * @param grayRefBefore the grey card in the baseline, when present
     * @param grayRefAfter  the grey card in the follow-up, when present
     * @param roi           the region to compare, in the baseline's pixels; the whole frame when empty
     */
    public record Request(OptionalDouble mmPerPx, Optional<PixelRect> grayRefBefore, Optional<PixelRect> grayRefAfter,
                          Optional<PixelRect> roi) {
    }

    /** @return the comparison, its scores' calibrated pixels kept; the caller owns it */
    public Comparison compare(DecodedPhoto before, DecodedPhoto after, Request request, StageTimer timer) {
        return compare(before, after, request, timer, true);
    }

    /**
     * @param keepPixels whether the scores keep their calibrated pixels (for overlays); without, the baseline's are
     *                   released once it is measured, before the follow-up is, which lowers the pair's peak memory
     * @return the comparison; the caller owns it
     */
    public Comparison compare(DecodedPhoto before, DecodedPhoto after, Request request, StageTimer timer, boolean keepPixels) {
        timer.restart();
        Alignment alignment = aligner.align(before.bgr(), after.bgr(), before.validMask(), after.validMask());
        timer.lap("align");
        if (!alignment.ok()) {
            return Comparison.refused(alignment);
        }
        Homography afterToBefore = alignment.afterToBefore().orElseThrow();
        double[][] frame = request.roi()
                .map(r -> SharedRegion.rectangle(r.x(), r.y(), r.x() + r.width() - 1.0, r.y() + r.height() - 1.0))
                .orElse(SharedRegion.rectangle(0, 0, before.width() - 1.0, before.height() - 1.0));
        double[][] shared = SharedRegion.intersect(SharedRegion.mappedFrame(afterToBefore, after.width(), after.height()), frame);
        if (shared.length < 3 || SharedRegion.area(shared) < MIN_REGION_PX) {
            return Comparison.refused(new Alignment(false, "too_little_overlap",
                    "The region of interest and the follow-up's frame barely overlap: nothing to compare. Photograph "
                            + "the same area as the baseline, or widen the region.",
                    Optional.empty(), alignment.matches(), alignment.inliers(), alignment.rmsErrorPx(),
                    alignment.eccCorrelation(), alignment.overlapFraction(), alignment.featureMs(), alignment.refineMs()));
        }
        PixelPolygon regionBefore = new PixelPolygon(shared);
        PixelPolygon regionAfter = new PixelPolygon(SharedRegion.map(afterToBefore.inverse(), shared));
        // The follow-up's scale at the region's centre: one follow-up pixel covers √det(J) baseline pixels.
        double[] c = centroid(regionAfter.points());
        Optional<Double> afterMm = request.mmPerPx().isPresent()
                ? Optional.of(request.mmPerPx().getAsDouble() * Math.sqrt(afterToBefore.areaScaleAt(c[0], c[1])))
                : Optional.empty();
        PhotoContext beforeContext = new PhotoContext(request.mmPerPx(), request.grayRefBefore(), Optional.empty(),
                Optional.of(regionBefore));
        PhotoContext afterContext = new PhotoContext(afterMm.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                request.grayRefAfter(), Optional.empty(), Optional.of(regionAfter));
        // The follow-up is prepared beside the baseline when the scorer has a core to spare (the command line).
        Beside.Task<PreparedPhoto> afterTask = scorer.beside().start(t -> scorer.prepare(after, afterContext, t));
        PreparedPhoto preparedBefore;
        try {
            preparedBefore = scorer.prepare(before, beforeContext, timer);
        } catch (RuntimeException | Error e) {
            afterTask.discard(PreparedPhoto::close);
            throw e;
        }
        PreparedPhoto preparedAfter;
        try {
            preparedAfter = afterTask.join(timer);
        } catch (RuntimeException | Error e) {
            preparedBefore.close();
            throw e;
        }
        double commonShare;
        try {
            commonShare = commonSkin(preparedBefore.mask().mask(), preparedAfter.mask().mask(), afterToBefore);
            timer.lap("commonSkin");
        } catch (RuntimeException e) {
            preparedBefore.close();
            preparedAfter.close();
            throw e;
        }
        SkinScore beforeScore;
        try {
            beforeScore = scorer.measure(preparedBefore, timer);
        } catch (RuntimeException e) {
            preparedAfter.close();
            throw e;
        }
        // Without its pixels the baseline keeps what its pores are found in (its red channel and mask at the pore stage's
        // working scale: 5/12 of the calibrated pixels' memory at 0.02 mm/px or coarser, 5/48 at 0.01), in case the
        // follow-up turns out softer and the baseline's pores must be sized again at its sharpness.
        PoreDetector.WorkingRed beforeRed = null;
        SkinScore afterScore = null;
        boolean afterHandedOver = false;
        try {
            if (!keepPixels) {
                if (PoreSharpness.mayMatch(beforeScore, request.mmPerPx())) {
                    beforeRed = scorer.poreDetector().workingRed(preparedBefore.linear(), preparedBefore.mask().mask(),
                            beforeContext.mmPerPx());
                }
                preparedBefore.releasePixels();
            }
            afterHandedOver = true;
            afterScore = scorer.measure(preparedAfter, timer);
            PoreSharpness.Result matched = PoreSharpness.match(scorer.poreDetector(), beforeScore, beforeRed, afterScore,
                    request.mmPerPx(), afterContext.mmPerPx());
            timer.lap("poreSharpness");
            return new Comparison(alignment, Optional.of(regionBefore), Optional.of(regionAfter), Optional.of(matched.before()),
                    Optional.of(matched.after()), afterMm, commonShare, matched.match());
        } catch (RuntimeException | Error e) {
            beforeScore.close();
            if (afterScore != null) {
                afterScore.close();
            } else if (!afterHandedOver) {
                preparedAfter.close(); // once handed over, measure closes it when it fails
            }
            throw e;
        } finally {
            if (beforeRed != null) {
                beforeRed.close();
            }
        }
    }

    /**
     * Narrows both skin masks, in place, to skin in both photos: the follow-up's mask carried into the
     * baseline (nearest neighbour: a mask, not pixels, is resampled) and ANDed there, then the result
     * carried back and ANDed into the follow-up's. Hair that moved, glare, or a colour cast that
     * pushed skin out of the mask in one session then leaves the same skin out of both.
     *
     * @return the share of the baseline's own skin (in the region) that is common skin
     */
    static double commonSkin(Mat beforeMask, Mat afterMask, Homography afterToBefore) {
        try (MatScope scope = new MatScope()) {
            double own = Core.countNonZero(beforeMask);
            Mat h = scope.track(afterToBefore.toMat());
            Mat afterInBefore = scope.mat();
            Imgproc.warpPerspective(afterMask, afterInBefore, h, beforeMask.size(), Imgproc.INTER_NEAREST,
                    Core.BORDER_CONSTANT, new Scalar(0));
            Core.bitwise_and(beforeMask, afterInBefore, beforeMask);
            Mat hInv = scope.track(afterToBefore.inverse().toMat());
            Mat beforeInAfter = scope.mat();
            Imgproc.warpPerspective(beforeMask, beforeInAfter, hInv, afterMask.size(), Imgproc.INTER_NEAREST,
                    Core.BORDER_CONSTANT, new Scalar(0));
            Core.bitwise_and(afterMask, beforeInAfter, afterMask);
            return own == 0 ? 0 : Core.countNonZero(beforeMask) / own;
        }
    }

    private static double[] centroid(double[][] polygon) {
        double x = 0;
        double y = 0;
        for (double[] p : polygon) {
            x += p[0];
            y += p[1];
        }
        return new double[] {x / polygon.length, y / polygon.length};
    }
}
