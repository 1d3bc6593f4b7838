package org.dermatrend.measure;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.prepare.Beside;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.PhotoPreparer;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.quality.QualityReport;
import org.dermatrend.quality.ScaleCheck;

/**
 * Scores one decoded photo: calibration, skin mask and quality gate, then pores, redness and scars
 * inside the mask. Pores and redness are computed even when the gate fails (the gate's verdict travels
 * with them; the trend leaves such sessions out); scars only when it passes. Thread-safe.
 */
public final class SkinScorer {
    private final PhotoPreparer preparer;
    private final PoreDetector pores;
    private final RednessMeter redness;
    private final ScarDetector scars;
    private final Beside beside;

    public SkinScorer(PhotoPreparer preparer, PoreDetector pores, RednessMeter redness, ScarDetector scars) {
        this(preparer, pores, redness, scars, Beside.NONE);
    }

    /**
     * @param beside where the scar relief runs while pores and redness are measured ({@link Beside#NONE}: after them,
     *               in the caller); the answers are the same either way
     */
    public SkinScorer(PhotoPreparer preparer, PoreDetector pores, RednessMeter redness, ScarDetector scars, Beside beside) {
        this.preparer = preparer;
        this.pores = pores;
        this.redness = redness;
        this.scars = scars;
        this.beside = beside;
    }

    /** The pore stage, for a comparison that measures a photo's pores again at another sharpness. */
    public PoreDetector poreDetector() {
        return pores;
    }

    /** Where this scorer runs stages beside others; a comparison prepares its follow-up there too. */
    public Beside beside() {
        return beside;
    }

    /** @return the score; the caller owns it */
    public SkinScore score(DecodedPhoto photo, PhotoContext context) {
        return score(photo, context, new StageTimer());
    }

    /** As {@link #score(DecodedPhoto, PhotoContext)}, recording each stage's time in {@code timer}. */
    public SkinScore score(DecodedPhoto photo, PhotoContext context, StageTimer timer) {
        return measure(prepare(photo, context, timer), timer);
    }

    /** Calibration, mask and gate only, so that a caller may narrow the mask before measuring; the caller owns the result. */
    public PreparedPhoto prepare(DecodedPhoto photo, PhotoContext context, StageTimer timer) {
        return preparer.prepare(photo, context, timer);
    }

    /**
     * Pores, redness and scars inside {@code prepared}'s mask (as it is now); scars only when the photo
     * passed the gate. Takes ownership of {@code prepared}: the score closes it, and so does a failure here.
     * The three only read the photo, so the scars may run {@link #beside} the other two.
     */
    public SkinScore measure(PreparedPhoto prepared, StageTimer timer) {
        PoreResult poreResult = null;
        Beside.Task<ScarResult> scarTask = null;
        try {
            if (prepared.quality().ok()) {
                scarTask = beside.start(t -> {
                    ScarResult r = scars.detect(prepared.linear(), prepared.mask().mask(), prepared.context().mmPerPx());
                    t.lap("scars");
                    return r;
                });
            }
            timer.restart();
            poreResult = pores.detect(prepared.linear(), prepared.mask().mask(), prepared.context().mmPerPx());
            timer.lap("pores");
            RednessResult red = redness.measure(prepared.linear(), prepared.mask().mask(), poreResult.poreMask(),
                    prepared.context().mmPerPx());
            timer.lap("redness");
            Optional<ScarResult> scarResult = Optional.empty();
            if (scarTask != null) {
                Beside.Task<ScarResult> task = scarTask;
                scarTask = null; // joined: nothing left to discard, whatever happens now
                scarResult = Optional.of(task.join(timer));
            }
            return new SkinScore(prepared, withScaleCue(prepared, poreResult), poreResult, red, scarResult);
        } catch (RuntimeException | Error e) {
            if (scarTask != null) {
                scarTask.discard(ScarResult::close); // it reads the photo: let it finish before the photo is closed
            }
            if (poreResult != null) {
                poreResult.close();
            }
            prepared.close();
            throw e;
        }
    }

    /** The gate's report, with {@link ScaleCheck#CODE} when the pores make the stated scale implausible (and the gate did not). */
    private static QualityReport withScaleCue(PreparedPhoto prepared, PoreResult pores) {
        QualityReport gate = prepared.quality();
        OptionalDouble mmPerPx = prepared.context().mmPerPx();
        if (mmPerPx.isEmpty() || gate.has(ScaleCheck.CODE)) {
            return gate;
        }
        double s = mmPerPx.getAsDouble();
        return ScaleCheck.pores(pores.weightedCount(), pores.densityPerCm2(s), pores.medianDiameterPx() * s, s)
                .map(i -> gate.withWarnings(List.of(i))).orElse(gate);
    }
}
