package org.dermatrend.analysis;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.measure.ConfigScars;
import org.dermatrend.quality.ConfigQuality;
import org.dermatrend.relief.ReliefInput;

/**
 * The bounds every request is checked against before anything expensive runs, in one place for the CLI,
 * the HTTP endpoints, the areas and the workers. docs/api.md ("Limits") explains each.
 *
 * <p><b>Scale.</b> {@code mmPerPx} must lie in [{@value #MIN_MM_PER_PX}, {@value #MAX_MM_PER_PX}] mm per
 * pixel. The finest end is a dermatoscope-like macro (a 4000-px frame then spans 8 mm); the coarsest is
 * twice the gate's pore-resolution limit (0.10 mm/px), so a photo that is too coarse is still told so by
 * the gate, while a scale no skin close-up can have (1 mm/px is a whole torso in 4000 px) is refused
 * outright: every stage's working size follows from the scale, and such values only make work.
 *
 * <p><b>Pixels.</b> Stored uploads are decoded up to the intake cap (50 MP by default); the synchronous
 * endpoints take up to {@value #DEFAULT_SYNC_MAX_PIXELS} pixels by default ({@code serve --sync-max-megapixels}),
 * since they hold a request thread and a scoring slot while they work. Every stage's working image is
 * at most the decoded photo's size (mask, gate, pores and redness only shrink), except the scar relief,
 * resampled to {@link ReliefInput#MM_PER_PX}: it runs only on photos that pass the gate, whose scale is
 * then at most the gate's limit (0.10 / 0.08 mm/px, so at most 1.56 times the photo), and
 * {@link #reliefProblem} refuses a photo whose relief would exceed {@value #MAX_RELIEF_PIXELS} pixels.
 */
public final class Budgets {
    /** Finest accepted scale, mm per pixel. */
    public static final double MIN_MM_PER_PX = 0.002;
    /** Coarsest accepted scale, mm per pixel. */
    public static final double MAX_MM_PER_PX = 0.2;
    /** Default pixel cap of {@code POST /v1/score} and {@code POST /v1/compare} (24 MP). */
    public static final long DEFAULT_SYNC_MAX_PIXELS = 24_000_000L;
    /** Largest relief working image, pixels (80 MP: about 1 GB per float image). */
    public static final long MAX_RELIEF_PIXELS = ReliefInput.MAX_CANONICAL_PIXELS;

    private Budgets() {
    }

    /** What is wrong with a scale, naming the field, the range and what to do; empty when it is fine. */
    public static Optional<String> scaleProblem(String field, double mmPerPx) {
        if (Double.isFinite(mmPerPx) && mmPerPx >= MIN_MM_PER_PX && mmPerPx <= MAX_MM_PER_PX) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s must be between %s and %s mm per pixel (skin close-ups), got %s. "
                        + "Measure it from a ruler or sticker in the frame: its length in mm divided by its length in pixels "
                        + "(a 12 MP phone photo of a cheek is about 0.02-0.03).", field, MIN_MM_PER_PX, MAX_MM_PER_PX,
                Double.toString(mmPerPx)));
    }

    /**
     * Checks a scale given by a client: the one check every entry point calls (the HTTP layer answers an
     * {@link InvalidRequest} with a 400 naming the field, the CLI with exit 2).
     *
     * @throws InvalidRequest naming {@code field} when it is outside the range
     */
    public static OptionalDouble requireScale(String field, Double mmPerPx) {
        if (mmPerPx == null) {
            return OptionalDouble.empty();
        }
        Optional<String> problem = scaleProblem(field, mmPerPx);
        if (problem.isPresent()) {
            throw new InvalidRequest(field, problem.get());
        }
        return OptionalDouble.of(mmPerPx);
    }

    /**
     * What is wrong with measuring a photo's scars at its size and scale, or empty when the relief stage
     * stays within {@link #MAX_RELIEF_PIXELS}. The stage runs only past the gate, so a scale coarser than
     * the gate's limit counts as that limit; without a scale, the assumed one.
     */
    public static Optional<String> reliefProblem(int width, int height, OptionalDouble mmPerPx) {
        double scale = Math.min(mmPerPx.orElse(ConfigScars.defaults().fallbackMmPerPx()), ConfigQuality.defaults().maxMmPerPx());
        double f = ReliefInput.factor(scale);
        double pixels = (double) width * height * f * f;
        if (pixels <= MAX_RELIEF_PIXELS) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "A %dx%d photo at %s mm/px would make a %.0f-megapixel scar relief, over "
                + "the %d-megapixel budget: send it at a lower resolution (at most %.0f megapixels at this scale).", width, height,
                Double.toString(scale), pixels / 1e6, MAX_RELIEF_PIXELS / 1_000_000, MAX_RELIEF_PIXELS / (f * f) / 1e6));
    }

    /** A request value the analysis does not accept, with the field it names. */
    public static final class InvalidRequest extends IllegalArgumentException {
        private final String field;

        public InvalidRequest(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
