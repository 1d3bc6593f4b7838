package org.dermatrend.measure;

/**
 * Settings of {@link ScarDetector}; docs/metrics.md §9 says how each was chosen. Depths in mm below
 * the surrounding skin.
 *
 * @param edgeDepthMm        a pixel belongs to a depression when it lies at least this deep
 * @param minDepthMm         a depression is a scar when its deepest point is at least this deep (the
 *                           detection floor: shallower estimates on scar-free skin are mostly pores)
 * @param minDiameterMm      ... and it is at least this wide at 20 % of its depth (pores are under 0.5 mm)
 * @param surfaceWindowMm    the large-scale surface is what survives an opening this wide (wider than any scar)
 * @param icepickMaxDiameterMm  scars without a flat floor narrower than this are icepick, wider ones rolling
 * @param boxcarMinFloor     a scar whose floor (deeper than 80 % of its depth) covers at least this share
 *                           of its area (deeper than 20 %) has a flat floor and steep walls: boxcar
 * @param fallbackMmPerPx    scale assumed for counts and areas when the photo has none (depths are then not reported)
 */
public record ConfigScars(double edgeDepthMm, double minDepthMm, double minDiameterMm, double surfaceWindowMm,
                          double icepickMaxDiameterMm, double boxcarMinFloor,
                          double fallbackMmPerPx) {

    public ConfigScars {
        if (!(edgeDepthMm > 0 && minDepthMm >= edgeDepthMm && minDiameterMm > 0 && icepickMaxDiameterMm > minDiameterMm
                && surfaceWindowMm > 6 && boxcarMinFloor > 0 && boxcarMinFloor < 1 && fallbackMmPerPx > 0)) {
            throw new IllegalArgumentException("scar settings must satisfy 0 < edge ≤ minDepth, 0 < minDiameter < icepickMax, "
                    + "surfaceWindow > 6 mm (wider than any scar), 0 < boxcarMinFloor < 1, fallbackMmPerPx > 0");
        }
    }

    public static ConfigScars defaults() {
        return new ConfigScars(0.015, 0.10, 0.6, 9.0, 2.2, 0.3, 0.025);
    }

    /**
     * A copy with another {@code edgeDepthMm}: depth from which a pixel belongs to a depression, mm below the surrounding skin.
     */
    public ConfigScars withEdgeDepthMm(double edgeDepthMm) {
        return new ConfigScars(edgeDepthMm, minDepthMm, minDiameterMm, surfaceWindowMm, icepickMaxDiameterMm, boxcarMinFloor,
                fallbackMmPerPx);
    }

    /** A copy with another {@code minDepthMm}: least depth of a depression's deepest point for it to be a scar, mm. */
    public ConfigScars withMinDepthMm(double minDepthMm) {
        return new ConfigScars(edgeDepthMm, minDepthMm, minDiameterMm, surfaceWindowMm, icepickMaxDiameterMm, boxcarMinFloor,
                fallbackMmPerPx);
    }

    /** A copy with another {@code minDiameterMm}: least width of a scar at 20 % of its depth, mm. */
    public ConfigScars withMinDiameterMm(double minDiameterMm) {
        return new ConfigScars(edgeDepthMm, minDepthMm, minDiameterMm, surfaceWindowMm, icepickMaxDiameterMm, boxcarMinFloor,
                fallbackMmPerPx);
    }

    /** A copy with another {@code surfaceWindowMm}: width of the opening that gives the large-scale surface, mm (above 6). */
    public ConfigScars withSurfaceWindowMm(double surfaceWindowMm) {
        return new ConfigScars(edgeDepthMm, minDepthMm, minDiameterMm, surfaceWindowMm, icepickMaxDiameterMm, boxcarMinFloor,
                fallbackMmPerPx);
    }

    /** A copy with another {@code icepickMaxDiameterMm}: width below which a scar without a flat floor is icepick, mm. */
    public ConfigScars withIcepickMaxDiameterMm(double icepickMaxDiameterMm) {
        return new ConfigScars(edgeDepthMm, minDepthMm, minDiameterMm, surfaceWindowMm, icepickMaxDiameterMm, boxcarMinFloor,
                fallbackMmPerPx);
    }

    /** A copy with another {@code boxcarMinFloor}: least share of a scar's area in its flat floor for it to be boxcar, (0, 1). */
    public ConfigScars withBoxcarMinFloor(double boxcarMinFloor) {
        return new ConfigScars(edgeDepthMm, minDepthMm, minDiameterMm, surfaceWindowMm, icepickMaxDiameterMm, boxcarMinFloor,
                fallbackMmPerPx);
    }

    /** A copy with another {@code fallbackMmPerPx}: scale assumed when the photo has none, mm per pixel. */
    public ConfigScars withFallbackMmPerPx(double fallbackMmPerPx) {
        return new ConfigScars(edgeDepthMm, minDepthMm, minDiameterMm, surfaceWindowMm, icepickMaxDiameterMm, boxcarMinFloor,
                fallbackMmPerPx);
    }
}
