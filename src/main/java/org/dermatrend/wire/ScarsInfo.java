package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.dermatrend.measure.ScarResult;

/**
 * The {@code scars} object of the score. Depths and volume are {@code null} when the photo has no
 * scale (a depth estimate needs to know how many pixels a millimetre spans; the quality issue
 * {@code scale_unknown} says so); count, area share and types are then measured at the assumed scale.
 *
 * @param count        atrophic scars found on the measured skin
 * @param meanDepthMm  mean of the scars' depths (deepest point below the surrounding skin), mm; null without scars or scale
 * @param maxDepthMm   depth of the deepest scar, mm
 * @param areaFraction share of the measured skin inside scars
 * @param volumeMm3    total volume of the scars below the surrounding skin, mm³
 * @param byType       counts per kind
 * @param list         every scar, only with {@code --detail}
 */
public record ScarsInfo(int count, Double meanDepthMm, Double maxDepthMm, double areaFraction, Double volumeMm3,
                        ByType byType, @JsonInclude(JsonInclude.Include.NON_NULL) List<ScarDetail> list) {

    /** Counts per scar kind. */
    public record ByType(long icepick, long boxcar, long rolling) {
    }

    /**
     * One scar with {@code --detail}: centre in photo pixels, diameter (at 20 % of its depth) and depth
     * in mm (null without scale), kind, and the floor share its kind was judged by.
     */
    public record ScarDetail(double xPx, double yPx, Double diameterMm, Double depthMm, String type, double floor) {
    }

    public static ScarsInfo of(ScarResult r, boolean detail) {
        boolean s = r.scaled();
        boolean any = !r.scars().isEmpty();
        List<ScarDetail> list = !detail ? null : r.scars().stream()
                .map(c -> new ScarDetail(PoresInfo.round(c.xPx(), 1), PoresInfo.round(c.yPx(), 1),
                        s ? PoresInfo.round(c.diameterMm(), 3) : null, s ? PoresInfo.round(c.depthMm(), 4) : null, c.type(),
                        PoresInfo.round(c.floor(), 3)))
                .toList();
        return new ScarsInfo(r.scars().size(), s && any ? PoresInfo.round(r.meanDepthMm(), 4) : null,
                s && any ? PoresInfo.round(r.maxDepthMm(), 4) : null, PoresInfo.round(r.areaFraction(), 5),
                s ? PoresInfo.round(r.volumeMm3(), 4) : null,
                new ByType(r.count("icepick"), r.count("boxcar"), r.count("rolling")), list);
    }
}
