package org.dermatrend.prepare;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time spent in each pipeline stage, in milliseconds, for {@code score --timings} and the
 * benchmarks. Not thread-safe: one per photo.
 */
public final class StageTimer {
    private final Map<String, Double> millis = new LinkedHashMap<>();
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

    public Map<String, Double> millis() {
        return Map.copyOf(millis);
    }

    /** Stages in the order they ran. */
    public Map<String, Double> ordered() {
        return new LinkedHashMap<>(millis);
    }

    /** {@code " decode 81 ms mask 501 ms ... (total 1152 ms)"}: the stages in order, for a timings line. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : millis.entrySet()) {
            sb.append(String.format(" %s %.0f ms", e.getKey(), e.getValue()));
            total += e.getValue();
        }
        return sb.append(String.format(" (total %.0f ms)", total)).toString();
    }
}
