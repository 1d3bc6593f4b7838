package org.dermatrend.cli;

import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.analysis.Budgets;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.prepare.PhotoContext;
import picocli.CommandLine.Option;

/** What the client says about the photos besides their pixels. */
final class PhotoOptions {
    @Option(names = "--mm-per-px", paramLabel = "F", description = "Physical scale in mm per pixel of the upright photo (e.g. 0.025; "
            + "accepted " + Budgets.MIN_MM_PER_PX + " to " + Budgets.MAX_MM_PER_PX + ").")
    Double mmPerPx;

    @Option(names = "--gray-ref", paramLabel = "x,y,w,h", description = "Neutral grey card rectangle in upright pixels; colours are normalised to it.")
    String grayRef;

    @Option(names = "--roi", paramLabel = "x,y,w,h", description = "Region of interest in upright pixels; only skin inside it is measured.")
    String roi;

    /** @throws IllegalArgumentException with a message naming the bad option */
    PhotoContext toContext() {
        OptionalDouble scale = Budgets.requireScale("--mm-per-px", mmPerPx);
        try {
            return new PhotoContext(scale, Optional.ofNullable(grayRef).map(PixelRect::parse),
                    Optional.ofNullable(roi).map(PixelRect::parse));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mm-per-px/--gray-ref/--roi: " + e.getMessage(), e);
        }
    }
}
