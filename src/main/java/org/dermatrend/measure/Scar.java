package org.dermatrend.measure;

/**
 * One detected atrophic scar.
 *
 * @param xPx        centre (depth-weighted), photo pixels
 * @param yPx        centre, photo pixels
 * @param diameterMm diameter of the circle of the same area as the part deeper than 20 % of its depth, mm
 * @param depthMm    deepest point below the surrounding skin, mm
 * @param areaMm2    area deeper than {@link ConfigScars#edgeDepthMm()}, mm²
 * @param volumeMm3  volume below the surrounding skin, mm³
 * @param floor      share of the scar (deeper than 20 % of its depth) that is deeper than 80 %: high
 *                   for a flat floor with steep walls (boxcar), low for a cone or a dish
 * @param type       {@code icepick}, {@code boxcar} or {@code rolling}
 */
public record Scar(double xPx, double yPx, double diameterMm, double depthMm, double areaMm2, double volumeMm3,
                   double floor, String type) {
}
