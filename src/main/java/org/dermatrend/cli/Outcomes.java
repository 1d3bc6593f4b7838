package org.dermatrend.cli;

import org.dermatrend.analysis.Outcome;
import org.dermatrend.wire.ErrorInfo;

/**
 * How the commands map the pipeline's outcomes: the error line of a photo that was not analysed, and
 * the exit status of a run: 2 a request value did not fit a photo (a rectangle outside it: bad usage),
 * 1 a photo was refused at intake, 3 not aligned, 4 failed the gate, 0 all done; the first that applies.
 */
final class Outcomes {
    private boolean invalid;
    private boolean refused;
    private boolean unaligned;
    private boolean failedGate;

    /** Counts an outcome towards the exit status; returns it. */
    <T> Outcome<T> record(Outcome<T> o) {
        invalid |= o instanceof Outcome.Invalid;
        refused |= o instanceof Outcome.Refused;
        unaligned |= o instanceof Outcome.NotAligned;
        failedGate |= o instanceof Outcome.GateFailed;
        return o;
    }

    int status() {
        return invalid ? 2 : refused ? 1 : unaligned ? 3 : failedGate ? 4 : 0;
    }

    /** Refused at intake or not fitting the request: nothing was measured, the line is an error. */
    static boolean notAnalysed(Outcome<?> o) {
        return o instanceof Outcome.Refused || o instanceof Outcome.Invalid;
    }

    /** The error of an outcome that was not analysed: the intake refusal's own code, or the failure code. */
    static ErrorInfo error(Outcome<?> o) {
        String code = o instanceof Outcome.Refused<?> r ? r.refusal().code().code() : o.code().code();
        return new ErrorInfo(code, o.message());
    }
}
