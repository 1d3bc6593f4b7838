package org.dermatrend.synth;

import org.dermatrend.optics.Chromophores;

/**
 * The renderer's optical model of skin colour: two absorbing pigments in optical density.
 *
 * <pre>
 *   reflectance_c = s + (1 − s) · dermis_c · exp(−(m · M_c + h · H_c + extra))
 * </pre>
 *
 * with melanin {@code m} and haemoglobin {@code h} in optical-density units, channel c in R, G, B
 * (linear sRGB), a neutral surface reflection {@code s = 0.04} (the Fresnel reflection of skin's
 * surface, which keeps dark skin from becoming fully saturated), and {@code extra} a neutral
 * density (used for pore openings). Haemoglobin's direction (0.30, 0.68, 0.67) is Tsumura et al.'s
 * (DOMAIN.md). For melanin we use (0.30, 0.48, 0.83), the λ^−3.46 absorption power law sampled at
 * 620/540/460 nm, rather than Tsumura's camera-specific (0.41, 0.36, 0.84), whose green below red
 * would turn dark skin olive. The numbers are a renderer's choice, not a measurement of any person.
 */
public final class SkinOptics {
    /** Melanin optical-density direction, R, G, B ({@link Chromophores#MELANIN}). */
    public static final double[] MELANIN = Chromophores.MELANIN;
    /** Haemoglobin optical-density direction, R, G, B ({@link Chromophores#HAEMOGLOBIN}). */
    public static final double[] HAEMOGLOBIN = Chromophores.HAEMOGLOBIN;
    /** Reflectance of pigment-free dermis, R, G, B (linear). */
    static final double[] DERMIS = {0.92, 0.88, 0.85};
    /** Neutral surface reflection. */
    static final double SURFACE = 0.04;

    /** Melanin level per Fitzpatrick type I..VI (index 1..6), tuned so ITA° falls in each type's usual band. */
    private static final double[] MELANIN_BY_TYPE = {Double.NaN, 0.25, 0.55, 1.0, 1.8, 3.2, 5.5};

    private SkinOptics() {
    }

    /** The melanin level of a Fitzpatrick type 1..6. */
    public static double melaninOf(int fitzpatrick) {
        if (fitzpatrick < 1 || fitzpatrick > 6) {
            throw new IllegalArgumentException("Fitzpatrick type must be 1..6, got " + fitzpatrick);
        }
        return MELANIN_BY_TYPE[fitzpatrick];
    }

    /**
     * Linear reflectance of skin with the given pigments.
     *
     * @param out receives R, G, B in 0..1
     */
    public static void reflectance(double melanin, double haemoglobin, double extraDensity, double[] out) {
        for (int c = 0; c < 3; c++) {
            double od = melanin * MELANIN[c] + haemoglobin * HAEMOGLOBIN[c] + extraDensity;
            out[c] = SURFACE + (1 - SURFACE) * DERMIS[c] * Math.exp(-od);
        }
    }
}
