package org.dermatrend.measure;

import org.dermatrend.prepare.PreparedPhoto;

/**
 * Everything measured on one photo: the prepared photo (calibration, mask, quality), its pores, its
 * redness and its scars. Owns the prepared photo, the pore mask and the relief map: close it.
 */
public record SkinScore(PreparedPhoto prepared, PoreResult pores, RednessResult redness, ScarResult scars)
        implements AutoCloseable {

    @Override
    public void close() {
        scars.close();
        pores.close();
        prepared.close();
    }
}
