package org.dermatrend.compare;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomRenderer;
import org.dermatrend.synth.TreatmentSeries;

/**
 * Two sessions of one synthetic treatment course (1000×750 at {@value #MM_PER_PX} mm/px, a grey card in each),
 * rendered and decoded: the pair the comparison and wire tests measure. Close it.
 */
public final class PhantomPair implements AutoCloseable {
    public static final double MM_PER_PX = 0.025;
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 750;

    private final Phantom first;
    private final Phantom second;
    private final DecodedPhoto before;
    private final DecodedPhoto after;

    private PhantomPair(Phantom first, Phantom second, DecodedPhoto before, DecodedPhoto after) {
        this.first = first;
        this.second = second;
        this.before = before;
        this.after = after;
    }

    /** The course's first two sessions for {@code seed}, decoded by {@code decoder}. */
    public static PhantomPair render(long seed, PhotoDecoder decoder) {
        OpenCvNatives.load();
        List<TreatmentSeries.Session> sessions = TreatmentSeries.sessions(seed, 2, WIDTH, HEIGHT, MM_PER_PX,
                LocalDate.of(2026, 1, 5), 1, 3);
        PhantomRenderer renderer = new PhantomRenderer();
        Phantom first = renderer.render(sessions.get(0).spec());
        Phantom second = null;
        DecodedPhoto before = null;
        try {
            second = renderer.render(sessions.get(1).spec());
            before = decoder.decode(first.encoded()).photo();
            return new PhantomPair(first, second, before, decoder.decode(second.encoded()).photo());
        } catch (RuntimeException e) {
            if (before != null) {
                before.close();
            }
            if (second != null) {
                second.close();
            }
            first.close();
            throw e;
        }
    }

    public DecodedPhoto before() {
        return before;
    }

    public DecodedPhoto after() {
        return after;
    }

    /** The baseline's grey card, in its pixels. */
    public Optional<PixelRect> cardBefore() {
        return card(first);
    }

    /** The comparison request for this pair: its scale and both grey cards, no region of interest. */
    public PairComparer.Request request() {
        return new PairComparer.Request(OptionalDouble.of(MM_PER_PX), card(first), card(second), Optional.empty());
    }

    private static Optional<PixelRect> card(Phantom p) {
        int[] r = TreatmentSeries.cardRect(p.truth().grayCard(), WIDTH, HEIGHT);
        return r == null ? Optional.empty() : Optional.of(new PixelRect(r[0], r[1], r[2], r[3]));
    }

    @Override
    public void close() {
        after.close();
        before.close();
        second.close();
        first.close();
    }
}
