package org.dermatrend.measure;

/**
 * One detected pore, in pixels of the upright photo.
 *
 * @param xPx        centroid x
 * @param yPx        centroid y
 * @param diameterPx equivalent-circle diameter of the region darker than half the pore's peak contrast
 * @param contrast   peak darkness relative to the surrounding skin, natural-log luminance (0.7 ≈ half as bright)
 * @param elongation long-to-short axis ratio from second moments (1 = round)
 */
public record Pore(double xPx, double yPx, double diameterPx, double contrast, double elongation) {
}
