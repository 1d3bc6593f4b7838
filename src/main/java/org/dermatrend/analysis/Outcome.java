package org.dermatrend.analysis;

import java.util.List;
import java.util.Objects;
import org.dermatrend.decode.Refusal;
import org.dermatrend.quality.QualityIssue;
import org.dermatrend.wire.AlignmentInfo;

/**
 * How an analysis ended: {@link Done} with its value, or one of the expected ways to end without one.
 * Every caller (the CLI commands, the HTTP endpoints, the workers, the trend and the report) only maps an
 * outcome to its own output; none repeats the pipeline. A bug is an exception, never an outcome.
 *
 * @param <T> the value: a score, a comparison or a stored analysis' result
 */
public sealed interface Outcome<T> permits Outcome.Done, Outcome.Refused, Outcome.Invalid, Outcome.GateFailed,
        Outcome.NotAligned {

    /** The failure's code; {@code null} for {@link Done}. */
    FailureCode code();

    /** A sentence saying what went wrong and what to do; {@code null} for {@link Done}. */
    String message();

    default boolean done() {
        return this instanceof Done;
    }

    /** The value when done, or the partial value a failure carries (gate failed, not aligned), or null. */
    T valueOrNull();

    /**
     * What the failure is about, after its code: the gate's error codes, the aligner's reason, the intake
     * refusal's code, or the field at fault; {@code null} for {@link Done}.
     */
    default String detail() {
        if (this instanceof GateFailed<T> g) {
            return String.join(",", g.issues().stream().filter(i -> i.severity().equals("error")).map(QualityIssue::code).toList());
        }
        if (this instanceof NotAligned<T> n) {
            return n.alignment().reason();
        }
        if (this instanceof Refused<T> r) {
            return r.refusal().code().code();
        }
        if (this instanceof Invalid<T> i) {
            return i.field();
        }
        return null;
    }

    /**
     * What a trend lists as the reason a session is not in its series: {@code code:detail}
     * ({@code quality_failed:blurred}); {@code null} for {@link Done}.
     */
    default String reason() {
        return done() ? null : reason(code().code(), detail());
    }

    /** {@code code:detail}, or the code alone without a detail: the one spelling of a session's reason. */
    static String reason(String code, String detail) {
        return detail == null || detail.isEmpty() ? code : code + ":" + detail;
    }

    /** Scored, compared or analysed. */
    record Done<T>(T value) implements Outcome<T> {
        public Done {
            Objects.requireNonNull(value);
        }

        @Override
        public FailureCode code() {
            return null;
        }

        @Override
        public String message() {
            return null;
        }

        @Override
        public T valueOrNull() {
            return value;
        }
    }

    /** A photo was refused at intake; nothing was measured. */
    record Refused<T>(Which which, Refusal refusal) implements Outcome<T> {
        @Override
        public FailureCode code() {
            return which == Which.BASELINE ? FailureCode.BASELINE_REFUSED : FailureCode.IMAGE_REFUSED;
        }

        @Override
        public String message() {
            return switch (which) {
                case PHOTO -> refusal.message();
                case BASELINE -> "Baseline: " + refusal.message();
                case FOLLOW_UP -> "Follow-up: " + refusal.message();
            };
        }

        @Override
        public T valueOrNull() {
            return null;
        }
    }

    /**
     * The request does not fit the photo or the analysis' bounds; nothing expensive ran.
     *
     * @param field the request field at fault, as the API names it (e.g. {@code mmPerPx}, {@code roi})
     */
    record Invalid<T>(FailureCode code, String field, String message) implements Outcome<T> {
        @Override
        public T valueOrNull() {
            return null;
        }
    }

    /**
     * A photo failed the quality gate. {@code value} holds what was measured (the gate's checks, pores
     * and redness; never scars) so that a person can see why.
     */
    record GateFailed<T>(Which which, T value, List<QualityIssue> issues) implements Outcome<T> {
        @Override
        public FailureCode code() {
            return which == Which.BASELINE ? FailureCode.BASELINE_QUALITY_FAILED : FailureCode.QUALITY_FAILED;
        }

        /** The gate's error messages, joined: what to fix when retaking the photo. */
        public String errors() {
            return String.join("; ", issues.stream().filter(i -> i.severity().equals("error")).map(QualityIssue::message).toList());
        }

        @Override
        public String message() {
            String errors = errors();
            return switch (which) {
                case PHOTO -> "The photo failed the quality gate: " + errors;
                case BASELINE -> "The baseline photo fails the quality gate on the region both photos share, so no change "
                        + "can be measured against it: " + errors;
                case FOLLOW_UP -> "The follow-up photo failed the quality gate: " + errors;
            };
        }

        @Override
        public T valueOrNull() {
            return value;
        }
    }

    /** The photos could not be shown to be the same skin; {@code value} holds the alignment alone. */
    record NotAligned<T>(T value, AlignmentInfo alignment) implements Outcome<T> {
        @Override
        public FailureCode code() {
            return FailureCode.ALIGNMENT_REFUSED;
        }

        @Override
        public String message() {
            return "The photos could not be shown to be the same skin (" + alignment.reason() + "): " + alignment.message();
        }

        @Override
        public T valueOrNull() {
            return value;
        }
    }
}
