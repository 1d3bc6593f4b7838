package org.dermatrend.analysis;

import org.dermatrend.align.Aligner;
import org.dermatrend.align.ConfigAlignment;
import org.dermatrend.calibrate.GrayCardCalibrator;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.mask.ConfigSkinMask;
import org.dermatrend.mask.SkinMasker;
import org.dermatrend.measure.ConfigPores;
import org.dermatrend.measure.ConfigRedness;
import org.dermatrend.measure.PoreDetector;
import org.dermatrend.measure.RednessMeter;
import org.dermatrend.measure.ConfigScars;
import org.dermatrend.measure.ScarDetector;
import org.dermatrend.measure.SkinScorer;
import org.dermatrend.overlay.OverlayRenderer;
import org.dermatrend.prepare.Beside;
import org.dermatrend.prepare.PhotoPreparer;
import org.dermatrend.quality.ConfigQuality;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.relief.ReliefEstimator;
import org.dermatrend.relief.ReliefModel;

/**
 * The object graph, built in one place: every service is a plain instance made here and passed on.
 * All of them are thread-safe. The scar-relief model is loaded here, once; the graph owns it.
 */
public record Services(PhotoDecoder decoder, PhotoPreparer preparer, SkinScorer scorer, OverlayRenderer overlays,
                       Aligner aligner, PairComparer comparer, ReliefModel reliefModel) implements AutoCloseable {

    /**
     * The graph with the documented default settings, the given intake limits and the shipped
     * scar-relief model.
     *
     * @throws ReliefModel.ModelLoadException when the model's weights are missing or fail their checksum
     */
    public static Services create(ConfigIntake intake) {
        return create(intake, ReliefModel.loadPackaged());
    }

    /**
     * Intake, calibration, mask and gate alone, for callers that measure nothing (the {@code quality}
     * command): no model is loaded.
     */
    public static PhotoPreparer defaultPreparer() {
        return new PhotoPreparer(new GrayCardCalibrator(), new SkinMasker(ConfigSkinMask.defaults()),
                new QualityGate(ConfigQuality.defaults()));
    }

    /** As {@link #create(ConfigIntake)} with another relief model; the graph takes ownership of it. */
    public static Services create(ConfigIntake intake, ReliefModel reliefModel) {
        // The command line aligns one pair at a time: the coarse search may use every core.
        return create(intake, reliefModel, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #create(ConfigIntake, ReliefModel)}, with the cores one analysis may use: the alignment's coarse
     * search shares out its grid over them, and with more than one the scar relief runs beside pores and redness
     * and a follow-up is prepared beside its baseline (the same answers, sooner). 1 for a service that already runs
     * one analysis per core.
     */
    public static Services create(ConfigIntake intake, ReliefModel reliefModel, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("an analysis needs at least 1 thread, got " + threads);
        }
        PhotoPreparer preparer = defaultPreparer();
        ConfigRedness redness = ConfigRedness.defaults();
        SkinScorer scorer = new SkinScorer(preparer, new PoreDetector(ConfigPores.defaults()), new RednessMeter(redness),
                new ScarDetector(ConfigScars.defaults(), new ReliefEstimator(reliefModel)),
                Beside.threads(Math.min(1, threads - 1)));
        Aligner aligner = new Aligner(ConfigAlignment.defaults(), threads);
        return new Services(new PhotoDecoder(intake), preparer, scorer, new OverlayRenderer(1600, redness.redHaemoglobinIndex()),
                aligner, new PairComparer(aligner, scorer), reliefModel);
    }

    /** The analysis pipeline over this graph, with its intake limits. */
    public Analyzer analyzer() {
        return new Analyzer(this);
    }

    @Override
    public void close() {
        scorer.beside().close();
        reliefModel.close();
    }
}
