package org.dermatrend.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A patient's treatment course as phantoms: the same skin (one seed: the same pores, scars and
 * pigment) photographed at every session, each time with a slightly different camera pose, light,
 * exposure and sensor noise, while the treatment works: scars get shallower, redness fades and pores
 * shrink a little, linearly from the first session to the last. The truth of every session is the
 * phantom's, so a trend computed from the photos can be checked against it.
 */
public final class TreatmentSeries {
    /** Shallowing of every scar by the last session (0.35: a 0.30 mm scar ends at 0.195 mm; scars start 0.20-0.50 mm deep, so all stay above the 0.1 mm detection floor). */
    public static final double SCAR_DEPTH_REDUCTION = 0.35;
    /** Base haemoglobin at the first and last session (optical-density units). */
    public static final double HAEMOGLOBIN_FIRST = 0.65;
    public static final double HAEMOGLOBIN_LAST = 0.50;
    /** Shrinkage of pore diameters by the last session. */
    public static final double PORE_REDUCTION = 0.10;

    private TreatmentSeries() {
    }

    /** One session: its date and the phantom to render. */
    public record Session(LocalDate date, PhantomSpec spec) {
    }

    /**
     * @param sessions    how many (at least 2)
     * @param firstDate   the first session's date; the others follow every 35 days
     */
    public static List<Session> sessions(long seed, int sessions, int width, int height, double mmPerPx, LocalDate firstDate) {
        if (sessions < 2) {
            throw new IllegalArgumentException("a series needs at least 2 sessions, got " + sessions);
        }
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        List<Session> out = new ArrayList<>();
        for (int k = 0; k < sessions; k++) {
            double p = k / (double) (sessions - 1);
            double scar = 1 - SCAR_DEPTH_REDUCTION * p;
            double pore = 1 - PORE_REDUCTION * p;
            PhantomSpec spec = PhantomSpec.builder().size(width, height).mmPerPx(mmPerPx).seed(seed).fitzpatrick(3)
                    .haemoglobin(HAEMOGLOBIN_FIRST + (HAEMOGLOBIN_LAST - HAEMOGLOBIN_FIRST) * p)
                    .erythemaStrength(0.35 * (1 - 0.5 * p))
                    .poreDiameterMm(0.10 * pore, 0.28 * pore)
                    .icepickScars(3).boxcarScars(2).rollingScars(1).scarDepthMm(0.20 * scar, 0.50 * scar)
                    .lightAzimuthDeg(135 + (k == 0 ? 0 : uniform(rng, -8, 8)))
                    .lightElevationDeg(55 + (k == 0 ? 0 : uniform(rng, -4, 4)))
                    .exposure(1 + (k == 0 ? 0 : uniform(rng, -0.06, 0.06)))
                    .sceneMargin(0.08)
                    .view(1 + (k == 0 ? 0 : uniform(rng, -0.03, 0.03)), k == 0 ? 0 : uniform(rng, -25, 25),
                            k == 0 ? 0 : uniform(rng, -25, 25))
                    .noiseSeed(k + 1).grayCard(true).jpegQuality(90).build();
            out.add(new Session(firstDate.plusDays(35L * k), spec));
        }
        return out;
    }

    private static double uniform(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
