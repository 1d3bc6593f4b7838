package org.dermatrend.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.dermatrend.analysis.Analyzer;
import org.dermatrend.analysis.Outcome;
import org.dermatrend.analysis.PhotoSource;
import org.dermatrend.analysis.Which;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.Refusal;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.wire.CompareInfo;
import org.dermatrend.wire.ScoreInfo;

/**
 * Scoring and comparing photos held in memory, for the stateless endpoints, and the turns the analysis
 * workers take. The pipeline is {@link Analyzer}'s; this maps its outcomes to {@link Failure}s. At most
 * {@code permits} photos are measured at once (each takes a core and a few hundred MB); a caller that
 * cannot get a turn within the wait is told the service is overloaded. The synchronous endpoints decode
 * at most {@code syncMaxPixels} pixels (they hold a request thread while they work).
 */
public final class ScoringService {
    private final Analyzer sync;
    private final Semaphore turns;
    private final long waitMillis;

    public ScoringService(Analyzer analyzer, long syncMaxPixels, int permits, long waitMillis) {
        ConfigIntake intake = analyzer.intake();
        this.sync = analyzer.withIntake(new ConfigIntake(Math.min(syncMaxPixels, intake.maxPixels()), intake.maxBytes(),
                intake.minShortSidePx()));
        this.turns = new Semaphore(permits, true);
        this.waitMillis = waitMillis;
    }

    /** The same checks as the decoder's header inspection, as failures: 413, 415 or 422. */
    public static Failure refusal(Refusal r, String which) {
        String message = (which == null ? "" : which + ": ") + r.message();
        return switch (r.code()) {
            case UNSUPPORTED_FORMAT, CORRUPT_IMAGE -> Failure.unsupportedImage(message).with("reason", r.code().code());
            case IMAGE_TOO_LARGE -> r.message().contains("larger than the") ? Failure.tooLarge(message)
                    : Failure.unprocessable("image-refused", message).with("reason", r.code().code());
            case IMAGE_TOO_SMALL -> Failure.unprocessable("image-refused", message).with("reason", r.code().code());
        };
    }

    /**
     * Scores one photo.
     *
     * @throws Failure 400 for a request value out of range or a rectangle outside the photo, 415/413/422
     *                 when the photo is refused at intake, 422 {@code quality-failed} with the score in
     *                 {@code result} when it fails the quality gate, 503 when overloaded
     */
    public ScoreInfo score(String name, byte[] bytes, PhotoContext context, boolean detail) {
        return withTurn(() -> orFailure(sync.score(name, PhotoSource.of(bytes), context, detail, new StageTimer(), Analyzer.NONE)));
    }

    /**
     * Compares a follow-up with its baseline on the skin both show.
     *
     * @throws Failure as {@link #score}, and 422 {@code alignment-refused} with the alignment when the
     *                 photos cannot be shown to be the same skin
     */
    public CompareInfo compare(byte[] beforeBytes, byte[] afterBytes, PairComparer.Request request) {
        return withTurn(() -> orFailure(sync.compare("before", PhotoSource.of(beforeBytes), "after", PhotoSource.of(afterBytes),
                request, new StageTimer(), Analyzer.NONE)));
    }

    /** The value of a done outcome; every other outcome as the failure the API answers with. */
    static <T> T orFailure(Outcome<T> o) {
        if (o instanceof Outcome.Done<T> d) {
            return d.value();
        }
        if (o instanceof Outcome.Refused<T> r) {
            throw refusal(r.refusal(), r.which() == Which.PHOTO ? null : r.which() == Which.BASELINE ? "before" : "after");
        }
        if (o instanceof Outcome.Invalid<T> i) {
            throw Failure.invalid(i.field(), i.message());
        }
        if (o instanceof Outcome.GateFailed<T> g) {
            String message = g.which() == Which.PHOTO ? g.message()
                    : "The " + (g.which() == Which.BASELINE ? "before" : "after") + " photo failed the quality gate: " + g.errors();
            throw Failure.unprocessable("quality-failed", message).with("issues", g.issues()).with("result", g.value());
        }
        Outcome.NotAligned<T> n = (Outcome.NotAligned<T>) o;
        throw Failure.unprocessable("alignment-refused", n.message()).with("reason", n.alignment().reason())
                .with("alignment", n.alignment());
    }

    private <T> T withTurn(IoSupplier<T> work) {
        boolean got;
        try {
            got = turns.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.overloaded("The service is shutting down; try again shortly.", 5);
        }
        if (!got) {
            throw Failure.overloaded("Every scoring slot is busy; try again in a few seconds.", 5);
        }
        try {
            return work.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            turns.release();
        }
    }

    /** Work that may fail on I/O. */
    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Runs {@code work} as a worker: waits for a turn however long it takes. */
    public <T> T asWorker(IoSupplier<T> work) throws InterruptedException, IOException {
        turns.acquire();
        try {
            return work.get();
        } finally {
            turns.release();
        }
    }
}
