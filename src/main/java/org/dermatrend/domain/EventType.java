package org.dermatrend.domain;

import java.util.List;
import java.util.Optional;

/** What a webhook is told about. The labels are the {@code type} of the event body (Standard Webhooks style). */
public enum EventType {
    /** An analysis finished with a result. */
    ANALYSIS_DONE("analysis.done"),
    /** An analysis finished without one (its failure code says why). */
    ANALYSIS_FAILED("analysis.failed"),
    /** A rated metric's verdict in an area's trend changed (say, stable to improving). */
    TREND_VERDICT_CHANGED("trend.verdict_changed"),
    /** Sent by {@code POST /v1/webhooks/{id}/test} to that endpoint only; not subscribable. */
    WEBHOOK_TEST("webhook.test");

    private final String label;

    EventType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The types an endpoint may subscribe to. */
    public static List<EventType> subscribable() {
        return List.of(ANALYSIS_DONE, ANALYSIS_FAILED, TREND_VERDICT_CHANGED);
    }

    public static Optional<EventType> parse(String label) {
        for (EventType t : values()) {
            if (t.label.equals(label)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
