package org.dermatrend.measure;

import java.util.List;
import org.opencv.core.Mat;

/**
 * The scars of one photo and the relief they were found in. Owns {@link #depthMm()}: close it.
 *
 * @param scars           detected scars, deepest first
 * @param skinAreaMm2     area of skin examined, mm² (at the assumed scale when {@code scaled} is false)
 * @param scarAreaMm2     area inside scars, mm²
 * @param scaled          whether the photo had a scale; without it, depths are not meaningful and are not reported
 * @param depthMm         the relief below the large-scale surface, mm, {@code CV_32FC1} at the canonical scale
 * @param canonicalFactor canonical pixels per photo pixel
 */
public record ScarResult(List<Scar> scars, double skinAreaMm2, double scarAreaMm2, boolean scaled, Mat depthMm,
                         double canonicalFactor) implements AutoCloseable {

    /** Share of the examined skin inside scars. */
    public double areaFraction() {
        return skinAreaMm2 > 0 ? scarAreaMm2 / skinAreaMm2 : 0;
    }

    public double meanDepthMm() {
        return scars.stream().mapToDouble(Scar::depthMm).average().orElse(Double.NaN);
    }

    public double maxDepthMm() {
        return scars.stream().mapToDouble(Scar::depthMm).max().orElse(Double.NaN);
    }

    public double volumeMm3() {
        return scars.stream().mapToDouble(Scar::volumeMm3).sum();
    }

    public long count(String type) {
        return scars.stream().filter(s -> s.type().equals(type)).count();
    }

    @Override
    public void close() {
        depthMm.release();
    }
}
