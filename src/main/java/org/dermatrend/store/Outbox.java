package org.dermatrend.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.dermatrend.domain.EventType;
import org.jdbi.v3.core.Handle;

/**
 * The transactional outbox of webhook events: an event and its deliveries are written inside the
 * transaction that makes the event happen (an analysis result, a verdict change), so either both are
 * stored or neither is, and a crash after the commit only delays the delivery. The body is fixed here,
 * once; every attempt sends the same bytes under the same {@code webhook-id}.
 *
 * <p>The body is {@code {"type", "timestamp", "data"}} (the Standard Webhooks layout). {@code data}
 * carries record ids and what happened, never a patient's reference or a picture.
 */
final class Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Outbox() {
    }

    /**
     * Writes the event and one pending delivery, due now, per enabled endpoint of the clinic that takes its
     * type ({@code onlyWebhookId}: that endpoint alone, whatever it takes).
     *
     * @return the event's id ({@code msg_…}), or empty when no endpoint takes it (nothing is written)
     */
    static Optional<String> write(Handle h, Dialect dialect, String clinicId, EventType type, Map<String, Object> data, Instant at,
                                  String onlyWebhookId) {
        List<String> targets = new ArrayList<>();
        // On PostgreSQL the endpoints are held until the commit: an endpoint deleted meanwhile would otherwise break
        // the deliveries' foreign key and roll back the analysis result this event belongs to.
        var query = h.createQuery("SELECT id, events FROM webhooks WHERE clinic_id = :clinic AND disabled_at IS NULL"
                + (onlyWebhookId == null ? "" : " AND id = :only") + (dialect == Dialect.POSTGRESQL ? " FOR KEY SHARE" : ""))
                .bind("clinic", clinicId);
        if (onlyWebhookId != null) {
            query.bind("only", onlyWebhookId);
        }
        for (Map<String, Object> w : query.mapToMap().list()) {
            if (onlyWebhookId != null || List.of(((String) w.get("events")).split(",")).contains(type.label())) {
                targets.add((String) w.get("id"));
            }
        }
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.label());
        body.put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("data", data);
        String payload;
        try {
            payload = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data must be plain values: " + e.getOriginalMessage(), e);
        }
        h.createUpdate("INSERT INTO webhook_events (id, clinic_id, type, payload, created_at) VALUES (:id, :clinic, :type, :payload, :at)")
                .bind("id", id).bind("clinic", clinicId).bind("type", type.label()).bind("payload", payload)
                .bind("at", Database.utc(at)).execute();
        for (String webhook : targets) {
            h.createUpdate("INSERT INTO webhook_deliveries (id, webhook_id, event_id, clinic_id, state, attempts, next_attempt_at, "
                            + "created_at) VALUES (:id, :webhook, :event, :clinic, 'pending', 0, :at, :at)")
                    .bind("id", UUID.randomUUID().toString()).bind("webhook", webhook).bind("event", id).bind("clinic", clinicId)
                    .bind("at", Database.utc(at)).execute();
        }
        return Optional.of(id);
    }

    /**
     * After an analysis reached done or failed in this transaction: its event for the endpoints that take
     * it, and a request to compare its area's verdicts ({@code trend_checks}). Nothing when its photo was
     * erased meanwhile.
     */
    static void analysisFinished(Handle h, Dialect dialect, String analysisId, Instant at) {
        Optional<Map<String, Object>> row = h.createQuery("SELECT n.clinic_id, n.photo_id, n.state, n.failure_code, n.redo_reason, "
                        + "p.session_id, p.area_id, a.patient_id FROM analyses n JOIN photos p ON p.id = n.photo_id "
                        + "JOIN areas a ON a.id = p.area_id WHERE n.id = :id")
                .bind("id", analysisId).mapToMap().findOne();
        if (row.isEmpty()) {
            return;
        }
        Map<String, Object> r = row.get();
        String clinic = (String) r.get("clinic_id");
        boolean done = "done".equals(r.get("state"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("analysisId", analysisId);
        data.put("state", r.get("state"));
        if (!done) {
            data.put("failureCode", r.get("failure_code"));
        }
        data.put("photoId", r.get("photo_id"));
        data.put("sessionId", r.get("session_id"));
        data.put("areaId", r.get("area_id"));
        data.put("patientId", r.get("patient_id"));
        if (r.get("redo_reason") != null) {
            data.put("redoReason", r.get("redo_reason"));
        }
        write(h, dialect, clinic, done ? EventType.ANALYSIS_DONE : EventType.ANALYSIS_FAILED, data, at, null);
        requestTrendCheck(h, dialect, clinic, (String) r.get("area_id"), at);
    }

    /** Asks for the area's verdicts to be compared again (at most one request an area; a newer one replaces it). */
    static void requestTrendCheck(Handle h, Dialect dialect, String clinicId, String areaId, Instant at) {
        RecordEdits.lock(h, dialect, "trend|" + areaId);
        int updated = h.createUpdate("UPDATE trend_checks SET requested_at = :at WHERE area_id = :area")
                .bind("at", Database.utc(at)).bind("area", areaId).execute();
        if (updated == 0) {
            // A duplicate only on H2 (PostgreSQL holds the lock, SQLite writes one at a time): another thread's request is there.
            RecordEdits.unlessDuplicate(() -> h.createUpdate("INSERT INTO trend_checks (area_id, clinic_id, requested_at) "
                    + "VALUES (:area, :clinic, :at)").bind("area", areaId).bind("clinic", clinicId).bind("at", Database.utc(at))
                    .execute() == 1);
        }
    }
}
