package org.dermatrend.wire;

import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PhotoContext;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        return new ScoreInfo(file,
                new ImageInfo(decoded.width(), decoded.height(), context.mmPerPx().isPresent() ? context.mmPerPx().getAsDouble() : null,
                        score.prepared().calibration().calibrated(), decoded.header().format().label(),
                        decoded.header().orientation(), decoded.header().bitsPerSample()),
                score.prepared().quality(), PoresInfo.of(score.pores(), context.mmPerPx(), detail),
                RednessInfo.of(score.redness()), score.scars().map(s -> ScarsInfo.of(s, detail)).orElse(null),
                CalibrationInfo.of(score.prepared().calibration()),
                MaskInfo.of(score.prepared().mask()), null);
    }

    public static ScoreInfo refused(String file, ErrorInfo error) {
        return new ScoreInfo(file, null, null, null, null, null, null, null, error);
    }
}
