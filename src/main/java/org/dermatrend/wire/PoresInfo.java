package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.OptionalDouble;
import org.dermatrend.measure.Pore;
import org.dermatrend.measure.PoreResult;

/**
 * The {@code pores} object of the score. Fields in mm are {@code null} when the scale is unknown; the
 * diameters are {@code null} when the pores are too few to size: fewer than {@link #MIN_PORES_FOR_SIZES} (by
 * weight), or a mean diameter whose own standard error is over {@link #MAX_SIZE_ERROR} of it (a mean of a few
 * dozen pores moves with every one that comes or goes: docs/metrics.md §5).
 *
 * @param count             pores found (outlined) in the measured skin
 * @param densityPerCm2     pores per cm² of measured skin, each counted by its weight (a pore near the detection
 *                          thresholds counts by a fraction: {@link Pore#weight()}); sizes and area are weighted too
 * @param meanDiameterPx    mean equivalent-circle diameter (weighted), pixels
 * @param meanDiameterMm    the same in mm
 * @param medianDiameterPx  median diameter, pixels
 * @param medianDiameterMm  median diameter, mm
 * @param p90DiameterMm     90th percentile of the diameter, mm
 * @param areaFraction      share of the measured skin covered by pores
 * @param edgeBlurMm        σ of the Gaussian edge that best explains the pores' own rims, mm ({@link PoreResult#edgeBlurMm}):
 *                          the photo's blur where it matters for pores, plus the pores' own profile; null without a
 *                          scale or with fewer than 8 pores large enough to show an edge
 * @param list              every pore, only with {@code --detail}
 */
public record PoresInfo(int count, Double densityPerCm2, Double meanDiameterPx, Double meanDiameterMm,
                        Double medianDiameterPx, Double medianDiameterMm, Double p90DiameterMm, Double areaFraction,
                        Double edgeBlurMm, @JsonInclude(JsonInclude.Include.NON_NULL) List<PoreDetail> list) {

    /** Fewest pores whose sizes are summarised. */
    public static final int MIN_PORES_FOR_SIZES = 10;

    /** Largest standard error of the mean diameter, as a share of it, at which the sizes are given. */
    public static final double MAX_SIZE_ERROR = 0.05;

    /** One pore with {@code --detail}: centre and diameter in pixels (and mm), peak contrast, elongation. */
    public record PoreDetail(double xPx, double yPx, double diameterPx, Double diameterMm, double contrast, double elongation,
                             double weight) {
    }

    /**
     * @param withheld the photo is too blurred for pores (quality issue {@code blurred_for_pores}): the pores are
     *                 counted and listed, every rated number (density, sizes, area) is null
     */
    public static PoresInfo of(PoreResult r, OptionalDouble mmPerPx, boolean detail, boolean withheld) {
        double mean = r.meanDiameterPx();
        double median = r.medianDiameterPx();
        double p90 = r.diameterQuantilePx(0.9);
        Double s = mmPerPx.isPresent() ? mmPerPx.getAsDouble() : null;
        boolean sized = !withheld && r.weightedCount() >= MIN_PORES_FOR_SIZES && r.meanDiameterRelativeError() <= MAX_SIZE_ERROR;
        Double density = withheld || s == null || r.skinPx() == 0 ? null : round(r.densityPerCm2(s), 3);
        List<PoreDetail> list = !detail ? null : r.pores().stream()
                .map(p -> new PoreDetail(round(p.xPx(), 2), round(p.yPx(), 2), round(p.diameterPx(), 3),
                        s == null ? null : round(p.diameterPx() * s, 4), round(p.contrast(), 3), round(p.elongation(), 3),
                        round(p.weight(), 3)))
                .toList();
        return new PoresInfo(r.pores().size(), density, sized ? round(mean, 3) : null,
                sized && s != null ? round(mean * s, 5) : null, sized ? round(median, 3) : null,
                sized && s != null ? round(median * s, 5) : null, sized && s != null ? round(p90 * s, 5) : null,
                withheld ? null : round(r.areaFraction(), 5),
                s == null || !Double.isFinite(r.edgeBlurMm()) ? null : round(r.edgeBlurMm(), 5), list);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
