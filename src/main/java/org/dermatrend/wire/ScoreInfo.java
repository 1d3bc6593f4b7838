package org.dermatrend.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dermatrend.quality.QualityReport;

/**
 * One photo's score, as the CLI prints it and the API returns it. Either {@code error} is set (the
 * photo was refused at intake) or the other fields are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreInfo(String file, ImageInfo image, QualityReport quality, PoresInfo pores, RednessInfo redness,
                        ScarsInfo scars, CalibrationInfo calibration, MaskInfo mask, ErrorInfo error) {

    public static ScoreInfo refused(String file, ErrorInfo error) {
        return new ScoreInfo(file, null, null, null, null, null, null, null, error);
    }
}
