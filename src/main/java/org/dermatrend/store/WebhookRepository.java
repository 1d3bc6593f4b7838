package org.dermatrend.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dermatrend.domain.EventType;
import org.dermatrend.domain.Records.DeliveryState;
import org.dermatrend.domain.Records.Webhook;
import org.dermatrend.domain.Records.WebhookDelivery;
import org.jdbi.v3.core.Jdbi;

/**
 * Webhook endpoints and their deliveries. Deliveries are written by the {@link Outbox} inside the
 * transactions that make events; a dispatcher claims a due one with a lease (a compare-and-set update,
 * safe for any number of processes on one database), sends it, and records the attempt while it still
 * holds it, so a dispatcher that lost its lease cannot overwrite its successor's record.
 */
public final class WebhookRepository {
    private static final String CLAIMABLE = "state = 'pending' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)";

    private final Jdbi jdbi;
    private final Dialect dialect;

    public WebhookRepository(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
    }

    public void insert(Webhook w) {
        jdbi.useHandle(h -> insert(h, w));
    }

    /**
     * Stores the endpoint unless its clinic has {@code max} already; counted and written in one transaction under a
     * lock on the clinic (PostgreSQL; SQLite writes one at a time), so requests at the same moment cannot pass the limit.
     *
     * @return false when the clinic is at the limit (nothing is written)
     */
    public boolean insertUnder(Webhook w, int max) {
        return jdbi.inTransaction(h -> {
            RecordEdits.lock(h, dialect, "webhooks|" + w.clinicId());
            int n = h.createQuery("SELECT COUNT(*) FROM webhooks WHERE clinic_id = :clinic").bind("clinic", w.clinicId())
                    .mapTo(Integer.class).one();
            if (n >= max) {
                return false;
            }
            insert(h, w);
            return true;
        });
    }

    private static void insert(org.jdbi.v3.core.Handle h, Webhook w) {
        h.createUpdate("INSERT INTO webhooks (id, clinic_id, url, events, secret, created_by, created_at) "
                        + "VALUES (:id, :clinic, :url, :events, :secret, :by, :at)")
                .bind("id", w.id()).bind("clinic", w.clinicId()).bind("url", w.url()).bind("events", String.join(",", w.events()))
                .bind("secret", w.secret()).bind("by", w.createdBy()).bind("at", Database.utc(w.createdAt())).execute();
    }

    public List<Webhook> list(String clinicId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhooks WHERE clinic_id = :clinic ORDER BY created_at, id")
                .bind("clinic", clinicId).map((rs, ctx) -> webhook(rs)).list());
    }

    public Optional<Webhook> find(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhooks WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> webhook(rs)).findOne());
    }

    /** Removes the endpoint and its deliveries (those in flight finish, and their record is dropped). */
    public boolean delete(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhooks WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).execute()) == 1;
    }

    /**
     * Changes the endpoint's address and events (each null: unchanged), and enables it again when
     * {@code enable}; its deliveries waiting while it was disabled become due at once.
     */
    public boolean update(String clinicId, String id, String url, List<String> events, boolean enable, Instant now) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE webhooks SET url = COALESCE(:url, url), events = COALESCE(:events, events)"
                            + (enable ? ", disabled_at = NULL, disabled_reason = NULL" : "") + " WHERE clinic_id = :clinic AND id = :id")
                    .bind("url", url).bind("events", events == null ? null : String.join(",", events))
                    .bind("clinic", clinicId).bind("id", id).execute();
            if (n == 1 && enable) {
                h.createUpdate("UPDATE webhook_deliveries SET next_attempt_at = :now WHERE webhook_id = :id AND state = 'pending' "
                        + "AND next_attempt_at > :now").bind("now", Database.utc(now)).bind("id", id).execute();
            }
            return n == 1;
        });
    }

    /** A test event for the endpoint alone, through the outbox like any other; its delivery's id. */
    public Optional<String> queueTest(String clinicId, String webhookId, Instant now) {
        return jdbi.inTransaction(h -> Outbox.write(h, dialect, clinicId, EventType.WEBHOOK_TEST,
                        Map.of("webhookId", webhookId, "message", "A test event from dermatrend: the endpoint is reached and the "
                                + "signature can be checked."), now, webhookId)
                .flatMap(event -> h.createQuery("SELECT id FROM webhook_deliveries WHERE event_id = :event")
                        .bind("event", event).mapTo(String.class).findOne()));
    }

    /** Whether a {@code webhook.test} event for the endpoint is still waiting to be delivered. */
    public boolean testPending(String webhookId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id "
                        + "WHERE d.webhook_id = :webhook AND d.state = 'pending' AND e.type = 'webhook.test'")
                .bind("webhook", webhookId).mapTo(Long.class).one()) > 0;
    }

    /** The endpoint's deliveries, newest first. */
    public List<WebhookDelivery> deliveries(String clinicId, String webhookId, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT d.*, e.type, e.payload FROM webhook_deliveries d "
                        + "JOIN webhook_events e ON e.id = d.event_id WHERE d.clinic_id = :clinic AND d.webhook_id = :webhook "
                        + "ORDER BY d.created_at DESC, d.id DESC LIMIT :limit OFFSET :offset")
                .bind("clinic", clinicId).bind("webhook", webhookId).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> delivery(rs)).list());
    }

    public Optional<WebhookDelivery> delivery(String clinicId, String deliveryId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT d.*, e.type, e.payload FROM webhook_deliveries d "
                        + "JOIN webhook_events e ON e.id = d.event_id WHERE d.clinic_id = :clinic AND d.id = :id")
                .bind("clinic", clinicId).bind("id", deliveryId).map((rs, ctx) -> delivery(rs)).findOne());
    }

    /**
     * A delivery a dispatcher holds, with what it needs to send it.
     *
     * @param attempts the attempts made of it, this one included (1 for the first)
     */
    public record Due(String deliveryId, String webhookId, String clinicId, String url, String secret, String eventId, String eventType,
                      String payload, Instant eventAt, int attempts) {
    }

    /**
     * Claims the delivery due longest for {@code worker}, on an enabled endpoint.
     *
     * @return the claimed delivery, or empty when none is due
     */
    public Optional<Due> claim(String worker, Instant now, Duration lease) {
        return jdbi.withHandle(h -> {
            List<String> candidates = h.createQuery("SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                            + "WHERE d.state = 'pending' AND d.next_attempt_at <= :now AND (d.lease_until IS NULL OR d.lease_until < :now) "
                            + "AND w.disabled_at IS NULL "
                            // One attempt in flight an endpoint: a receiver that never answers holds one sending thread, not all.
                            + "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.webhook_id = d.webhook_id "
                            + "AND x.state = 'pending' AND x.lease_until >= :now) "
                            + "ORDER BY d.next_attempt_at, d.id LIMIT 8")
                    .bind("now", Database.utc(now)).mapTo(String.class).list();
            for (String id : candidates) {
                // The attempt is counted when it is claimed: one that outlives its lease (a slow DNS answer, say) still counts,
                // so a delivery taken over again and again still reaches the end of its schedule.
                int won = h.createUpdate("UPDATE webhook_deliveries SET worker = :worker, lease_until = :until, attempts = attempts + 1 "
                                + "WHERE id = :id AND " + CLAIMABLE)
                        .bind("worker", worker).bind("until", Database.utc(now.plus(lease))).bind("now", Database.utc(now))
                        .bind("id", id).execute();
                if (won == 1) {
                    return h.createQuery("SELECT d.id, d.webhook_id, d.clinic_id, d.attempts, w.url, w.secret, e.id AS event_id, e.type, "
                                    + "e.payload, e.created_at AS event_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                                    + "JOIN webhook_events e ON e.id = d.event_id WHERE d.id = :id")
                            .bind("id", id).map((rs, ctx) -> new Due(rs.getString("id"), rs.getString("webhook_id"),
                                    rs.getString("clinic_id"), rs.getString("url"), rs.getString("secret"), rs.getString("event_id"),
                                    rs.getString("type"), rs.getString("payload"), Rows.instant(rs, "event_at"),
                                    rs.getInt("attempts"))).findOne();
                }
            }
            return Optional.empty();
        });
    }

    /** Records a 2xx answer to a delivery the worker holds; false when it lost it meanwhile. */
    public boolean delivered(String deliveryId, String worker, int status, int millis, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_deliveries SET state = 'delivered', "
                        + "last_attempt_at = :at, last_status = :status, last_error = NULL, last_millis = :millis, delivered_at = :at, "
                        + "next_attempt_at = NULL, lease_until = NULL, worker = NULL WHERE id = :id AND worker = :worker AND state = 'pending'")
                .bind("at", Database.utc(at)).bind("status", status).bind("millis", millis).bind("id", deliveryId)
                .bind("worker", worker).execute()) == 1;
    }

    /**
     * Records a failed attempt of a delivery the worker holds.
     *
     * @param status        the receiver's HTTP status, or null when it gave none
     * @param nextAttemptAt when to try again, or null to give up (the delivery fails)
     * @param disableReason when not null, the endpoint is disabled with this reason in the same transaction
     * @return false when the worker lost the delivery meanwhile (nothing is written)
     */
    public boolean attemptFailed(String deliveryId, String worker, Integer status, String error, int millis, Instant at,
                                 Instant nextAttemptAt, String disableReason) {
        return jdbi.inTransaction(h -> {
            boolean kept = h.createUpdate("UPDATE webhook_deliveries SET state = :state, last_attempt_at = :at, "
                            + "last_status = :status, last_error = :error, last_millis = :millis, next_attempt_at = :next, "
                            + "lease_until = NULL, worker = NULL WHERE id = :id AND worker = :worker AND state = 'pending'")
                    .bind("state", nextAttemptAt == null ? "failed" : "pending").bind("at", Database.utc(at)).bind("status", status)
                    .bind("error", clip(error)).bind("millis", millis).bind("next", Database.utc(nextAttemptAt))
                    .bind("id", deliveryId).bind("worker", worker).execute() == 1;
            if (kept && disableReason != null) {
                h.createUpdate("UPDATE webhooks SET disabled_at = :at, disabled_reason = :reason WHERE disabled_at IS NULL AND id = "
                                + "(SELECT webhook_id FROM webhook_deliveries WHERE id = :id)")
                        .bind("at", Database.utc(at)).bind("reason", clip(disableReason)).bind("id", deliveryId).execute();
            }
            return kept;
        });
    }

    /** Whether any delivery of the endpoint reached it since {@code since} (a sign it is not dead). */
    public boolean deliveredSince(String webhookId, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = :webhook "
                        + "AND state = 'delivered' AND delivered_at >= :since")
                .bind("webhook", webhookId).bind("since", Database.utc(since)).mapTo(Long.class).one()) > 0;
    }

    /** Deliveries waiting, over all clinics (a gauge, and how tests know the outbox is drained). */
    public long countPending() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'")
                .mapTo(Long.class).one());
    }

    /**
     * Removes events older than {@code before} that nothing waits for any more, with their deliveries.
     *
     * @return how many events went
     */
    public int prune(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhook_events WHERE created_at < :before AND NOT EXISTS "
                        + "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id AND d.state = 'pending')")
                .bind("before", Database.utc(before)).execute());
    }

    private static String clip(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString("id"), rs.getString("clinic_id"), rs.getString("url"), List.of(rs.getString("events").split(",")),
                rs.getString("secret"), rs.getString("created_by"), Rows.instant(rs, "created_at"), Rows.instant(rs, "disabled_at"),
                rs.getString("disabled_reason"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        return new WebhookDelivery(rs.getString("id"), rs.getString("webhook_id"), rs.getString("event_id"), rs.getString("type"),
                DeliveryState.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)), rs.getInt("attempts"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "last_attempt_at"), Rows.nullableInt(rs, "last_status"),
                rs.getString("last_error"), Rows.nullableInt(rs, "last_millis"), Rows.instant(rs, "next_attempt_at"),
                Rows.instant(rs, "delivered_at"), rs.getString("payload"));
    }
}
