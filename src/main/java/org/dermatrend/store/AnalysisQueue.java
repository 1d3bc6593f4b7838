package org.dermatrend.store;

import org.dermatrend.domain.Records;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.AnalysisState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The analysis queue, persisted in the analyses table so that a restart resumes what was queued.
 *
 * <p>A worker claims a job by setting it running under its own name with a lease. A job whose lease
 * expired (its worker died, or the process was killed) can be claimed again, until it has been tried
 * {@code maxAttempts} times; then {@link #failExhausted} fails it. On PostgreSQL the claim selects with
 * {@code FOR UPDATE SKIP LOCKED}, so any number of service processes share one queue without handing
 * a job to two workers; on the embedded H2 the claim is a compare-and-set update, which is equally
 * safe and only slower under contention. Completion and failure only apply while the worker still
 * holds the job, so a worker that lost its lease cannot overwrite its successor's answer.
 */
public final class AnalysisQueue {
    private static final String CLAIMABLE = "(state = 'queued' OR (state = 'running' AND lease_until < :now)) AND attempts < :max";

    private final Jdbi jdbi;
    private final Dialect dialect;

    public AnalysisQueue(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
    }

    static void insert(Handle h, Analysis a) {
        h.createUpdate("INSERT INTO analyses (id, clinic_id, photo_id, state, attempts, queued_at) "
                        + "VALUES (:id, :clinic, :photo, :state, 0, :at)")
                .bind("id", a.id()).bind("clinic", a.clinicId()).bind("photo", a.photoId()).bind("state", a.state().label())
                .bind("at", Database.utc(a.queuedAt())).execute();
    }

    /**
     * Claims the oldest claimable job for {@code worker}.
     *
     * @return the claimed job (state running, attempts counted), or empty when there is none
     */
    public Optional<Analysis> claim(String worker, Instant now, Duration lease, int maxAttempts) {
        Instant until = now.plus(lease);
        if (dialect == Dialect.POSTGRESQL) {
            return jdbi.inTransaction(h -> h.createQuery("UPDATE analyses SET state = 'running', worker = :worker, "
                            + "lease_until = :until, attempts = attempts + 1, started_at = :now WHERE id = ("
                            + "SELECT id FROM analyses WHERE " + CLAIMABLE + " ORDER BY queued_at, id LIMIT 1 "
                            + "FOR UPDATE SKIP LOCKED) RETURNING *")
                    .bind("worker", worker).bind("until", Database.utc(until)).bind("now", Database.utc(now))
                    .bind("max", maxAttempts).map((rs, ctx) -> Rows.analysis(rs)).findOne());
        }
        return jdbi.withHandle(h -> {
            List<String> candidates = h.createQuery("SELECT id FROM analyses WHERE " + CLAIMABLE
                            + " ORDER BY queued_at, id LIMIT 8")
                    .bind("now", Database.utc(now)).bind("max", maxAttempts).mapTo(String.class).list();
            for (String id : candidates) {
                int won = h.createUpdate("UPDATE analyses SET state = 'running', worker = :worker, lease_until = :until, "
                                + "attempts = attempts + 1, started_at = :now WHERE id = :id AND " + CLAIMABLE)
                        .bind("worker", worker).bind("until", Database.utc(until)).bind("now", Database.utc(now))
                        .bind("id", id).bind("max", maxAttempts).execute();
                if (won == 1) {
                    return h.createQuery("SELECT * FROM analyses WHERE id = :id").bind("id", id)
                            .map((rs, ctx) -> Rows.analysis(rs)).findOne();
                }
            }
            return Optional.empty();
        });
    }

    /** Extends the lease of a job the worker still holds; false when it no longer holds it. */
    public boolean renewLease(String id, String worker, Instant until) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE analyses SET lease_until = :until "
                        + "WHERE id = :id AND worker = :worker AND state = 'running'")
                .bind("until", Database.utc(until)).bind("id", id).bind("worker", worker).execute()) == 1;
    }

    /**
     * Records the result of a job the worker holds, with its webhook event and its area's trend check in
     * the same transaction ({@link Outbox}); false when it lost the job meanwhile (nothing is written).
     */
    public boolean complete(String id, String worker, String resultJson, Instant now) {
        return jdbi.inTransaction(h -> {
            boolean kept = h.createUpdate("UPDATE analyses SET state = 'done', finished_at = :now, lease_until = NULL, "
                            + "result_json = :result, failure_code = NULL, failure_message = NULL "
                            + "WHERE id = :id AND worker = :worker AND state = 'running'")
                    .bind("now", Database.utc(now)).bind("result", resultJson).bind("id", id).bind("worker", worker)
                    .execute() == 1;
            if (kept) {
                Outbox.analysisFinished(h, dialect, id, now);
            }
            return kept;
        });
    }

    /** Records the failure of a job the worker holds, with its event as {@link #complete} does; false when it lost the job. */
    public boolean fail(String id, String worker, String code, String message, String detailsJson, Instant now) {
        return jdbi.inTransaction(h -> {
            boolean kept = h.createUpdate("UPDATE analyses SET state = 'failed', finished_at = :now, lease_until = NULL, "
                            + "failure_code = :code, failure_message = :message, result_json = :details "
                            + "WHERE id = :id AND worker = :worker AND state = 'running'")
                    .bind("now", Database.utc(now)).bind("code", code).bind("message", message).bind("details", detailsJson)
                    .bind("id", id).bind("worker", worker).execute() == 1;
            if (kept) {
                Outbox.analysisFinished(h, dialect, id, now);
            }
            return kept;
        });
    }

    /**
     * Fails the jobs whose lease expired after their last allowed attempt: they killed or outlived
     * their worker that many times, and trying again would only do it again.
     *
     * @return how many were failed
     */
    public int failExhausted(Instant now, int maxAttempts) {
        // Looked for outside a transaction first: this runs before every claim, and there is rarely one.
        List<String> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM analyses WHERE state = 'running' AND lease_until < :now "
                        + "AND attempts >= :max").bind("now", Database.utc(now)).bind("max", maxAttempts).mapTo(String.class).list());
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            int failed = 0;
            for (String id : ids) {
                int n = h.createUpdate("UPDATE analyses SET state = 'failed', finished_at = :now, lease_until = NULL, "
                                + "failure_code = 'analysis_abandoned', failure_message = :message "
                                + "WHERE id = :id AND state = 'running' AND lease_until < :now AND attempts >= :max")
                        .bind("now", Database.utc(now)).bind("max", maxAttempts).bind("id", id)
                        .bind("message", "The analysis was started " + maxAttempts + " times and its worker stopped each time "
                                + "before finishing. Upload the photo again; if it happens again, report the analysis id.")
                        .execute();
                if (n == 1) {
                    Outbox.analysisFinished(h, dialect, id, now);
                    failed++;
                }
            }
            return failed;
        });
    }

    /** Puts the worker's running jobs back in the queue (a clean shutdown); their attempt is not counted. */
    public int release(String worker) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE analyses SET state = 'queued', worker = NULL, lease_until = NULL, "
                        + "started_at = NULL, attempts = attempts - 1 WHERE worker = :worker AND state = 'running'")
                .bind("worker", worker).execute());
    }

    public Optional<Analysis> find(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM analyses WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> Rows.analysis(rs)).findOne());
    }

    /** The latest analysis of a photo. */
    public Optional<Analysis> findByPhoto(String clinicId, String photoId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM analyses WHERE clinic_id = :clinic AND photo_id = :photo "
                        + "ORDER BY queued_at DESC, id DESC LIMIT 1")
                .bind("clinic", clinicId).bind("photo", photoId).map((rs, ctx) -> Rows.analysis(rs)).findOne());
    }

    /**
     * A page of the clinic's analyses, newest queued first, for apps that poll instead of waiting on one.
     *
     * @param state  one state, or null for any
     * @param areaId one area's, or null for all
     * @param since  queued at or after, or null
     */
    public List<Analysis> list(String clinicId, AnalysisState state, String areaId, Instant since, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT n.* FROM analyses n");
        if (areaId != null) {
            sql.append(" JOIN photos p ON p.id = n.photo_id AND p.area_id = :area");
        }
        sql.append(" WHERE n.clinic_id = :clinic");
        if (state != null) {
            sql.append(" AND n.state = :state");
        }
        if (since != null) {
            sql.append(" AND n.queued_at >= :since");
        }
        sql.append(" ORDER BY n.queued_at DESC, n.id DESC LIMIT :limit OFFSET :offset");
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql.toString()).bind("clinic", clinicId).bind("limit", limit).bind("offset", offset);
            if (areaId != null) {
                q.bind("area", areaId);
            }
            if (state != null) {
                q.bind("state", state.label());
            }
            if (since != null) {
                q.bind("since", Database.utc(since));
            }
            return q.map((rs, ctx) -> Rows.analysis(rs)).list();
        });
    }

    /** Jobs per state, over all clinics (the queue is shared). */
    public Map<AnalysisState, Long> countByState() {
        Map<AnalysisState, Long> out = new EnumMap<>(AnalysisState.class);
        for (AnalysisState s : AnalysisState.values()) {
            out.put(s, 0L);
        }
        jdbi.useHandle(h -> h.createQuery("SELECT state, COUNT(*) AS n FROM analyses GROUP BY state")
                .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getLong("n")))
                .forEach(e -> out.put(AnalysisState.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT)), e.getValue())));
        return out;
    }

    /** Jobs waiting or running, over all clinics: the back-pressure figure. */
    public long countPending() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM analyses WHERE state IN ('queued', 'running')")
                .mapTo(Long.class).one());
    }
}
