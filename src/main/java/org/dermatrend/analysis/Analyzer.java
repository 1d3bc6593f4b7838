package org.dermatrend.analysis;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.compare.Comparison;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.PhotoPreparer;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.wire.AnalysisResult;
import org.dermatrend.wire.CompareInfo;
import org.dermatrend.wire.ScoreInfo;

/**
 * The analysis pipeline, written once: decode → check the request against the photo and the
 * {@link Budgets} → quality gate → measure (scars only past the gate) → the wire record, as an
 * {@link Outcome}. The CLI commands, the HTTP endpoints, the workers, the trend and the report call
 * this and only map its outcomes. Thread-safe; cheap to copy ({@link #withIntake}).
 */
public final class Analyzer {
    /** The measuring graph; null for a gate-only analyzer ({@link #gateOnly}). */
    private final Services services;
    private final PhotoDecoder decoder;
    private final PhotoPreparer preparer;

    public Analyzer(Services services) {
        this(services, services.decoder(), services.preparer());
    }

    private Analyzer(Services services, PhotoDecoder decoder, PhotoPreparer preparer) {
        this.services = services;
        this.decoder = decoder;
        this.preparer = preparer;
    }

    /**
     * An analyzer that only checks photos ({@link #quality}): intake, calibration, mask and gate, with no
     * model loaded. Its {@link #score}, {@link #compare} and {@link #analyse} throw.
     */
    public static Analyzer gateOnly(ConfigIntake intake) {
        return new Analyzer(null, new PhotoDecoder(intake), Services.defaultPreparer());
    }

    /** The same analyses with other intake limits (the synchronous endpoints' lower pixel cap). */
    public Analyzer withIntake(ConfigIntake intake) {
        return new Analyzer(services, new PhotoDecoder(intake), preparer);
    }

    /** The intake limits photos are decoded under. */
    public ConfigIntake intake() {
        return decoder.config();
    }

    /**
     * Sees the pixels and measurements behind an outcome while they are alive (overlays, report
     * pictures). Arguments belong to the analyzer: copy what you keep.
     */
    public interface Observer {
        /** A photo scored on its own ({@link #score}, a baseline). Called whether or not it passed the gate. */
        default void scored(DecodedPhoto photo, SkinScore score) {
        }

        /** A pair that aligned, both scored on the skin they share. */
        default void compared(DecodedPhoto before, DecodedPhoto after, Comparison comparison) {
        }

        /**
         * Whether {@link #compared} looks at the scores' calibrated pixels ({@code prepared().linear()}); when not,
         * the baseline's are released as soon as it is measured, a 12-megapixel pair's peak memory less by 144 MB.
         */
        default boolean needsPixels() {
            return true;
        }
    }

    /** An observer that looks at nothing. */
    public static final Observer NONE = new Observer() {
        @Override
        public boolean needsPixels() {
            return false;
        }
    };

    /**
     * An area's settings that every photo of it is analysed with.
     *
     * @param mmPerPx the baseline's scale, when known
     * @param roi     the region of interest in the baseline, when not the whole frame
     */
    public record AreaSettings(OptionalDouble mmPerPx, Optional<PixelRect> roi) {
        public static AreaSettings of(Double mmPerPx, PixelRect roi) {
            return new AreaSettings(mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx), Optional.ofNullable(roi));
        }
    }

    /**
     * A stored or listed photo: its name in results (an id, or a file name) and its grey card.
     */
    public record Photo(String name, PhotoSource source, Optional<PixelRect> grayRef) {
        public static Photo of(String name, PhotoSource source, PixelRect grayRef) {
            return new Photo(name, source, Optional.ofNullable(grayRef));
        }
    }

    // --- quality ---

    /**
     * The gate alone: the score's {@code image}, {@code quality}, {@code calibration} and {@code mask},
     * nothing measured. {@link Outcome.Done} when the photo passes.
     */
    public Outcome<ScoreInfo> quality(String name, PhotoSource source, PhotoContext context) throws IOException {
        return onePhoto(source, context, new StageTimer(), photo -> {
            try (PreparedPhoto prepared = preparer.prepare(photo, context)) {
                ScoreInfo info = ScoreInfo.ofQuality(name, photo, prepared);
                return prepared.quality().ok() ? new Outcome.Done<>(info)
                        : new Outcome.GateFailed<>(Which.PHOTO, info, info.quality().issues());
            }
        });
    }

    // --- score ---

    /** One photo on its own: {@link Outcome.Done} when it passed the gate. */
    public Outcome<ScoreInfo> score(String name, PhotoSource source, PhotoContext context, boolean detail, StageTimer timer,
                                    Observer observer) throws IOException {
        return onePhoto(source, context, timer, photo -> {
            Optional<String> overBudget = Budgets.reliefProblem(photo.width(), photo.height(), context.mmPerPx());
            if (overBudget.isPresent()) {
                return new Outcome.Invalid<>(FailureCode.OVER_BUDGET, "photo", overBudget.get());
            }
            try (SkinScore score = measuring().scorer().score(photo, context, timer)) {
                observer.scored(photo, score);
                ScoreInfo info = ScoreInfo.of(name, photo, score, context, detail);
                return score.quality().ok() ? new Outcome.Done<>(info)
                        : new Outcome.GateFailed<>(Which.PHOTO, info, info.quality().issues());
            }
        });
    }

    /**
     * The checks every single-photo analysis starts with, cheapest first: the scale, intake (timed as
     * {@code decode}), the rectangles; then {@code work} on the decoded photo, which is closed after it.
     */
    private <T> Outcome<T> onePhoto(PhotoSource source, PhotoContext context, StageTimer timer,
                                    java.util.function.Function<DecodedPhoto, Outcome<T>> work) throws IOException {
        Optional<Outcome<T>> bad = scaleProblem("mmPerPx", context.mmPerPx());
        if (bad.isPresent()) {
            return bad.get();
        }
        timer.restart();
        DecodeResult r = source.decode(decoder);
        timer.lap("decode");
        if (r.isRefused()) {
            return new Outcome.Refused<>(Which.PHOTO, r.refusal());
        }
        try (DecodedPhoto photo = r.photo()) {
            Optional<Outcome<T>> misfit = misfit(context, photo);
            return misfit.isPresent() ? misfit.get() : work.apply(photo);
        }
    }

    // --- compare ---

    /**
     * A follow-up against its baseline on the skin both show: {@link Outcome.Done} when they aligned and
     * both passed the gate there. A follow-up that fails the gate is reported before a baseline that does.
     */
    public Outcome<CompareInfo> compare(String beforeName, PhotoSource before, String afterName, PhotoSource after,
                                        PairComparer.Request request, StageTimer timer, Observer observer) throws IOException {
        Optional<Outcome<CompareInfo>> bad = scaleProblem("mmPerPx", request.mmPerPx());
        if (bad.isPresent()) {
            return bad.get();
        }
        timer.restart();
        DecodeResult rb = before.decode(decoder);
        if (rb.isRefused()) {
            timer.lap("decode");
            return new Outcome.Refused<>(Which.BASELINE, rb.refusal());
        }
        try (DecodedPhoto b = rb.photo()) {
            DecodeResult ra = after.decode(decoder);
            timer.lap("decode");
            if (ra.isRefused()) {
                return new Outcome.Refused<>(Which.FOLLOW_UP, ra.refusal());
            }
            try (DecodedPhoto a = ra.photo()) {
                Optional<Outcome<CompareInfo>> misfit = outside("roi", request.roi(), b, FailureCode.ROI_OUTSIDE_IMAGE, "the baseline");
                if (misfit.isEmpty()) {
                    misfit = outside("grayRefBefore", request.grayRefBefore(), b, FailureCode.GRAY_REF_OUTSIDE_IMAGE, "the baseline");
                }
                if (misfit.isEmpty()) {
                    misfit = outside("grayRefAfter", request.grayRefAfter(), a, FailureCode.GRAY_REF_OUTSIDE_IMAGE, "the follow-up");
                }
                if (misfit.isEmpty()) {
                    misfit = Analyzer.<CompareInfo>overBudget(b, request.mmPerPx()).or(() -> overBudget(a, request.mmPerPx()));
                }
                if (misfit.isPresent()) {
                    return misfit.get();
                }
                try (Comparison c = measuring().comparer().compare(b, a, request, timer, observer.needsPixels())) {
                    CompareInfo info = CompareInfo.of(beforeName, afterName, b, a, c, request);
                    if (!c.alignment().ok()) {
                        return new Outcome.NotAligned<>(info, info.alignment());
                    }
                    observer.compared(b, a, c);
                    if (!info.after().quality().ok()) {
                        return new Outcome.GateFailed<>(Which.FOLLOW_UP, info, info.after().quality().issues());
                    }
                    if (!info.before().quality().ok()) {
                        return new Outcome.GateFailed<>(Which.BASELINE, info, info.before().quality().issues());
                    }
                    return new Outcome.Done<>(info);
                }
            }
        }
    }

    // --- a photo of an area ---

    /**
     * Analyses one photo of an area, as the workers and the series do alike: with no baseline it is
     * scored on the area's region as the baseline; otherwise it is compared with {@code baseline}.
     * The result names the baseline it was measured against.
     */
    public Outcome<AnalysisResult> analyse(Photo photo, Optional<Photo> baseline, AreaSettings area, StageTimer timer,
                                           Observer observer) throws IOException {
        if (baseline.isEmpty()) {
            PhotoContext context = new PhotoContext(area.mmPerPx(), photo.grayRef(), area.roi());
            Outcome<ScoreInfo> o = score(photo.name(), photo.source(), context, false, timer, observer);
            return map(o, info -> AnalysisResult.ofBaseline(photo.name(), info));
        }
        Photo base = baseline.get();
        PairComparer.Request request = new PairComparer.Request(area.mmPerPx(), base.grayRef(), photo.grayRef(), area.roi());
        Outcome<CompareInfo> o = compare(base.name(), base.source(), photo.name(), photo.source(), request, timer, observer);
        return map(o, info -> AnalysisResult.ofFollowUp(base.name(), info));
    }

    /**
     * Whether a photo can be an area's baseline: it decodes, its rectangles fit, and it passes the gate on
     * the area's region. The same judgement {@link #analyse} makes of a baseline, without measuring.
     */
    public boolean usableAsBaseline(Photo photo, AreaSettings area) throws IOException {
        return quality(photo.name(), photo.source(), new PhotoContext(area.mmPerPx(), photo.grayRef(), area.roi())).done();
    }

    private Services measuring() {
        if (services == null) {
            throw new IllegalStateException("this analyzer only checks photos (gateOnly): build it from Services to measure");
        }
        return services;
    }

    private static <T> Optional<Outcome<T>> overBudget(DecodedPhoto photo, OptionalDouble mmPerPx) {
        return Budgets.reliefProblem(photo.width(), photo.height(), mmPerPx)
                .map(message -> new Outcome.Invalid<>(FailureCode.OVER_BUDGET, "photo", message));
    }

    private static <T> Optional<Outcome<T>> misfit(PhotoContext context, DecodedPhoto photo) {
        Optional<Outcome<T>> misfit = outside("roi", context.roi(), photo, FailureCode.ROI_OUTSIDE_IMAGE, "the photo");
        return misfit.isPresent() ? misfit : outside("grayRef", context.grayRef(), photo, FailureCode.GRAY_REF_OUTSIDE_IMAGE,
                "the photo");
    }

    private static <A, B> Outcome<B> map(Outcome<A> o, java.util.function.Function<A, B> f) {
        if (o instanceof Outcome.Done<A> d) {
            return new Outcome.Done<>(f.apply(d.value()));
        }
        if (o instanceof Outcome.GateFailed<A> g) {
            return new Outcome.GateFailed<>(g.which(), f.apply(g.value()), g.issues());
        }
        if (o instanceof Outcome.NotAligned<A> n) {
            return new Outcome.NotAligned<>(f.apply(n.value()), n.alignment());
        }
        if (o instanceof Outcome.Refused<A> r) {
            return new Outcome.Refused<>(r.which(), r.refusal());
        }
        Outcome.Invalid<A> i = (Outcome.Invalid<A>) o;
        return new Outcome.Invalid<>(i.code(), i.field(), i.message());
    }

    private static <T> Optional<Outcome<T>> scaleProblem(String field, OptionalDouble mmPerPx) {
        if (mmPerPx.isEmpty()) {
            return Optional.empty();
        }
        return Budgets.scaleProblem(field, mmPerPx.getAsDouble())
                .map(message -> new Outcome.Invalid<>(FailureCode.INVALID_REQUEST, field, message));
    }

    private static <T> Optional<Outcome<T>> outside(String field, Optional<PixelRect> rect, DecodedPhoto photo, FailureCode code,
                                                    String which) {
        if (rect.isEmpty() || rect.get().fitsIn(photo.width(), photo.height())) {
            return Optional.empty();
        }
        String what = code == FailureCode.ROI_OUTSIDE_IMAGE ? "The region of interest" : "The grey card rectangle";
        return Optional.of(new Outcome.Invalid<>(code, field, what + " " + field + "=" + rect.get() + " does not lie inside "
                + which + " (" + photo.width() + "x" + photo.height() + " px, upright); give x,y,w,h in its upright pixels."));
    }
}
