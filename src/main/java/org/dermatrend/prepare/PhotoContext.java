package org.dermatrend.prepare;

import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.cv.PixelPolygon;
import org.dermatrend.cv.PixelRect;

/**
 * What the client tells us about a photo besides its pixels.
 *
 * @param mmPerPx physical scale, mm per pixel of the upright photo, when known
 * @param grayRef the neutral grey reference rectangle, when one is in the frame
 * @param roi     the region to measure, when not the whole skin
 * @param region  a polygon the measurement is further limited to (the part of the frame two aligned
 *                photos share), when given
 */
public record PhotoContext(OptionalDouble mmPerPx, Optional<PixelRect> grayRef, Optional<PixelRect> roi,
                           Optional<PixelPolygon> region) {

    public PhotoContext(OptionalDouble mmPerPx, Optional<PixelRect> grayRef, Optional<PixelRect> roi) {
        this(mmPerPx, grayRef, roi, Optional.empty());
    }

    public PhotoContext {
        // A contract, not the request check: clients' scales are checked against the accepted range
        // (analysis.Budgets) before anything runs; a follow-up's scale, derived from its alignment, may fall
        // just outside that range.
        if (mmPerPx.isPresent() && !(mmPerPx.getAsDouble() > 0 && Double.isFinite(mmPerPx.getAsDouble()))) {
            throw new IllegalArgumentException("mmPerPx must be positive and finite, got " + mmPerPx.getAsDouble());
        }
    }

    public static PhotoContext none() {
        return new PhotoContext(OptionalDouble.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
