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
    /** Shrinkage of pore diameters by the last session: the same pores (PhantomSpec#poreScale), each 10 % narrower. */
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
        return sessions(seed, sessions, width, height, mmPerPx, firstDate, 1, 3);
    }

    /**
     * As {@link #sessions(long, int, int, int, double, LocalDate)} with the treatment's effect scaled:
     * 1 is the course described above, 0 is unchanged skin re-photographed at every session (the
     * repeatability study and the "stable" test), values between are a weaker treatment; the skin is
     * of the given Fitzpatrick type (the demo's is III).
     */
    public static List<Session> sessions(long seed, int sessions, int width, int height, double mmPerPx, LocalDate firstDate,
                                         double effect, int fitzpatrick) {
        if (!(effect >= 0 && effect <= 1)) {
            throw new IllegalArgumentException("effect must be 0 to 1, got " + effect);
        }
        if (sessions < 2) {
            throw new IllegalArgumentException("a series needs at least 2 sessions, got " + sessions);
        }
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        List<Session> out = new ArrayList<>();
        for (int k = 0; k < sessions; k++) {
            double p = effect * k / (double) (sessions - 1);
            double scar = 1 - SCAR_DEPTH_REDUCTION * p;
            double pore = 1 - PORE_REDUCTION * p;
            PhantomSpec spec = PhantomSpec.builder().size(width, height).mmPerPx(mmPerPx).seed(seed).fitzpatrick(fitzpatrick)
                    .haemoglobin(HAEMOGLOBIN_FIRST + (HAEMOGLOBIN_LAST - HAEMOGLOBIN_FIRST) * p)
                    .erythemaStrength(0.35 * (1 - 0.5 * p))
                    .poreDiameterMm(0.10, 0.28).poreScale(pore)
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

    /**
     * The grey card's rectangle to measure, {x, y, w, h}: 4 px inside its edge (so JPEG ringing at the
     * edge stays out) and clipped to the frame, since a moved camera can push the card partly out;
     * null when less than 40 × 40 px of card is left.
     */
    public static int[] cardRect(PhantomTruth.GrayCard card, int width, int height) {
        if (card == null) {
            return null;
        }
        int x0 = Math.max(0, card.x() + 4);
        int y0 = Math.max(0, card.y() + 4);
        int x1 = Math.min(width, card.x() + card.width() - 4);
        int y1 = Math.min(height, card.y() + card.height() - 4);
        return x1 - x0 < 40 || y1 - y0 < 40 ? null : new int[] {x0, y0, x1 - x0, y1 - y0};
    }

    private static double uniform(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
