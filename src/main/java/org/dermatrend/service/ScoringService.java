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
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.decode.Refusal;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.wire.CompareInfo;
import org.dermatrend.wire.ScoreInfo;

/**
 * Scoring and comparing photos held in memory, for the stateless endpoints, and the turns the analysis
 * workers take. The pipeline is {@link Analyzer}'s; this maps its outcomes to {@link Failure}s.
 *
 * <p>Memory is admitted by pixels, not by slots: an analysis holds about 40 MB per megapixel it decodes
 * (8-bit and linear float copies, the mask, the stages' working images; measured in docs/benchmarks.md),
 * so every piece of work first takes as many pixels as it will decode from one budget shared by the
 * workers, the report and the synchronous endpoints. Two small photos run side by side; a pair of
 * 12-megapixel photos runs alone. Work larger than the whole budget takes all of it and runs alone. A
 * synchronous caller that cannot get its pixels within the wait is told the service is overloaded (503);
 * a worker waits however long it takes. The synchronous endpoints decode at most {@code syncMaxPixels}
 * pixels (they hold a request thread while they work).
 */
public final class ScoringService {
    /** The budget's unit: a permit is this many pixels. */
    private static final long PIXELS_PER_PERMIT = 1000;

    private final Analyzer sync;
    private final PhotoDecoder inspector;
    private final Semaphore pixels;
    private final int budgetPermits;
    private final long waitMillis;

    /**
     * @param budgetPixels pixels that may be decoded at once across all work (at least one megapixel)
     * @param waitMillis   how long a synchronous caller waits for its pixels before the 503
     */
    public ScoringService(Analyzer analyzer, long syncMaxPixels, long budgetPixels, long waitMillis) {
        if (budgetPixels < 1_000_000L || budgetPixels / PIXELS_PER_PERMIT > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the decode budget must be at least one megapixel, got " + budgetPixels);
        }
        ConfigIntake intake = analyzer.intake();
        ConfigIntake syncIntake = new ConfigIntake(Math.min(syncMaxPixels, intake.maxPixels()), intake.maxBytes(), intake.minShortSidePx());
        this.sync = analyzer.withIntake(syncIntake);
        this.inspector = new PhotoDecoder(syncIntake);
        this.budgetPermits = (int) (budgetPixels / PIXELS_PER_PERMIT);
        this.pixels = new Semaphore(budgetPermits, true);
        this.waitMillis = waitMillis;
    }

    /** The pixels a photo will decode to, from its header alone; 0 for a photo the decoder will refuse anyway. */
    private long pixelsOf(byte[] bytes) {
        PhotoDecoder.Inspection i = inspector.inspect(bytes);
        return i.isRefused() ? 0 : (long) i.header().uprightWidth() * i.header().uprightHeight();
    }

    /** The permits for {@code count} pixels: at least one, at most the whole budget. */
    private int permits(long count) {
        return (int) Math.max(1, Math.min(budgetPermits, (count + PIXELS_PER_PERMIT - 1) / PIXELS_PER_PERMIT));
    }

    /** Pixels of the budget free now (for tests and the metrics). */
    public long freePixels() {
        return pixels.availablePermits() * PIXELS_PER_PERMIT;
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
        return withTurn(pixelsOf(bytes), () -> orFailure(sync.score(name, PhotoSource.of(bytes), context, detail, new StageTimer(),
                Analyzer.NONE)));
    }

    /**
     * Compares a follow-up with its baseline on the skin both show.
     *
     * @throws Failure as {@link #score}, and 422 {@code alignment-refused} with the alignment when the
     *                 photos cannot be shown to be the same skin
     */
    public CompareInfo compare(byte[] beforeBytes, byte[] afterBytes, PairComparer.Request request) {
        return withTurn(pixelsOf(beforeBytes) + pixelsOf(afterBytes), () -> orFailure(sync.compare("before", PhotoSource.of(beforeBytes), "after", PhotoSource.of(afterBytes),
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

    private <T> T withTurn(long count, IoSupplier<T> work) {
        int n = permits(count);
        boolean got;
        try {
            got = pixels.tryAcquire(n, waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.overloaded("The service is shutting down; try again shortly.", 5);
        }
        if (!got) {
            throw Failure.overloaded("The service is analysing as many pixels as its memory allows; try again in a few seconds.", 5);
        }
        try {
            return work.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pixels.release(n);
            org.dermatrend.util.NativeMemory.trim();
        }
    }

    /** Work that may fail on I/O. */
    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    /**
     * Runs {@code work} as a worker once {@code count} pixels of the budget are free, waiting however long
     * it takes (at most the whole budget is taken: larger work runs alone).
     */
    public <T> T asWorker(long count, IoSupplier<T> work) throws InterruptedException, IOException {
        int n = permits(count);
        pixels.acquire(n);
        try {
            return work.get();
        } finally {
            pixels.release(n);
            org.dermatrend.util.NativeMemory.trim();
        }
    }
}
