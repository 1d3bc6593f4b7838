package org.dermatrend.wire;

import org.dermatrend.mask.SkinMask;

/**
 * What the skin mask kept and left out, as shares (0..1): {@code skinFraction} of the frame; glare,
 * hair and deep shadow as shares of the skin-coloured area.
 */
public record MaskInfo(double skinFraction, double glareFraction, double hairFraction, double shadowFraction,
                       double medianSkinLightness) {

    public static MaskInfo of(SkinMask m) {
        return new MaskInfo(r(m.skinFraction()), r(m.glareFraction()), r(m.hairFraction()), r(m.shadowFraction()),
                Math.round(m.medianSkinLightness() * 10) / 10.0);
    }

    private static double r(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
