package org.dermatrend.compare;

import java.util.ArrayList;
import java.util.List;
import org.dermatrend.align.Homography;
import org.dermatrend.cv.MatScope;
import org.dermatrend.cv.PixelPolygon;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Pictures of an aligned pair for a person to check: the follow-up warped into the baseline's frame,
 * the two side by side with the compared region outlined, a checkerboard of the two (edges of the
 * cells break where the alignment is off) and their difference. All returned Mats are new and owned
 * by the caller; every image is {@code CV_8UC3} BGR.
 */
public final class PairImages {
    /** Checkerboard cell, baseline pixels. */
    private static final int CELL_PX = 96;

    private PairImages() {
    }

    /** The follow-up resampled into the baseline's pixels (black where it has no pixels). */
    public static Mat warpAfter(Mat after, Homography afterToBefore, Size beforeSize) {
        try (MatScope scope = new MatScope()) {
            Mat m = scope.track(afterToBefore.toMat());
            Mat out = new Mat();
            Imgproc.warpPerspective(after, out, m, beforeSize, Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            return out;
        }
    }

    /** Baseline | warped follow-up, the compared region outlined in yellow on both. */
    public static Mat sideBySide(Mat before, Mat warpedAfter, PixelPolygon regionBefore) {
        Mat out = new Mat();
        List<Mat> parts = new ArrayList<>(List.of(outlined(before, regionBefore), outlined(warpedAfter, regionBefore)));
        try {
            Core.hconcat(parts, out);
            return out;
        } finally {
            parts.forEach(Mat::release);
        }
    }

    /** Alternate cells of the baseline and the warped follow-up. */
    public static Mat checkerboard(Mat before, Mat warpedAfter) {
        Mat out = before.clone();
        for (int y = 0; y < before.rows(); y += CELL_PX) {
            for (int x = 0; x < before.cols(); x += CELL_PX) {
                if (((x / CELL_PX) + (y / CELL_PX)) % 2 == 1) {
                    Rect r = new Rect(x, y, Math.min(CELL_PX, before.cols() - x), Math.min(CELL_PX, before.rows() - y));
                    Mat src = warpedAfter.submat(r);
                    Mat dst = out.submat(r);
                    src.copyTo(dst);
                    src.release();
                    dst.release();
                }
            }
        }
        return out;
    }

    /**
     * Grey-level difference about mid-grey (±3 standard deviations of the grey over the region span
     * the full range): structure that lines up cancels to flat grey, a shift leaves paired light and
     * dark edges. Brightness differs between sessions by design, so each grey image is first
     * normalised to its own mean and spread over the shared area.
     */
    public static Mat difference(Mat before, Mat warpedAfter, PixelPolygon regionBefore) {
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.track(regionBefore.toMask(before.rows(), before.cols()));
            Mat gb = scope.track(normalisedGrey(scope, before, mask));
            Mat ga = scope.track(normalisedGrey(scope, warpedAfter, mask));
            Mat d = scope.mat();
            Core.subtract(ga, gb, d);
            Mat grey = scope.mat();
            d.convertTo(grey, CvType.CV_8U, 40, 128);
            Mat outside = scope.mat();
            Core.bitwise_not(mask, outside);
            grey.setTo(new Scalar(0), outside);
            Mat out = new Mat();
            Imgproc.cvtColor(grey, out, Imgproc.COLOR_GRAY2BGR);
            return out;
        }
    }

    private static Mat normalisedGrey(MatScope scope, Mat bgr, Mat mask) {
        Mat g = scope.mat();
        Imgproc.cvtColor(bgr, g, Imgproc.COLOR_BGR2GRAY);
        Mat f = new Mat();
        g.convertTo(f, CvType.CV_32F);
        org.opencv.core.MatOfDouble mean = new org.opencv.core.MatOfDouble();
        org.opencv.core.MatOfDouble sd = new org.opencv.core.MatOfDouble();
        Core.meanStdDev(f, mean, sd, mask);
        double m = mean.toArray()[0];
        double s = Math.max(1e-3, sd.toArray()[0]);
        mean.release();
        sd.release();
        Core.subtract(f, new Scalar(m), f);
        Core.multiply(f, new Scalar(1 / s), f);
        return f;
    }

    private static Mat outlined(Mat image, PixelPolygon region) {
        Mat out = image.clone();
        Point[] pts = new Point[region.points().length];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = new Point(region.points()[i][0], region.points()[i][1]);
        }
        MatOfPoint poly = new MatOfPoint(pts);
        int thickness = Math.max(2, Math.max(image.cols(), image.rows()) / 600);
        Imgproc.polylines(out, List.of(poly), true, new Scalar(0, 255, 255), thickness, Imgproc.LINE_AA);
        poly.release();
        return out;
    }
}
