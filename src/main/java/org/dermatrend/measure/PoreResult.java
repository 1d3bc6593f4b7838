package org.dermatrend.measure;

import java.util.List;
import org.opencv.core.Mat;

/**
 * The pores found in one photo and the pixels they cover. Owns {@link #poreMask()} ({@code CV_8UC1},
 * full resolution, 255 on pore pixels): close it.
 *
 * @param pores   every pore, in the photo's pixels
 * @param skinPx  pixels of measured skin (the skin mask)
 * @param porePx  pixels covered by pores inside the skin mask, each pore's counted by its {@link Pore#weight()}
 * @param edgeBlurMm the σ of the Gaussian edge that best explains the pores' own rims, pooled over the pores
 *                large enough to show one, in mm (docs/metrics.md §4); NaN with too few of them
 * @param edgeBlurSeMm its standard error (a delete-a-group jackknife over the pores), mm
 */
public record PoreResult(List<Pore> pores, long skinPx, double porePx, Mat poreMask, double edgeBlurMm, double edgeBlurSeMm)
        implements AutoCloseable {

    /** The pores counted by weight (each {@link Pore#weight()}, 1 for a clear pore). */
    public double weightedCount() {
        return pores.stream().mapToDouble(Pore::weight).sum();
    }

    /** Weighted mean pore diameter in pixels, NaN without pores. */
    public double meanDiameterPx() {
        double w = weightedCount();
        return w == 0 ? Double.NaN : pores.stream().mapToDouble(p -> p.weight() * p.diameterPx()).sum() / w;
    }

    /**
     * The weighted mean diameter's standard error as a share of it: the weighted standard deviation of the
     * diameters over √(effective number of pores), {@code n_eff = (Σw)² / Σw²}; NaN below two pores. A mean of
     * 25 pores whose sizes vary by 30 % is uncertain by 6 %, more than the changes a treatment makes.
     */
    public double meanDiameterRelativeError() {
        double sw = weightedCount();
        double sw2 = pores.stream().mapToDouble(p -> p.weight() * p.weight()).sum();
        double mean = meanDiameterPx();
        if (pores.size() < 2 || !(mean > 0)) {
            return Double.NaN;
        }
        double var = pores.stream().mapToDouble(p -> p.weight() * (p.diameterPx() - mean) * (p.diameterPx() - mean)).sum() / sw;
        double nEff = sw * sw / sw2;
        return Math.sqrt(var / nEff) / mean;
    }

    /** Weighted median pore diameter in pixels, NaN without pores. */
    public double medianDiameterPx() {
        return diameterQuantilePx(0.5);
    }

    /**
     * The diameter below which a share {@code q} of the pores' weight lies (weighted quantile, interpolated
     * between pores at the middle of each one's weight), NaN without pores.
     */
    public double diameterQuantilePx(double q) {
        List<Pore> sorted = pores.stream().sorted(java.util.Comparator.comparingDouble(Pore::diameterPx)).toList();
        double total = weightedCount();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        double target = q * total;
        double below = 0;
        double prevMid = Double.NaN;
        double prevD = Double.NaN;
        for (Pore p : sorted) {
            double mid = below + p.weight() / 2;
            if (mid >= target) {
                if (Double.isNaN(prevMid)) {
                    return p.diameterPx();
                }
                double t = (target - prevMid) / (mid - prevMid);
                return prevD + t * (p.diameterPx() - prevD);
            }
            below += p.weight();
            prevMid = mid;
            prevD = p.diameterPx();
        }
        return prevD;
    }

    /** Pores (by weight) per cm² of measured skin at {@code mmPerPx}, or NaN without measured skin. */
    public double densityPerCm2(double mmPerPx) {
        return skinPx == 0 ? Double.NaN : weightedCount() / (skinPx * mmPerPx * mmPerPx / 100.0);
    }

    /** Share of the measured skin covered by pores (by weight), 0..1. */
    public double areaFraction() {
        return skinPx == 0 ? 0 : porePx / skinPx;
    }

    @Override
    public void close() {
        poreMask.release();
    }
}
