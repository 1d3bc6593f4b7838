package org.dermatrend.synth;

import java.util.List;

/**
 * Everything the renderer knows about a phantom, written beside its image as JSON. Positions are in
 * pixels of the image (x right, y down, origin at the centre of the top-left pixel); sizes in mm.
 *
 * @param skinFraction        fraction of the frame that is skin (not background, card or hair)
 * @param backgroundFraction  fraction of the frame that is the non-skin backdrop
 */
public record PhantomTruth(
        long seed,
        int width,
        int height,
        double mmPerPx,
        int fitzpatrick,
        Pigments pigments,
        List<Pore> pores,
        List<Scar> scars,
        List<Erythema> erythema,
        List<Hair> hairs,
        Light light,
        Camera camera,
        GrayCard grayCard,
        double skinFraction,
        double backgroundFraction,
        Files files) {

    /**
     * Pigment levels in the renderer's optical-density units (see datasets/README.md), averaged
     * over skin pixels.
     *
     * @param melaninMean       mean melanin over skin
     * @param haemoglobinMean   mean haemoglobin over skin, erythema patches included
     * @param haemoglobinBase   the base haemoglobin level the patches were added to
     * @param skinLab           CIELAB of the mean skin reflectance under the neutral reference light
     * @param itaDegrees        Individual Typology Angle of {@code skinLab}
     */
    public record Pigments(double melaninMean, double haemoglobinMean, double haemoglobinBase, double[] skinLab,
                           double itaDegrees) {
    }

    /**
     * A pore: a dark round opening of {@code diameterMm} and a pit {@code depthMm} deep; the opening
     * adds a neutral optical density {@code density} (0.4–0.9: 33–60 % darker than the skin around it).
     */
    public record Pore(double xPx, double yPx, double diameterMm, double depthMm, double density) {
    }

    /** An atrophic scar of {@code type}, {@code diameterMm} across at the surface, {@code depthMm} deep at its deepest. */
    public record Scar(String type, double xPx, double yPx, double diameterMm, double depthMm) {
    }

    /** A Gaussian patch of extra haemoglobin: {@code strength} at the centre, standard deviation {@code radiusMm / 2}. */
    public record Erythema(double xPx, double yPx, double radiusMm, double strength) {
    }

    /** A hair strand drawn along the polyline {@code pointsPx} ([x, y] pairs). */
    public record Hair(List<double[]> pointsPx, double widthMm) {
    }

    /**
     * The directional light. Azimuth is measured counter-clockwise on screen from the image's +x
     * axis (0° = light from the right, 90° = from the top); elevation above the skin plane.
     * {@code ambient} is the share of flat-skin brightness that comes from shadowless ambient light.
     */
    public record Light(double azimuthDeg, double elevationDeg, double ambient) {
    }

    /**
     * The camera: white-balance gains per channel (multipliers on linear R, G, B), exposure (a
     * multiplier), noise (σ of linear values at value 1, shot-noise-like: σ(v) = noise·√v), Gaussian
     * blur σ in pixels, JPEG quality (0 = lossless PNG), specular glare strength, and illumination
     * falloff (fractional loss of light across the frame along {@code falloffAngleDeg}).
     */
    public record Camera(double gainR, double gainG, double gainB, double exposure, double noise, double blurSigmaPx,
                         int jpegQuality, double glare, double illuminationFalloff, double falloffAngleDeg) {
    }

    /** The neutral grey card: its rectangle in pixels and its linear reflectance (0.18 = an 18 % grey card). */
    public record GrayCard(int x, int y, int width, int height, double reflectance) {
    }

    /** The files written for this phantom, relative to the truth file. */
    public record Files(String image, String heightMap) {
    }
}
