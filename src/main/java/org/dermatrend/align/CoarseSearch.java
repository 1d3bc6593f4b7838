package org.dermatrend.align;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.dermatrend.cv.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The first guess of how the follow-up lies on the baseline: a rotation-and-zoom grid searched by
 * phase correlation of the two structure images on small copies. Pores are alike one by one, so
 * keypoint descriptors of a pore-dotted skin match poorly before rotation and zoom are known; the
 * dot pattern as a whole, however, correlates sharply once they are. The search runs over the
 * configured ranges on a copy of {@code searchLongSidePx}, then again on one twice that size in
 * finer steps around the best cell.
 */
final class CoarseSearch {
    /** A similarity guess, after-to-before in the given copies' pixels, and its correlation peak (0..1). */
    record Guess(Homography afterToBefore, double response, double angleDeg, double scale) {
    }

    /**
     * Blur of the grid's copies: half a grid step of rotation or zoom moves a dot at the copy's edge by
     * about 3 px, and dots must still overlap there.
     */
    private static final double SEARCH_BLUR_PX = 2.5;
    private static final double FINE_BLUR_PX = 2.0;
    /** Parts the grid is cut into when a pool is given (its threads take them as they come). */
    private static final int PARTS = 4;
    /** Share of each side over which the correlation window tapers to zero. */
    private static final double TAPER = 0.15;
    /** An empty Mat: "no window" for phaseCorrelate (read only, so it can be shared). */
    private static final Mat NO_WINDOW = new Mat();

    private CoarseSearch() {
    }

    /**
     * @param before structure of the baseline at some scale ({@code CV_32FC1})
     * @param after  structure of the follow-up at (about) the same pixels per mm
     */
    static Guess search(Mat before, Mat after, ConfigAlignment config) {
        return search(before, after, config, null);
    }

    /**
     * As {@link #search(Mat, Mat, ConfigAlignment)}, the grid's cells shared out over {@code pool}
     * (null: in the calling thread). The answer does not depend on the pool: every cell is computed
     * the same way and ties go to the earlier cell.
     */
    static Guess search(Mat before, Mat after, ConfigAlignment config, ExecutorService pool) {
        try (MatScope scope = new MatScope()) {
            double small = Math.min(1.0, config.searchLongSidePx() / (double) Math.max(before.cols(), before.rows()));
            Mat a1 = scope.track(prepare(after, small, SEARCH_BLUR_PX));
            Mat window1 = scope.mat();
            Mat b1 = scope.track(windowed(prepare(before, small, SEARCH_BLUR_PX), window1));
            double maxLog = Math.log(config.maxLinearScale());
            double angleStep = config.searchAngleStepDeg();
            double logStep = config.searchLogScaleStep();
            List<double[]> cells = new ArrayList<>();
            for (double angle = -config.maxRotationDeg(); angle <= config.maxRotationDeg() + 1e-9; angle += angleStep) {
                for (double log = -maxLog; log <= maxLog + 1e-9; log += logStep) {
                    cells.add(new double[] {angle, Math.exp(log)});
                }
            }
            Guess best = best(cells, b1, a1, window1, pool);
            // Finer steps on a copy twice the size, around the best cell.
            double fine = Math.min(1.0, 2 * small);
            Mat a2 = scope.track(prepare(after, fine, FINE_BLUR_PX));
            Mat window2 = scope.mat();
            Mat b2 = scope.track(windowed(prepare(before, fine, FINE_BLUR_PX), window2));
            List<double[]> fineCells = new ArrayList<>();
            for (int i = -2; i <= 2; i++) {
                for (int j = -2; j <= 2; j++) {
                    fineCells.add(new double[] {best.angleDeg + i * angleStep / 4, best.scale * Math.exp(j * logStep / 4)});
                }
            }
            Guess bestFine = best(fineCells, b2, a2, window2, pool);
            // Back to the caller's pixels.
            Homography toCaller = Homography.resize(fine, fine).inverse().after(bestFine.afterToBefore)
                    .after(Homography.resize(fine, fine));
            return new Guess(toCaller, bestFine.response, bestFine.angleDeg, bestFine.scale);
        }
    }

    /** The cell of highest response (the earliest on ties), cells shared out over {@code pool} when given. */
    private static Guess best(List<double[]> cells, Mat before, Mat after, Mat window, ExecutorService pool) {
        int parts = pool == null ? 1 : PARTS;
        List<Callable<Guess>> tasks = new ArrayList<>();
        int per = (cells.size() + parts - 1) / parts;
        for (int p = 0; p < parts; p++) {
            List<double[]> mine = cells.subList(Math.min(cells.size(), p * per), Math.min(cells.size(), (p + 1) * per));
            tasks.add(() -> {
                Guess top = null;
                for (double[] c : mine) {
                    Guess g = correlate(before, after, window, c[0], c[1]);
                    if (top == null || g.response > top.response) {
                        top = g;
                    }
                }
                return top;
            });
        }
        List<Guess> tops = new ArrayList<>();
        if (pool == null) {
            for (Callable<Guess> t : tasks) {
                try {
                    tops.add(t.call());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            try {
                for (Future<Guess> f : pool.invokeAll(tasks)) {
                    tops.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the coarse search", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        Guess best = null;
        for (Guess g : tops) {
            if (g != null && (best == null || g.response > best.response)) {
                best = g;
            }
        }
        return best;
    }

    /** A blurred copy at {@code scale}: the dots of small pores must span a few pixels to correlate. */
    private static Mat prepare(Mat structure, double scale, double blurPx) {
        Mat out = new Mat();
        Imgproc.resize(structure, out, new Size(Math.max(8, Math.round(structure.cols() * scale)),
                Math.max(8, Math.round(structure.rows() * scale))), 0, 0, Imgproc.INTER_AREA);
        Imgproc.GaussianBlur(out, out, new Size(0, 0), blurPx);
        return out;
    }

    /**
     * Fills {@code window} with a Tukey window of {@code image}'s size (flat, with a cosine taper over
     * {@link #TAPER} of each side) and returns {@code image} multiplied by it (in place). A Hann window
     * weighted the centres so much that a follow-up shifted by a third of the frame, whose shared skin
     * lies near the baseline's edge, lost the search. The window is applied here, not by
     * {@code phaseCorrelate}: OpenCV's phaseCorrelate multiplies its inputs in place when their size
     * needs no DFT padding, which silently faded the baseline a little more with every grid cell.
     */
    private static Mat windowed(Mat image, Mat window) {
        int rows = image.rows();
        int cols = image.cols();
        float[] wx = taper(cols);
        float[] wy = taper(rows);
        float[] w = new float[rows * cols];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                w[y * cols + x] = wx[x] * wy[y];
            }
        }
        window.create(rows, cols, CvType.CV_32F);
        window.put(0, 0, w);
        Core.multiply(image, window, image);
        return image;
    }

    private static float[] taper(int n) {
        float[] w = new float[n];
        double edge = Math.max(1, TAPER * n);
        for (int i = 0; i < n; i++) {
            double d = Math.min(i, n - 1 - i);
            w[i] = d >= edge ? 1f : (float) (0.5 - 0.5 * Math.cos(Math.PI * d / edge));
        }
        return w;
    }

    /**
     * Turns and zooms {@code after} about its centre onto the centre of {@code before}'s canvas, and
     * finds the remaining shift by phase correlation; {@code before} is already windowed.
     */
    private static Guess correlate(Mat before, Mat after, Mat window, double angleDeg, double scale) {
        double cxa = (after.cols() - 1) / 2.0;
        double cya = (after.rows() - 1) / 2.0;
        double cxb = (before.cols() - 1) / 2.0;
        double cyb = (before.rows() - 1) / 2.0;
        double t = Math.toRadians(angleDeg);
        Homography rot = Homography.of(scale * Math.cos(t), -scale * Math.sin(t), 0, scale * Math.sin(t), scale * Math.cos(t), 0,
                0, 0, 1);
        Homography placed = Homography.translation(cxb, cyb).after(rot).after(Homography.translation(-cxa, -cya));
        Mat m = placed.toMat();
        Mat warped = new Mat();
        try {
            Imgproc.warpPerspective(after, warped, m, before.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0));
            Core.multiply(warped, window, warped);
            double[] response = new double[1];
            Point shift = Imgproc.phaseCorrelate(warped, before, NO_WINDOW, response);
            Homography afterToBefore = Homography.translation(shift.x, shift.y).after(placed);
            return new Guess(afterToBefore, response[0], angleDeg, scale);
        } finally {
            m.release();
            warped.release();
        }
    }
}
