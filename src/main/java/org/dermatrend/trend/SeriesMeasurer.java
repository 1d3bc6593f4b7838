package org.dermatrend.trend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.analysis.Services;
import org.dermatrend.compare.Comparison;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.wire.ChangeInfo;
import org.dermatrend.wire.CompareInfo;
import org.dermatrend.wire.ScoreInfo;
import org.dermatrend.wire.TrendInfo;

/**
 * Measures one area's photos as the service's analyses do, for offline trends and the repeatability
 * study: the first photo (by date) that decodes and passes the quality gate is the baseline, scored
 * on the region of interest; every later photo is aligned to it and both are scored on the skin they
 * share. Photos that cannot be used are listed with the reason.
 */
public final class SeriesMeasurer {
    private static final ObjectMapper TREES = new ObjectMapper();

    private final Services services;

    public SeriesMeasurer(Services services) {
        this.services = services;
    }

    /**
     * One session's photo.
     *
     * @param grayRef the grey card rectangle, or null
     * @param mmPerPx the photo's scale; only the baseline's is used (the others follow from the alignment)
     */
    public record Photo(LocalDate date, String name, byte[] bytes, PixelRect grayRef, Double mmPerPx) {
    }

    /**
     * Sees each usable photo while its pixels and score are alive (the report draws from them). The
     * arguments are owned by the measurer: copy what you keep.
     */
    public interface Observer {
        void baseline(Photo photo, DecodedPhoto decoded, SkinScore score);

        void followUp(Photo photo, DecodedPhoto after, Comparison comparison);
    }

    /** An observer that looks at nothing. */
    public static final Observer NONE = new Observer() {
        @Override
        public void baseline(Photo photo, DecodedPhoto decoded, SkinScore score) {
        }

        @Override
        public void followUp(Photo photo, DecodedPhoto after, Comparison comparison) {
        }
    };

    /** The sessions in date order, with post-treatment flags from {@code treatments}. */
    public List<TrendInfo.Session> measure(List<Photo> photos, PixelRect roi, List<LocalDate> treatments) {
        return measure(photos, roi, treatments, NONE);
    }

    /** As {@link #measure(List, PixelRect, List)}, showing every usable photo to {@code observer}. */
    public List<TrendInfo.Session> measure(List<Photo> photos, PixelRect roi, List<LocalDate> treatments, Observer observer) {
        List<Photo> sorted = photos.stream().sorted(java.util.Comparator.comparing(Photo::date)).toList();
        List<TrendInfo.Session> out = new ArrayList<>();
        DecodedPhoto baseline = null;
        Photo baselinePhoto = null;
        Map<MetricKey, Double> baselineOwn = null;
        try {
            for (Photo p : sorted) {
                boolean post = TrendBuilder.postTreatment(p.date(), treatments);
                DecodeResult r = services.decoder().decode(p.bytes());
                if (r.isRefused()) {
                    out.add(unusable(p, r.refusal().code().code(), post));
                    continue;
                }
                DecodedPhoto decoded = r.photo();
                if (p.grayRef() != null && !p.grayRef().fitsIn(decoded.width(), decoded.height())) {
                    decoded.close();
                    out.add(unusable(p, "gray_ref_outside_image", post));
                    continue;
                }
                if (baseline == null) {
                    PhotoContext context = new PhotoContext(p.mmPerPx() == null ? OptionalDouble.empty() : OptionalDouble.of(p.mmPerPx()),
                            fitting(p.grayRef(), decoded), fitting(roi, decoded));
                    try (SkinScore score = services.scorer().score(decoded, context, new StageTimer())) {
                        ScoreInfo info = ScoreInfo.of(p.name(), decoded, score, context, false);
                        if (!info.quality().ok()) {
                            decoded.close();
                            out.add(unusable(p, "quality_failed:" + errors(info), post));
                            continue;
                        }
                        baselineOwn = info.metrics();
                        observer.baseline(p, decoded, score);
                        out.add(new TrendInfo.Session(p.date(), p.name(), null, null, null, true, null, post, warnings(info),
                                MetricKey.byJson(baselineOwn)));
                        baseline = decoded;
                        baselinePhoto = p;
                    }
                    continue;
                }
                try (DecodedPhoto after = decoded) {
                    PairComparer.Request request = new PairComparer.Request(
                            baselinePhoto.mmPerPx() == null ? OptionalDouble.empty() : OptionalDouble.of(baselinePhoto.mmPerPx()),
                            fitting(baselinePhoto.grayRef(), baseline), fitting(p.grayRef(), after), fitting(roi, baseline));
                    try (Comparison c = services.comparer().compare(baseline, after, request, new StageTimer())) {
                        CompareInfo info = CompareInfo.of(baselinePhoto.name(), p.name(), baseline, after, c, request);
                        if (!info.alignment().ok()) {
                            out.add(unusable(p, "alignment_refused:" + info.alignment().reason(), post));
                        } else if (!info.after().quality().ok()) {
                            out.add(unusable(p, "quality_failed:" + errors(info.after()), post));
                        } else {
                            observer.followUp(p, after, c);
                            out.add(new TrendInfo.Session(p.date(), p.name(), null, null, null, true, null, post,
                                    warnings(info.after()), MetricKey.byJson(TrendBuilder.anchored(baselineOwn,
                                    info.before().metrics(), info.after().metrics()))));
                        }
                    }
                }
            }
        } finally {
            if (baseline != null) {
                baseline.close();
            }
        }
        return out;
    }

    private static Optional<PixelRect> fitting(PixelRect r, DecodedPhoto photo) {
        if (r == null) {
            return Optional.empty();
        }
        if (!r.fitsIn(photo.width(), photo.height())) {
            throw new IllegalArgumentException("rectangle " + r + " does not lie inside a " + photo.width() + "x" + photo.height()
                    + " photo");
        }
        return Optional.of(r);
    }

    private static TrendInfo.Session unusable(Photo p, String reason, boolean post) {
        return new TrendInfo.Session(p.date(), p.name(), null, null, null, false, reason, post, null, null);
    }

    private static String errors(ScoreInfo info) {
        return String.join(",", info.quality().issues().stream().filter(i -> i.severity().equals("error"))
                .map(i -> i.code()).toList());
    }

    private static List<String> warnings(ScoreInfo info) {
        List<String> w = info.quality().issues().stream().filter(i -> i.severity().equals("warning")).map(i -> i.code()).toList();
        return w.isEmpty() ? null : w;
    }
}
