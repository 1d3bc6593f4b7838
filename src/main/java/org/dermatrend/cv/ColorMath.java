package org.dermatrend.cv;

/**
 * Colour conversions used by calibration and the metrics, on plain numbers.
 *
 * <p>Conventions: "linear" values are linear-light sRGB primaries scaled 0..1 (1 = the sensor's
 * white); "encoded" values are the sRGB transfer-encoded 0..1 values of an 8-bit file (divide by
 * 255). CIELAB is relative to the D65 white, L* 0..100, a* and b* roughly −128..127. Channel
 * arrays are in R, G, B order here, unlike OpenCV's B, G, R pixels: every method says which.
 * Formulas: IEC 61966-2-1 (sRGB) and CIE 15 (XYZ to CIELAB).
 */
public final class ColorMath {
    private static final float[] LINEAR_OF_8BIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            LINEAR_OF_8BIT[i] = (float) srgbToLinear(i / 255.0);
        }
    }

    // D65 reference white of the sRGB/XYZ matrix below.
    private static final double XN = 0.95047;
    private static final double YN = 1.0;
    private static final double ZN = 1.08883;

    private ColorMath() {
    }

    /** sRGB-encoded 0..1 to linear 0..1. */
    public static double srgbToLinear(double encoded) {
        return encoded <= 0.04045 ? encoded / 12.92 : Math.pow((encoded + 0.055) / 1.055, 2.4);
    }

    /** Linear 0..1 to sRGB-encoded 0..1 (values outside 0..1 are clamped first). */
    public static double linearToSrgb(double linear) {
        double v = Math.max(0, Math.min(1, linear));
        return v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
    }

    /** Linear value of an 8-bit sRGB code value 0..255 (a table look-up). */
    public static float linearOf8Bit(int code) {
        return LINEAR_OF_8BIT[code & 0xff];
    }

    /**
     * Linear sRGB (R, G, B; 0..1) to CIELAB (L*, a*, b*) under D65.
     *
     * @return a new array {L*, a*, b*}
     */
    public static double[] linearRgbToLab(double r, double g, double b) {
        double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
        double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
        double fx = labF(x / XN);
        double fy = labF(y / YN);
        double fz = labF(z / ZN);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    /** Relative luminance Y (0..1) of linear sRGB. */
    public static double luminance(double r, double g, double b) {
        return 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    }

    /** CIE L* (0..100) of a relative luminance Y (0..1). */
    public static double lightness(double y) {
        return 116 * labF(y) - 16;
    }

    /** CIE76 colour difference: the Euclidean distance between two CIELAB triples. */
    public static double deltaE76(double[] lab1, double[] lab2) {
        double dl = lab1[0] - lab2[0];
        double da = lab1[1] - lab2[1];
        double db = lab1[2] - lab2[2];
        return Math.sqrt(dl * dl + da * da + db * db);
    }

    /**
     * Individual Typology Angle in degrees, {@code atan((L* − 50) / b*)}: above 55 very light skin,
     * below −30 dark skin (Chardon et al. 1991).
     */
    public static double itaDegrees(double[] lab) {
        return Math.toDegrees(Math.atan2(lab[0] - 50, lab[2]));
    }

    private static double labF(double t) {
        double d = 6.0 / 29;
        return t > d * d * d ? Math.cbrt(t) : t / (3 * d * d) + 4.0 / 29;
    }
}
