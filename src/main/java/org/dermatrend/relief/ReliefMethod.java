package org.dermatrend.relief;

import org.opencv.core.Mat;

/**
 * A way to estimate scar relief from one photo's {@link ReliefInput#shading shading image}: the
 * trained network ({@link ReliefEstimator}) or the OpenCV-only {@link ShadingBaseline}. Both are
 * evaluated the same way (eval-scars).
 */
public interface ReliefMethod {
    /**
     * Depth below the surrounding skin, mm (≥ 0), {@code CV_32FC1} of the shading image's size, at
     * {@link ReliefInput#MM_PER_PX}. The caller owns the result.
     */
    Mat depthMm(Mat shading);

    /**
     * As {@link #depthMm(Mat)}; a method may skip work where {@code skin} ({@code CV_8UC1}, same size,
     * non-zero on skin) holds none, answering 0 there.
     */
    default Mat depthMm(Mat shading, Mat skin) {
        return depthMm(shading);
    }

    /** A short name for reports: {@code model} or {@code baseline}. */
    String name();
}
