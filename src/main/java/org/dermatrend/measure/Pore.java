package org.dermatrend.measure;

/**
 * One detected pore, in pixels of the upright photo.
 *
 * @param xPx        centroid x
 * @param yPx        centroid y
 * @param diameterPx equivalent-circle diameter of the region darker than half the pore's peak contrast
 * @param contrast   peak darkness relative to the surrounding skin, natural-log luminance (0.7 ≈ half as bright)
 * @param elongation long-to-short axis ratio from second moments (1 = round)
 * @param weight     how clearly this is a pore, (0, 1]: 1 when its blob response and its peak contrast are well
 *                   above the detection thresholds, falling to 0 at them (see {@link PoreDetector}); counts and
 *                   sizes are weighted by it, so a pore at the threshold comes and goes by a fraction, not by one
 */
public record Pore(double xPx, double yPx, double diameterPx, double contrast, double elongation, double weight) {
    public Pore {
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("a pore's weight is in (0, 1], got " + weight);
        }
    }

    /** A pore well above every threshold: weight 1. */
    public Pore(double xPx, double yPx, double diameterPx, double contrast, double elongation) {
        this(xPx, yPx, diameterPx, contrast, elongation, 1);
    }
}
