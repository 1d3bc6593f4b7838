package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.dermatrend.measure.Pore;
import org.dermatrend.measure.PoreResult;

/**
 * The {@code pores} object of the score. Fields in mm are {@code null} when the scale is unknown.
 *
 * @param count             pores found in the measured skin
 * @param densityPerCm2     pores per cm² of measured skin
 * @param meanDiameterPx    mean equivalent-circle diameter, pixels
 * @param meanDiameterMm    the same in mm
 * @param medianDiameterPx  median diameter, pixels
 * @param medianDiameterMm  median diameter, mm
 * @param p90DiameterMm     90th percentile of the diameter, mm
 * @param areaFraction      share of the measured skin covered by pores
 * @param list              every pore, only with {@code --detail}
 */
public record PoresInfo(int count, Double densityPerCm2, double meanDiameterPx, Double meanDiameterMm,
                        double medianDiameterPx, Double medianDiameterMm, Double p90DiameterMm, double areaFraction,
                        @JsonInclude(JsonInclude.Include.NON_NULL) List<PoreDetail> list) {

    /** One pore with {@code --detail}: centre and diameter in pixels (and mm), peak contrast, elongation. */
    public record PoreDetail(double xPx, double yPx, double diameterPx, Double diameterMm, double contrast, double elongation) {
    }

    public static PoresInfo of(PoreResult r, OptionalDouble mmPerPx, boolean detail) {
        double[] d = r.pores().stream().mapToDouble(Pore::diameterPx).sorted().toArray();
        double mean = Arrays.stream(d).average().orElse(0);
        double median = r.medianDiameterPx();
        double p90 = d.length == 0 ? 0 : d[(int) Math.floor(0.9 * (d.length - 1))];
        Double s = mmPerPx.isPresent() ? mmPerPx.getAsDouble() : null;
        Double density = s == null || r.skinPx() == 0 ? null : round(r.densityPerCm2(s), 3);
        List<PoreDetail> list = !detail ? null : r.pores().stream()
                .map(p -> new PoreDetail(round(p.xPx(), 2), round(p.yPx(), 2), round(p.diameterPx(), 3),
                        s == null ? null : round(p.diameterPx() * s, 4), round(p.contrast(), 3), round(p.elongation(), 3)))
                .toList();
        return new PoresInfo(r.pores().size(), density, round(mean, 3), s == null ? null : round(mean * s, 5),
                round(median, 3), s == null ? null : round(median * s, 5), s == null ? null : round(p90 * s, 5),
                round(r.areaFraction(), 5), list);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
