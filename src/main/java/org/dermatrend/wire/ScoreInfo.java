package org.dermatrend.wire;

import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.PreparedPhoto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.quality.QualityReport;

/**
 * One photo's score, as the CLI prints it and the API returns it. Either {@code error} is set (the
 * photo was refused at intake) or the other fields are, except {@code scars}, which is absent when the
 * photo failed the quality gate (the scar stage runs only on photos that pass it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreInfo(String file, ImageInfo image, QualityReport quality, PoresInfo pores, RednessInfo redness,
                        ScarsInfo scars, CalibrationInfo calibration, MaskInfo mask, ErrorInfo error) {

    /**
     * The score of a decoded photo.
     *
     * @param file    the name to report the photo by (a path for the CLI, a file name or id for the API)
     * @param detail  whether to list every pore and scar
     */
    public static ScoreInfo of(String file, DecodedPhoto decoded, SkinScore score, PhotoContext context, boolean detail) {
        return new ScoreInfo(file, image(decoded, score.prepared(), context),
                score.quality(), PoresInfo.of(score.pores(), context.mmPerPx(), detail,
                        score.quality().has(QualityGate.PORES_WITHHELD)),
                RednessInfo.of(score.redness(),
                        score.quality().has(QualityGate.A_STAR_WITHHELD)),
                score.scars().map(s -> ScarsInfo.of(s, detail)).orElse(null),
                CalibrationInfo.of(score.prepared().calibration()),
                MaskInfo.of(score.prepared().mask()), null);
    }

    /** The gate's part of a score (the {@code quality} command): image, quality, calibration and mask; nothing measured. */
    public static ScoreInfo ofQuality(String file, DecodedPhoto decoded, PreparedPhoto prepared) {
        return new ScoreInfo(file, image(decoded, prepared, prepared.context()), prepared.quality(), null, null, null,
                CalibrationInfo.of(prepared.calibration()), MaskInfo.of(prepared.mask()), null);
    }

    private static ImageInfo image(DecodedPhoto decoded, PreparedPhoto prepared, PhotoContext context) {
        return new ImageInfo(decoded.width(), decoded.height(), context.mmPerPx().isPresent() ? context.mmPerPx().getAsDouble() : null,
                prepared.calibration().calibrated(), decoded.header().format().label(), decoded.header().orientation(),
                decoded.header().bitsPerSample());
    }

    public static ScoreInfo refused(String file, ErrorInfo error) {
        return new ScoreInfo(file, null, null, null, null, null, null, null, error);
    }

    /**
     * This score's metrics, in {@link MetricKey} order (the change table's), read from the sections'
     * fields. A metric whose value is null (no scale, no skin measured, no scars) is left out, and a
     * refused photo has none.
     */
    public Map<MetricKey, Double> metrics() {
        Map<MetricKey, Double> out = new EnumMap<>(MetricKey.class);
        for (MetricKey k : MetricKey.values()) {
            Double v = value(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    /** One metric's value, or null. Exhaustive: a new MetricKey does not compile until it is read here. */
    private Double value(MetricKey k) {
        return switch (k) {
            case PORES_COUNT -> pores(p -> (double) p.count());
            case PORES_DENSITY_PER_CM2 -> pores(PoresInfo::densityPerCm2);
            case PORES_MEAN_DIAMETER_MM -> pores(PoresInfo::meanDiameterMm);
            case PORES_MEDIAN_DIAMETER_MM -> pores(PoresInfo::medianDiameterMm);
            case PORES_P90_DIAMETER_MM -> pores(PoresInfo::p90DiameterMm);
            case PORES_AREA_FRACTION -> pores(p -> p.areaFraction());
            case PORES_EDGE_BLUR_MM -> pores(PoresInfo::edgeBlurMm);
            case REDNESS_ERYTHEMA_INDEX -> redness(RednessInfo::erythemaIndex);
            case REDNESS_MEAN_A_STAR -> redness(RednessInfo::meanAStar);
            case REDNESS_AREA_FRACTION -> redness(r -> r.areaFraction());
            case REDNESS_HAEMOGLOBIN_INDEX -> redness(RednessInfo::haemoglobinIndex);
            case REDNESS_MELANIN_INDEX -> redness(RednessInfo::melaninIndex);
            case REDNESS_ITA_DEGREES -> redness(RednessInfo::itaDegrees);
            case SCARS_COUNT -> scars(s -> (double) s.count());
            case SCARS_MEAN_DEPTH_MM -> scars(ScarsInfo::meanDepthMm);
            case SCARS_MAX_DEPTH_MM -> scars(ScarsInfo::maxDepthMm);
            case SCARS_AREA_FRACTION -> scars(s -> s.areaFraction());
            case SCARS_VOLUME_MM3 -> scars(ScarsInfo::volumeMm3);
        };
    }

    private Double pores(Function<PoresInfo, Double> field) {
        return pores == null ? null : field.apply(pores);
    }

    private Double redness(Function<RednessInfo, Double> field) {
        return redness == null ? null : field.apply(redness);
    }

    private Double scars(Function<ScarsInfo, Double> field) {
        return scars == null ? null : field.apply(scars);
    }
}
