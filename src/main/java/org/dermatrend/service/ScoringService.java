package org.dermatrend.service;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.dermatrend.analysis.Services;
import org.dermatrend.compare.Comparison;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.decode.Refusal;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.wire.CompareInfo;
import org.dermatrend.wire.ScoreInfo;

/**
 * Scoring and comparing photos held in memory, as the CLI does, for the stateless endpoints and the
 * analysis workers. At most {@code permits} photos are measured at once (each takes a core and a few
 * hundred MB); a caller that cannot get a turn within the wait is told the service is overloaded.
 */
public final class ScoringService {
    private final Services services;
    private final Semaphore turns;
    private final long waitMillis;

    public ScoringService(Services services, int permits, long waitMillis) {
        this.services = services;
        this.turns = new Semaphore(permits, true);
        this.waitMillis = waitMillis;
    }

    public PhotoDecoder decoder() {
        return services.decoder();
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
     * @throws Failure 415/413/422 when the photo is refused at intake, 422 {@code quality-failed} with the
     *                 score in {@code result} when it fails the quality gate, 503 when overloaded
     */
    public ScoreInfo score(String name, byte[] bytes, PhotoContext context, boolean detail) {
        return withTurn(() -> {
            DecodeResult r = services.decoder().decode(bytes);
            if (r.isRefused()) {
                throw refusal(r.refusal(), null);
            }
            try (DecodedPhoto decoded = r.photo()) {
                checkRects(context, decoded);
                try (SkinScore score = services.scorer().score(decoded, context, new StageTimer())) {
                    ScoreInfo info = ScoreInfo.of(name, decoded, score, context, detail);
                    if (!score.prepared().quality().ok()) {
                        throw Failure.unprocessable("quality-failed", "The photo failed the quality gate: "
                                        + String.join("; ", info.quality().issues().stream()
                                        .filter(i -> i.severity().equals("error")).map(i -> i.message()).toList()))
                                .with("issues", info.quality().issues()).with("result", info);
                    }
                    return info;
                }
            }
        });
    }

    /**
     * Compares a follow-up with its baseline on the skin both show.
     *
     * @throws Failure as {@link #score}, and 422 {@code alignment-refused} with the alignment when the
     *                 photos cannot be shown to be the same skin
     */
    public CompareInfo compare(byte[] beforeBytes, byte[] afterBytes, PairComparer.Request request) {
        return withTurn(() -> {
            DecodeResult rb = services.decoder().decode(beforeBytes);
            if (rb.isRefused()) {
                throw refusal(rb.refusal(), "before");
            }
            try (DecodedPhoto before = rb.photo()) {
                DecodeResult ra = services.decoder().decode(afterBytes);
                if (ra.isRefused()) {
                    throw refusal(ra.refusal(), "after");
                }
                try (DecodedPhoto after = ra.photo()) {
                    CompareInfo info = compareDecoded(before, after, request, new StageTimer());
                    return requireUsable(info);
                }
            }
        });
    }

    /** The comparison of two decoded photos; the caller holds a turn (workers) or calls from {@link #compare}. */
    CompareInfo compareDecoded(DecodedPhoto before, DecodedPhoto after, PairComparer.Request request, StageTimer timer) {
        request.roi().ifPresent(roi -> {
            if (!roi.fitsIn(before.width(), before.height())) {
                throw Failure.invalid("roi", "The region of interest " + roi + " does not lie inside the baseline ("
                        + before.width() + "x" + before.height() + " px); give x,y,w,h in its upright pixels.");
            }
        });
        request.grayRefBefore().ifPresent(g -> checkRect("grayRefBefore", g, before));
        request.grayRefAfter().ifPresent(g -> checkRect("grayRefAfter", g, after));
        try (Comparison c = services.comparer().compare(before, after, request, timer)) {
            return CompareInfo.of("before", "after", before, after, c, request);
        }
    }

    /** Throws the 422 for a comparison that was refused or whose photos failed the gate. */
    static CompareInfo requireUsable(CompareInfo info) {
        if (!info.alignment().ok()) {
            throw Failure.unprocessable("alignment-refused", "The photos could not be shown to be the same skin ("
                    + info.alignment().reason() + "): " + info.alignment().message())
                    .with("reason", info.alignment().reason()).with("alignment", info.alignment());
        }
        for (ScoreInfo s : new ScoreInfo[] {info.before(), info.after()}) {
            if (!s.quality().ok()) {
                throw Failure.unprocessable("quality-failed", "The " + s.file() + " photo failed the quality gate: "
                                + String.join("; ", s.quality().issues().stream().filter(i -> i.severity().equals("error"))
                                .map(i -> i.message()).toList()))
                        .with("issues", s.quality().issues()).with("result", info);
            }
        }
        return info;
    }

    static PhotoContext context(Double mmPerPx, PixelRect grayRef, PixelRect roi) {
        return new PhotoContext(mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx),
                Optional.ofNullable(grayRef), Optional.ofNullable(roi));
    }

    private static void checkRects(PhotoContext context, DecodedPhoto decoded) {
        context.grayRef().ifPresent(g -> checkRect("grayRef", g, decoded));
        context.roi().ifPresent(g -> checkRect("roi", g, decoded));
    }

    private static void checkRect(String field, PixelRect r, DecodedPhoto photo) {
        if (!r.fitsIn(photo.width(), photo.height())) {
            throw Failure.invalid(field, field + " " + r + " does not lie inside the photo (" + photo.width() + "x"
                    + photo.height() + " px, upright); give x,y,w,h in its upright pixels.");
        }
    }

    private <T> T withTurn(java.util.function.Supplier<T> work) {
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
        } finally {
            turns.release();
        }
    }

    /** Runs {@code work} as a worker: waits for a turn however long it takes. */
    <T> T asWorker(java.util.function.Supplier<T> work) throws InterruptedException {
        turns.acquire();
        try {
            return work.get();
        } finally {
            turns.release();
        }
    }
}
