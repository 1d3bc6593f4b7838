package org.dermatrend.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The audit log's table: rows are only ever inserted (nothing in the service updates or deletes one; a
 * test holds every SQL statement of the code to that). Rows name records by id, never by reference.
 */
public final class AuditRepository {
    private final Jdbi jdbi;

    public AuditRepository(Database db) {
        this.jdbi = db.jdbi();
    }

    /**
     * One access to patient data.
     *
     * @param actorType {@code key} (an API key), {@code link} (a shared-report link) or {@code anonymous}
     * @param action    {@code read}, {@code create}, {@code update}, {@code delete} or {@code share}
     * @param outcome   {@code ok}, {@code denied} (401/403/429), {@code not_found} or {@code failed}
     */
    public record Entry(String id, Instant at, String clinicId, String actorType, String actorId, String action,
                        String resourceType, String resourceId, String patientId, String route, String clientAddress,
                        int status, String outcome) {
    }

    /** What to list: each null means any. */
    public record Filter(String clinicId, String patientId, String actorId, Instant from, Instant to) {
    }

    public void insert(Entry e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_log (id, at, clinic_id, actor_type, actor_id, action, resource_type, "
                        + "resource_id, patient_id, route, client_address, status, outcome) VALUES (:id, :at, :clinic, :actorType, "
                        + ":actorId, :action, :type, :resource, :patient, :route, :address, :status, :outcome)")
                .bind("id", e.id()).bind("at", Database.utc(e.at())).bind("clinic", e.clinicId()).bind("actorType", e.actorType())
                .bind("actorId", e.actorId()).bind("action", e.action()).bind("type", e.resourceType())
                .bind("resource", e.resourceId()).bind("patient", e.patientId()).bind("route", e.route())
                .bind("address", e.clientAddress()).bind("status", e.status()).bind("outcome", e.outcome()).execute());
    }

    /** A page of entries, newest first. */
    public List<Entry> list(Filter f, int limit, int offset) {
        return jdbi.withHandle(h -> bind(h.createQuery("SELECT * FROM audit_log WHERE " + where(f)
                + " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset"), f)
                .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> entry(rs)).list());
    }

    /** Every matching entry, oldest first, streamed (the export: nothing is held in memory but one row). */
    public void forEach(Filter f, Consumer<Entry> sink) {
        // In a transaction: PostgreSQL's driver fetches in batches only then (in autocommit it reads every row at once).
        jdbi.useTransaction(h -> {
            try (var rows = bind(h.createQuery("SELECT * FROM audit_log WHERE " + where(f) + " ORDER BY at, id"), f)
                    .setFetchSize(500).map((rs, ctx) -> entry(rs)).stream()) {
                rows.forEach(sink);
            }
        });
    }

    /** The patient a record belongs to, by the record's kind and id (empty when there is none in the clinic). */
    public Optional<String> patientOf(String clinicId, String resourceType, String id) {
        String sql = switch (resourceType) {
            case "patient" -> "SELECT id FROM patients WHERE clinic_id = :clinic AND id = :id";
            case "area" -> "SELECT patient_id FROM areas WHERE clinic_id = :clinic AND id = :id";
            case "session" -> "SELECT patient_id FROM sessions WHERE clinic_id = :clinic AND id = :id";
            case "photo" -> "SELECT a.patient_id FROM photos p JOIN areas a ON a.id = p.area_id WHERE p.clinic_id = :clinic AND p.id = :id";
            case "analysis" -> "SELECT a.patient_id FROM analyses n JOIN photos p ON p.id = n.photo_id JOIN areas a ON a.id = p.area_id "
                    + "WHERE n.clinic_id = :clinic AND n.id = :id";
            case "report_link" -> "SELECT a.patient_id FROM report_links l JOIN areas a ON a.id = l.area_id "
                    + "WHERE l.clinic_id = :clinic AND l.id = :id";
            default -> null;
        };
        if (sql == null || clinicId == null || id == null) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery(sql).bind("clinic", clinicId).bind("id", id).mapTo(String.class).findOne());
    }

    private static String where(Filter f) {
        StringBuilder w = new StringBuilder("1 = 1");
        if (f.clinicId() != null) {
            w.append(" AND clinic_id = :clinic");
        }
        if (f.patientId() != null) {
            w.append(" AND patient_id = :patient");
        }
        if (f.actorId() != null) {
            w.append(" AND actor_id = :actor");
        }
        if (f.from() != null) {
            w.append(" AND at >= :from");
        }
        if (f.to() != null) {
            w.append(" AND at < :to");
        }
        return w.toString();
    }

    private static Query bind(Query q, Filter f) {
        if (f.clinicId() != null) {
            q.bind("clinic", f.clinicId());
        }
        if (f.patientId() != null) {
            q.bind("patient", f.patientId());
        }
        if (f.actorId() != null) {
            q.bind("actor", f.actorId());
        }
        if (f.from() != null) {
            q.bind("from", Database.utc(f.from()));
        }
        if (f.to() != null) {
            q.bind("to", Database.utc(f.to()));
        }
        return q;
    }

    private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Entry(rs.getString("id"), Rows.instant(rs, "at"), rs.getString("clinic_id"), rs.getString("actor_type"),
                rs.getString("actor_id"), rs.getString("action"), rs.getString("resource_type"), rs.getString("resource_id"),
                rs.getString("patient_id"), rs.getString("route"), rs.getString("client_address"), rs.getInt("status"),
                rs.getString("outcome"));
    }
}
