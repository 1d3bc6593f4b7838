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
     * Adds {@code amountMm · profile(r / rPx)} to every pixel of the row-major {@code width × height}
     * field within {@code rPx} of ({@code cx}, {@code cy}): a negative amount carves the scar into a
     * height map, a positive one draws its depth.
     */
    public void addProfile(float[] field, int width, int height, double cx, double cy, double rPx, double amountMm) {
        int x0 = Math.max(0, (int) Math.floor(cx - rPx));
        int x1 = Math.min(width - 1, (int) Math.ceil(cx + rPx));
        int y0 = Math.max(0, (int) Math.floor(cy - rPx));
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + rPx));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double t = Math.hypot(x - cx, y - cy) / rPx;
                if (t < 1) {
                    field[y * width + x] += (float) (amountMm * profile(t));
                }
            }
        }
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
