package org.dermatrend.optics;

/**
 * The optical-density directions of skin's two pigments, shared by what measures skin
 * ({@code measure}) and what renders it ({@code synth}), so that neither depends on the other.
 *
 * <p>Each direction is the absorbance per unit of pigment in linear-light R, G, B (in that order, not
 * OpenCV's BGR), up to scale. Haemoglobin's (0.30, 0.68, 0.67) is Tsumura et al.'s ("Image-based skin
 * color and texture analysis/synthesis by extracting hemoglobin and melanin information in the skin",
 * 2003). Melanin's (0.30, 0.48, 0.83) is the λ^−3.46 absorption power law sampled at 620/540/460 nm,
 * rather than Tsumura's camera-specific (0.41, 0.36, 0.84), whose green below red would turn dark skin
 * olive. They are a model's choice, not a measurement of any person or camera.
 */
public final class Chromophores {
    /** Melanin optical-density direction, R, G, B. */
    public static final double[] MELANIN = {0.30, 0.48, 0.83};
    /** Haemoglobin optical-density direction, R, G, B. */
    public static final double[] HAEMOGLOBIN = {0.30, 0.68, 0.67};

    private Chromophores() {
    }
}
