package org.dermatrend.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogTest {
    @Test
    void writesOneJsonObjectPerEventWithIdsOnly() throws Exception {
        List<String> lines = new ArrayList<>();
        EventLog log = new EventLog(lines::add, Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));
        log.request("POST", "/v1/sessions/{sessionId}/photos", 201, 31.27, "c-1", "k-1", null);
        log.request("GET", "unmatched", 401, 0.4, null, null, "unauthenticated");
        log.analysis("a-1", "c-1", 1, "done", 2512.6);
        ObjectMapper json = new ObjectMapper();
        assertEquals(Map.of("ts", "2026-11-26T10:00:00Z", "event", "request", "method", "POST",
                "route", "/v1/sessions/{sessionId}/photos", "status", 201, "ms", 31.3, "clinic", "c-1", "key", "k-1"),
                json.readValue(lines.get(0), Map.class));
        assertEquals("unauthenticated", json.readTree(lines.get(1)).get("problem").asText());
        assertEquals(2513, json.readTree(lines.get(2)).get("ms").asInt());
    }
}
