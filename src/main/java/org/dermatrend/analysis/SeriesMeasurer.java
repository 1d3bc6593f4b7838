package org.dermatrend.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.dermatrend.compare.Comparison;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.trend.TrendBuilder;
import org.dermatrend.wire.AnalysisResult;
import org.dermatrend.wire.TrendInfo;

/**
 * Measures one area's photos on the spot, exactly as the service's workers analyse them
 * ({@link Analyzer#analyse}), for offline trends, the report's pictures and the repeatability study.
 * The baseline is the first photo by date that is usable (decodes, fits, passes the gate on the region);
 * photos before it are listed with their reason, and every later photo is compared with it.
 */
public final class SeriesMeasurer {
    private final Analyzer analyzer;

    public SeriesMeasurer(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    /**
     * One session's photo.
     *
     * @param grayRef the grey card rectangle, or null
     * @param mmPerPx the photo's scale; only the baseline's is used (the others follow from the alignment)
     */
    public record Photo(LocalDate date, String name, byte[] bytes, PixelRect grayRef, Double mmPerPx) {
        Analyzer.Photo toAnalyzer() {
            return Analyzer.Photo.of(name, PhotoSource.of(bytes), grayRef);
        }
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
        List<Photo> sorted = photos.stream().sorted(Comparator.comparing(Photo::date)).toList();
        List<Sessions.Entry> entries = new ArrayList<>();
        Photo baseline = null;
        for (Photo p : sorted) {
            boolean post = TrendBuilder.postTreatment(p.date(), treatments);
            Photo base = baseline;
            Analyzer.AreaSettings area = Analyzer.AreaSettings.of(base == null ? p.mmPerPx() : base.mmPerPx(), roi);
            Outcome<AnalysisResult> o;
            try {
                o = analyzer.analyse(p.toAnalyzer(), Optional.ofNullable(base).map(Photo::toAnalyzer), area, new StageTimer(),
                        forward(p, observer));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (base == null && o.done()) {
                baseline = p;
            }
            entries.add(Sessions.of(p.date(), p.name(), post, o));
        }
        return Sessions.assemble(entries);
    }

    /** Shows {@code observer} a photo only when it is usable: it (and, for a pair, its baseline) passed the gate. */
    private static Analyzer.Observer forward(Photo p, Observer observer) {
        return new Analyzer.Observer() {
            @Override
            public void scored(DecodedPhoto photo, SkinScore score) {
                if (score.quality().ok()) {
                    observer.baseline(p, photo, score);
                }
            }

            @Override
            public void compared(DecodedPhoto before, DecodedPhoto after, Comparison c) {
                boolean usable = c.before().map(s -> s.quality().ok()).orElse(false)
                        && c.after().map(s -> s.quality().ok()).orElse(false);
                if (usable) {
                    observer.followUp(p, after, c);
                }
            }
        };
    }
}
