package org.dermatrend.prepare;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Wall-clock time spent in each pipeline stage, in milliseconds, for {@code score --timings} and the
 * benchmarks. Stages run one after the other are timed by {@link #lap}; a stage that ran on another thread
 * beside them is added by {@link #beside} and counts in its own time but not in the total (which stays the
 * wall-clock time of the analysis). Not thread-safe: one per photo, used by the thread that runs it.
 */
public final class StageTimer {
    private final Map<String, Double> millis = new LinkedHashMap<>();
    private final Map<String, Double> beside = new LinkedHashMap<>();
    private long start = System.nanoTime();

    /** Ends the running stage under {@code name} and starts the next. */
    public void lap(String name) {
        long now = System.nanoTime();
        millis.merge(name, (now - start) / 1e6, Double::sum);
        start = now;
    }

    /** Restarts the clock without recording (time spent outside the pipeline). */
    public void restart() {
        start = System.nanoTime();
    }

    /**
     * Records {@code ms} of a stage that ran on another thread while the timed stages ran (so it does not add to the
     * wall-clock total).
     */
    public void beside(String name, double ms) {
        beside.merge(name, ms, Double::sum);
    }

    /** Every stage's time, the ones run beside the others included. */
    public Map<String, Double> millis() {
        return Map.copyOf(ordered());
    }

    /** Stages in the order they ran, then the ones run beside them. */
    public Map<String, Double> ordered() {
        Map<String, Double> all = new LinkedHashMap<>(millis);
        beside.forEach((k, v) -> all.merge(k, v, Double::sum));
        return all;
    }

    /**
     * {@code " decode 81 ms mask 501 ms ... (total 1152 ms)"}: the stages in order, for a timings line; stages that ran
     * beside them follow the total, {@code " (total 1152 ms; beside them: scars 410 ms)"}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : millis.entrySet()) {
            sb.append(String.format(Locale.ROOT, " %s %.0f ms", e.getKey(), e.getValue()));
            total += e.getValue();
        }
        sb.append(String.format(Locale.ROOT, " (total %.0f ms", total));
        String sep = "; beside them:";
        for (Map.Entry<String, Double> e : beside.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%s %s %.0f ms", sep, e.getKey(), e.getValue()));
            sep = ",";
        }
        return sb.append(')').toString();
    }
}
