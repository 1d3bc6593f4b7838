package org.dermatrend.measure;

import java.util.Optional;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.quality.QualityReport;

/**
 * Everything measured on one photo: the prepared photo (calibration, mask, quality), its pores, its
 * redness and its scars. Owns the prepared photo, the pore mask and the relief map: close it.
 *
 * @param quality the gate's verdict ({@code prepared.quality()}) and the warnings the measurements add about the photo
 *                (a scale its pores make implausible: {@link org.dermatrend.quality.ScaleCheck}); read this one
 * @param scars empty when the photo failed the quality gate: the scar stage (the network, the costliest
 *              stage, whose working size grows with the scale) runs only on photos that pass
 */
public record SkinScore(PreparedPhoto prepared, QualityReport quality, PoreResult pores, RednessResult redness, Optional<ScarResult> scars)
        implements AutoCloseable {

    /**
     * This score with other pores (measured again on the same photo, e.g. at another sharpness): closes this score's
     * pore result and returns a score that owns {@code other} and everything else this one owned. This record is spent:
     * close the returned one, not this.
     */
    public SkinScore withPores(PoreResult other) {
        pores.close();
        return new SkinScore(prepared, quality, other, redness, scars);
    }

    @Override
    public void close() {
        scars.ifPresent(ScarResult::close);
        pores.close();
        prepared.close();
    }
}
