package org.dermatrend.synth;

/**
 * The three atrophic acne scar kinds (Jacob et al. 2001; DOMAIN.md) and the profile the renderer
 * gives each. Widths are the diameter at the skin surface.
 */
public enum ScarType {
    /** Narrow (0.5–2 mm), deep, V-shaped: a cone tapering to a point. */
    ICEPICK("icepick", 0.5, 2.0),
    /** 2–4 mm, flat floor over the inner 70 % of the radius, steep walls. */
    BOXCAR("boxcar", 2.0, 4.0),
    /** Over 4 mm (4–6 here), shallow, smooth: a raised-cosine dish. */
    ROLLING("rolling", 4.0, 6.0);

    private final String key;
    private final double minDiameterMm;
    private final double maxDiameterMm;

    ScarType(String key, double minDiameterMm, double maxDiameterMm) {
        this.key = key;
        this.minDiameterMm = minDiameterMm;
        this.maxDiameterMm = maxDiameterMm;
    }

    /** The lower-case name used in JSON. */
    public String key() {
        return key;
    }

    public double minDiameterMm() {
        return minDiameterMm;
    }

    public double maxDiameterMm() {
        return maxDiameterMm;
    }

    /**
     * Depth profile, as the fraction of the full depth at normalised radius {@code t = r / R}
     * (1 at the centre for icepick and rolling, 1 across the floor for boxcar, 0 at and beyond the rim).
     */
    public double profile(double t) {
        if (t >= 1) {
            return 0;
        }
        switch (this) {
            case ICEPICK:
                return 1 - t;
            case BOXCAR:
                if (t <= 0.7) {
                    return 1;
                }
                return 0.5 * (1 + Math.cos(Math.PI * (t - 0.7) / 0.3));
            default:
                return 0.5 * (1 + Math.cos(Math.PI * t));
        }
    }
}
