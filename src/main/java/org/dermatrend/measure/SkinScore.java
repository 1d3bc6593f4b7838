package org.dermatrend.measure;

import org.dermatrend.prepare.PreparedPhoto;

/**
 * Everything measured on one photo: the prepared photo (calibration, mask, quality), its pores and
 * its redness. Owns the prepared photo and the pore mask: close it.
 */
public record SkinScore(PreparedPhoto prepared, PoreResult pores, RednessResult redness) implements AutoCloseable {

    @Override
    public void close() {
        pores.close();
        prepared.close();
    }
}
