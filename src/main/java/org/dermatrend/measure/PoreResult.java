package org.dermatrend.measure;

import java.util.List;
import org.opencv.core.Mat;

/**
 * The pores found in one photo and the pixels they cover. Owns {@link #poreMask()} ({@code CV_8UC1},
 * full resolution, 255 on pore pixels): close it.
 *
 * @param pores   every pore, in the photo's pixels
 * @param skinPx  pixels of measured skin (the skin mask)
 * @param porePx  pixels covered by pores inside the skin mask
 */
public record PoreResult(List<Pore> pores, long skinPx, long porePx, Mat poreMask) implements AutoCloseable {

    /** Median pore diameter in pixels (the mean of the middle two for an even count), 0 without pores. */
    public double medianDiameterPx() {
        double[] d = pores.stream().mapToDouble(Pore::diameterPx).sorted().toArray();
        return d.length == 0 ? 0 : d.length % 2 == 1 ? d[d.length / 2] : 0.5 * (d[d.length / 2 - 1] + d[d.length / 2]);
    }

    /** Pores per cm² of measured skin at {@code mmPerPx}, or NaN without measured skin. */
    public double densityPerCm2(double mmPerPx) {
        return skinPx == 0 ? Double.NaN : pores.size() / (skinPx * mmPerPx * mmPerPx / 100.0);
    }

    /** Share of the measured skin covered by pores, 0..1. */
    public double areaFraction() {
        return skinPx == 0 ? 0 : porePx / (double) skinPx;
    }

    @Override
    public void close() {
        poreMask.release();
    }
}
