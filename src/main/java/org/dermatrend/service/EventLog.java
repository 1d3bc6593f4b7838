package org.dermatrend.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The service's structured log: one JSON object per line for each request and each finished
 * analysis, on the SLF4J logger {@code dermatrend.events}. What goes in is fixed here: route
 * templates, ids, statuses, codes and timings. Never photo bytes, file names or patient references
 * (a patient is named by id only; request bodies and paths with their ids are not logged).
 */
public final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> sink;
    private final Clock clock;

    public EventLog(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** The log the service writes: the {@code dermatrend.events} logger at INFO. */
    public static EventLog slf4j(Clock clock) {
        org.slf4j.Logger log = LoggerFactory.getLogger("dermatrend.events");
        return new EventLog(log::info, clock);
    }

    /**
     * @param route    the route template ({@code /v1/patients/{patientId}}), never the path with ids
     * @param clinicId the caller's clinic, or null before authentication
     */
    public void request(String method, String route, int status, double millis, String clinicId, String keyId, String problemCode) {
        Map<String, Object> e = event("request");
        e.put("method", method);
        e.put("route", route);
        e.put("status", status);
        e.put("ms", Math.round(millis * 10) / 10.0);
        put(e, "clinic", clinicId);
        put(e, "key", keyId);
        put(e, "problem", problemCode);
        write(e);
    }

    public void analysis(String analysisId, String clinicId, int attempt, String outcome, double millis) {
        Map<String, Object> e = event("analysis");
        e.put("analysis", analysisId);
        e.put("clinic", clinicId);
        e.put("attempt", attempt);
        e.put("outcome", outcome);
        e.put("ms", Math.round(millis));
        write(e);
    }

    private Map<String, Object> event(String name) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("ts", clock.instant().toString());
        e.put("event", name);
        return e;
    }

    private static void put(Map<String, Object> e, String key, Object value) {
        if (value != null) {
            e.put(key, value);
        }
    }

    private void write(Map<String, Object> e) {
        try {
            sink.accept(JSON.writeValueAsString(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", ex);
        }
    }
}
