package org.dermatrend.compare;

import java.util.Locale;
import java.util.OptionalDouble;
import org.dermatrend.measure.PoreDetector;
import org.dermatrend.measure.PoreResult;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.quality.QualityGate;

/**
 * Sizes a pair's pores at the same sharpness. A softer photo reads every pore larger (its half-contrast rim
 * spreads) and, on dark skin, loses faint ones, with no change in the skin: docs/metrics.md §4. Each photo's pores
 * carry the blur of their own rims ({@link PoreResult#edgeBlurMm()}: the photo's optical blur and the pores' own
 * profile, which is the same skin in both photos); when the two differ by more than {@link #TOLERANCE_MM2} the
 * sharper photo's pores are measured again after a Gaussian blur that brings its pore edges to the softer one's,
 * so the change between them is the skin's, not the camera's.
 *
 * <p>Blur added to an already stored (JPEG) photo softens its pore edges a little more than the same blur in the
 * optics does (type VI: σ 1.49 px against 1.36), so the added blur is found in two steps: first from the
 * difference of squares, then corrected once by the secant through what that gave. At most two more pore
 * detections of one photo; the scorer's pores stage is a few hundred milliseconds on a 12 MP photo.
 */
public final class PoreSharpness {
    /**
     * Differences of squared edge blur up to this (mm²) are left alone: 0.48 px² at 0.025 mm/px, which moves the mean
     * pore diameter by up to about 0.0045 mm on type VI (0.6 of its MDC; type II about 0.003). Smaller differences are
     * mostly not optical: a follow-up resampled to a new pose reads its pore edges 1.2–2.1·10⁻⁴ mm² softer (squares)
     * and its pores barely larger, and matching those (a first version matched from 10⁻⁴ mm²) blurred dark skin's
     * baselines into reading their pores 0.002–0.005 mm larger, raising the synthetic repeatability study's mean-diameter
     * SEM by a quarter (docs/metrics.md §4).
     */
    public static final double TOLERANCE_MM2 = 3e-4;

    /** The first blur is corrected when it leaves the squared edge blurs further apart than this, mm² (0.08 px² at 0.025 mm/px). */
    static final double REFINE_TOLERANCE_MM2 = 5e-5;

    private PoreSharpness() {
    }

    /**
     * What was done to a pair.
     *
     * @param blurred         {@code baseline} or {@code follow-up}: whose pores were measured again
     * @param baselineEdgeMm  the baseline's pore-edge blur, mm
     * @param followUpEdgeMm  the follow-up's, mm
     * @param addedBlurMm     σ of the Gaussian added to the sharper photo, mm
     * @param matchedEdgeMm   its pore-edge blur after it, mm
     */
    public record Match(String blurred, double baselineEdgeMm, double followUpEdgeMm, double addedBlurMm, double matchedEdgeMm) {
        /** The note a comparison carries: code, colon, sentence. */
        public String note() {
            return String.format(Locale.ROOT, "pores_sharpness_matched: the %s was sharper (pore edges blurred %.4f mm, the %s %.4f mm), "
                    + "so its pores were measured again after a blur of %.4f mm (edges then %.4f mm): both photos' pores are "
                    + "sized at the same sharpness, so their change in size and count is not the difference in focus. Its other numbers "
                    + "are as measured.", blurred, blurred.equals("baseline") ? baselineEdgeMm : followUpEdgeMm,
                    blurred.equals("baseline") ? "follow-up" : "baseline",
                    blurred.equals("baseline") ? followUpEdgeMm : baselineEdgeMm, addedBlurMm, matchedEdgeMm);
        }
    }

    /**
     * Whether two pore-edge blurs differ: their squares by more than {@link #TOLERANCE_MM2} and by more than
     * {@link #SIGNIFICANCE} standard errors of the difference (each square's error 2σ·SE(σ)). A photo with few pores
     * large enough to show an edge (most real close-ups have a dozen or two) has an uncertain edge blur, and blurring
     * it on noise would move its pores more than it corrects.
     */
    static boolean differ(double sb, double seB, double sa, double seA) {
        double d = Math.abs(sa * sa - sb * sb);
        double se = Math.hypot(2 * sb * seB, 2 * sa * seA);
        return d > TOLERANCE_MM2 && !(d <= SIGNIFICANCE * se);
    }

    /** How many standard errors apart two pore-edge blurs must be to be matched. */
    public static final double SIGNIFICANCE = 2;

    /**
     * Whether a photo's pores can take part in matching: the pair has a scale (without one, pose and zoom would read as
     * sharpness: the follow-up's scale follows from the baseline's), the photo passed the gate with its pores measured
     * (not {@code blurred_for_pores}), and its pores show an edge.
     */
    static boolean mayMatch(SkinScore s, OptionalDouble baselineMmPerPx) {
        return baselineMmPerPx.isPresent() && s.quality().ok() && !s.quality().has(QualityGate.PORES_WITHHELD)
                && Double.isFinite(s.pores().edgeBlurMm());
    }

    /** The pair's scores, the sharper one's pores measured again when the two differed. */
    public record Result(SkinScore before, SkinScore after, java.util.Optional<Match> match) {
    }

    /**
     * @param beforeRed the baseline's working red when its pixels are released already, else null (then it is made
     *                  from them, as the follow-up's always is)
     * @return the scores to use: {@code before} and {@code after} themselves, or one of them spent and replaced
     *         ({@link SkinScore#withPores})
     */
    static Result match(PoreDetector detector, SkinScore before, PoreDetector.WorkingRed beforeRed, SkinScore after,
                        OptionalDouble baselineMmPerPx, OptionalDouble afterMmPerPx) {
        double sb = before.pores().edgeBlurMm();
        double sa = after.pores().edgeBlurMm();
        if (!mayMatch(before, baselineMmPerPx) || !mayMatch(after, baselineMmPerPx)
                || !differ(sb, before.pores().edgeBlurSeMm(), sa, after.pores().edgeBlurSeMm())) {
            return new Result(before, after, java.util.Optional.empty());
        }
        boolean baselineSharper = sb < sa;
        double sharp = Math.min(sa, sb);
        double target = Math.max(sa, sb);
        SkinScore sharper = baselineSharper ? before : after;
        boolean created = !baselineSharper || beforeRed == null;
        // (the baseline's working red, when kept, is the caller's; one made here is closed here)
        PoreDetector.WorkingRed own = !created ? beforeRed
                : detector.workingRed(sharper.prepared().linear(), sharper.prepared().mask().mask(),
                        baselineSharper ? before.prepared().context().mmPerPx() : afterMmPerPx);
        try {
            double added2 = target * target - sharp * sharp;
            PoreResult first = detector.detect(own, sharper.prepared().mask().mask(), Math.sqrt(added2));
            PoreResult chosen = first;
            double got = first.edgeBlurMm();
            double addedMm = Math.sqrt(added2);
            if (Double.isFinite(got) && Math.abs(got * got - target * target) > REFINE_TOLERANCE_MM2 && got > sharp) {
                // The secant through (0, sharp²) and (added², got²), solved for target².
                // At most twice the first blur: a first blur that barely softened the edges is not extrapolated far.
                double second2 = Math.min(4 * added2, added2 * (target * target - sharp * sharp) / (got * got - sharp * sharp));
                PoreResult second;
                try {
                    second = detector.detect(own, sharper.prepared().mask().mask(), Math.sqrt(second2));
                } catch (RuntimeException | Error e) {
                    first.close();
                    throw e;
                }
                if (Double.isFinite(second.edgeBlurMm())
                        && Math.abs(second.edgeBlurMm() - target) < Math.abs(got - target)) {
                    first.close();
                    chosen = second;
                    addedMm = Math.sqrt(second2);
                } else {
                    second.close();
                }
            }
            Match m = new Match(baselineSharper ? "baseline" : "follow-up", sb, sa, addedMm, chosen.edgeBlurMm());
            // The photo's own edge blur stays what it reported: the blur added is the comparison's, not the photo's.
            SkinScore replaced = sharper.withPores(new PoreResult(chosen.pores(), chosen.skinPx(), chosen.porePx(),
                    chosen.poreMask(), sharper.pores().edgeBlurMm(), sharper.pores().edgeBlurSeMm()));
            return baselineSharper ? new Result(replaced, after, java.util.Optional.of(m))
                    : new Result(before, replaced, java.util.Optional.of(m));
        } finally {
            if (created) {
                own.close();
            }
        }
    }
}
