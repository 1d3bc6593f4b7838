package org.dermatrend.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.domain.Records.TreatmentSession;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Corrections and erasures of patient records, each one transaction: the change, the analyses it makes
 * stale queued again ({@link Redo}), and, for an erasure, the photo bytes to remove written to
 * {@code pending_erasures}. The bytes themselves are removed after the commit ({@link #finishErasures}),
 * so a crash between the two leaves records gone and bytes listed for removal, which the next start
 * finishes: never a record without its photo, never a half-erased patient.
 *
 * <p>Which analyses a change makes stale is the service's decision; this class queues exactly those,
 * idempotently: a photo whose latest analysis is still queued is left as it is.
 */
public final class RecordEdits {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final PhotoStore store;

    public RecordEdits(Database db, PhotoStore store) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
        this.store = store;
    }

    /** A photo whose analysis a change made stale, and why (stored as the new analysis' {@code redo_reason}). */
    public record Redo(String photoId, String reason) {
    }

    /** What an erasure removed: the ids, for the audit log and the caller's answer. */
    public record Erased(List<String> photoIds, List<String> analysisIds, List<String> areaIds, int linksRevoked) {
    }

    // --- corrections ---

    /** Changes a patient's reference; false when the clinic has another patient with it. */
    public boolean updatePatient(String clinicId, String id, String reference) {
        return unlessDuplicate(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE patients SET reference = :reference "
                        + "WHERE clinic_id = :clinic AND id = :id")
                .bind("reference", reference).bind("clinic", clinicId).bind("id", id).execute()) == 1);
    }

    /** Stores an area's new name, region and scale, and queues the analyses they make stale; false on a duplicate name. */
    public boolean updateArea(Area a, List<Redo> redo, Instant now) {
        return unlessDuplicate(() -> jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE areas SET name = :name, roi = :roi, mm_per_px = :mm WHERE clinic_id = :clinic AND id = :id")
                    .bind("name", a.name()).bind("roi", Rows.rectText(a.roi())).bind("mm", a.mmPerPx())
                    .bind("clinic", a.clinicId()).bind("id", a.id()).execute();
            redo(h, a.clinicId(), redo, now);
            return n == 1;
        }));
    }

    /** Stores a session's new date and treatment, and queues the analyses the date makes stale. */
    public void updateSession(TreatmentSession s, List<Redo> redo, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE sessions SET session_date = :date, device = :device, needle_depth_mm = :depth, passes = :passes, "
                            + "notes = :notes WHERE clinic_id = :clinic AND id = :id")
                    .bind("date", s.date()).bind("device", s.device()).bind("depth", s.needleDepthMm()).bind("passes", s.passes())
                    .bind("notes", s.notes()).bind("clinic", s.clinicId()).bind("id", s.id()).execute();
            redo(h, s.clinicId(), redo, now);
        });
    }

    /**
     * Moves a photo to another session of its patient and/or changes its grey-card rectangle; false when
     * the target session already has a photo of the area.
     */
    public boolean updatePhoto(Photo p, List<Redo> redo, Instant now) {
        return unlessDuplicate(() -> jdbi.inTransaction(h -> {
            // The slot changes only with the session: a photo stored two to a session before the one-photo rule
            // (slot NULL) can still have its grey card corrected.
            int n = h.createUpdate("UPDATE photos SET slot = CASE WHEN session_id = :session THEN slot ELSE :slot END, "
                            + "session_id = :session, gray_ref = :gray WHERE clinic_id = :clinic AND id = :id")
                    .bind("session", p.sessionId()).bind("slot", slot(p.sessionId(), p.areaId()))
                    .bind("gray", Rows.rectText(p.grayRef())).bind("clinic", p.clinicId()).bind("id", p.id()).execute();
            redo(h, p.clinicId(), redo, now);
            return n == 1;
        }));
    }

    /** What {@link #insertPhoto} did. */
    public enum Inserted {
        /** The photo and its queued analysis are stored. */
        NEW,
        /** Another photo of this clinic already holds the idempotency key; nothing was stored. */
        KEY_TAKEN,
        /** The session already has a photo of this area (and none was to be replaced); nothing was stored. */
        SLOT_TAKEN
    }

    /**
     * Stores a photo and its queued analysis in one transaction, so a photo never exists without its
     * analysis; when {@code replacing} is set, that photo (the slot's current one) is erased in the same
     * transaction. The bytes are written to the store under the lock that erasures take, so an erasure of
     * the same bytes cannot remove them between the write and the commit.
     */
    public Inserted insertPhoto(Photo p, Analysis a, byte[] bytes, Optional<Photo> replacing, List<Redo> redo, Instant now)
            throws IOException {
        try {
            return store.locked(p.clinicId(), p.sha256(), () -> {
                try {
                    // Written before the transaction, so the database is not held while a photo goes to disk; the lock
                    // keeps this process's erasures of the same bytes out until the record is committed.
                    store.put(p.clinicId(), bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try {
                    return jdbi.inTransaction(h -> {
                        lockBytes(h, p.clinicId(), p.sha256());
                        // Asked again under the lock every process shares: another process's erasure may have removed the
                        // bytes between the write above and this lock (S3 stores say so at once: read-after-write consistency).
                        try {
                            if (!store.exists(p.clinicId(), p.sha256())) {
                                store.put(p.clinicId(), bytes);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        // The bytes are in place: this upload no longer waits for their removal.
                        h.createUpdate("DELETE FROM pending_erasures WHERE clinic_id = :clinic AND sha256 = :sha")
                                .bind("clinic", p.clinicId()).bind("sha", p.sha256()).execute();
                        if (replacing.isPresent()) {
                            erasePhotos(h, p.clinicId(), List.of(replacing.get().id()), now);
                        }
                        h.createUpdate("INSERT INTO photos (id, clinic_id, session_id, area_id, sha256, byte_size, format, width, "
                                        + "height, gray_ref, idempotency_key, request_hash, created_at, slot) VALUES (:id, :clinic, "
                                        + ":session, :area, :sha, :size, :format, :w, :h, :gray, :key, :hash, :at, :slot)")
                                .bind("id", p.id()).bind("clinic", p.clinicId()).bind("session", p.sessionId())
                                .bind("area", p.areaId()).bind("sha", p.sha256()).bind("size", p.byteSize()).bind("format", p.format())
                                .bind("w", p.width()).bind("h", p.height()).bind("gray", Rows.rectText(p.grayRef()))
                                .bind("key", p.idempotencyKey()).bind("hash", p.requestHash()).bind("at", Database.utc(p.createdAt()))
                                .bind("slot", slot(p.sessionId(), p.areaId())).execute();
                        AnalysisQueue.insert(h, a);
                        redo(h, p.clinicId(), redo, now);
                        return Inserted.NEW;
                    });
                } catch (RuntimeException e) {
                    // Nothing was stored: the bytes go unless another record has them (a duplicate upload, say).
                    dropIfUnreferenced(p.clinicId(), p.sha256());
                    throw e;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (UnableToExecuteStatementException e) {
            if (!Database.isUniqueViolation(e.getCause())) {
                throw e;
            }
            if (p.idempotencyKey() != null && jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM photos WHERE clinic_id = :clinic "
                    + "AND idempotency_key = :key").bind("clinic", p.clinicId()).bind("key", p.idempotencyKey()).mapTo(Long.class).one()) > 0) {
                return Inserted.KEY_TAKEN;
            }
            return Inserted.SLOT_TAKEN;
        }
    }

    /** Removes the clinic's file of a digest when no record has it (after an upload that stored nothing). */
    private void dropIfUnreferenced(String clinicId, String sha) {
        try {
            jdbi.useTransaction(h -> removeIfUnreferenced(h, clinicId, sha));
        } catch (RuntimeException e) {
            // Left for fsck, which reports a file no record points to; the upload's own failure is what the caller hears.
        }
    }

    // --- erasure ---

    /** Erases photos (their analyses, and their bytes once no record needs them), queuing the analyses made stale. */
    public Erased deletePhotos(String clinicId, List<String> photoIds, List<Redo> redo, Instant now) {
        return jdbi.inTransaction(h -> {
            Erased e = erasePhotos(h, clinicId, photoIds, now);
            redo(h, clinicId, redo, now);
            return e;
        });
    }

    /** Erases a session and its photos. */
    public Erased deleteSession(String clinicId, String sessionId, List<Redo> redo, Instant now) {
        return jdbi.inTransaction(h -> {
            List<String> photos = h.createQuery("SELECT id FROM photos WHERE clinic_id = :clinic AND session_id = :id")
                    .bind("clinic", clinicId).bind("id", sessionId).mapTo(String.class).list();
            Erased e = erasePhotos(h, clinicId, photos, now);
            h.createUpdate("DELETE FROM sessions WHERE clinic_id = :clinic AND id = :id").bind("clinic", clinicId).bind("id", sessionId)
                    .execute();
            redo(h, clinicId, redo, now);
            return e;
        });
    }

    /** Erases an area, its photos and its share links. */
    public Erased deleteArea(String clinicId, String areaId, Instant now) {
        return jdbi.inTransaction(h -> eraseAreas(h, clinicId, List.of(areaId), now));
    }

    /** Erases a patient and everything recorded of them: areas, sessions, photos, analyses, share links. */
    public Erased deletePatient(String clinicId, String patientId, Instant now) {
        return jdbi.inTransaction(h -> {
            List<String> areas = h.createQuery("SELECT id FROM areas WHERE clinic_id = :clinic AND patient_id = :id")
                    .bind("clinic", clinicId).bind("id", patientId).mapTo(String.class).list();
            Erased e = eraseAreas(h, clinicId, areas, now);
            h.createUpdate("DELETE FROM sessions WHERE clinic_id = :clinic AND patient_id = :id").bind("clinic", clinicId)
                    .bind("id", patientId).execute();
            h.createUpdate("DELETE FROM patients WHERE clinic_id = :clinic AND id = :id").bind("clinic", clinicId)
                    .bind("id", patientId).execute();
            return e;
        });
    }

    /**
     * Removes from the store the bytes that erasures listed and no record needs any more (bytes uploaded
     * again meanwhile stay), then their listing. Run after every erasure and at start.
     *
     * @return how many files were removed
     */
    public int finishErasures() throws IOException {
        List<String[]> pending = jdbi.withHandle(h -> h.createQuery("SELECT clinic_id, sha256 FROM pending_erasures ORDER BY queued_at")
                .map((rs, ctx) -> new String[] {rs.getString("clinic_id"), rs.getString("sha256")}).list());
        int removed = 0;
        IOException first = null;
        for (String[] p : pending) {
            try {
                removed += store.locked(p[0], p[1], () -> jdbi.inTransaction(h -> {
                    int n = removeIfUnreferenced(h, p[0], p[1]) ? 1 : 0;
                    h.createUpdate("DELETE FROM pending_erasures WHERE clinic_id = :clinic AND sha256 = :sha")
                            .bind("clinic", p[0]).bind("sha", p[1]).execute();
                    return n;
                }));
            } catch (UncheckedIOException e) {
                first = first == null ? e.getCause() : first; // the others still go; this one is retried next time
            } catch (RuntimeException e) {
                first = first == null ? new IOException(e.getMessage(), e) : first;
            }
        }
        if (first != null) {
            throw first;
        }
        return removed;
    }

    /**
     * Deletes the clinic's file of a digest when no record has it, holding the digest's lock (the caller holds
     * this process's); true when a file went.
     */
    private boolean removeIfUnreferenced(Handle h, String clinicId, String sha) {
        lockBytes(h, clinicId, sha);
        long refs = h.createQuery("SELECT COUNT(*) FROM photos WHERE clinic_id = :clinic AND sha256 = :sha")
                .bind("clinic", clinicId).bind("sha", sha).mapTo(Long.class).one();
        if (refs > 0) {
            return false;
        }
        try {
            return store.delete(clinicId, sha);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many stored files wait for removal (0 once every erasure is finished). */
    public long pendingErasures() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pending_erasures").mapTo(Long.class).one());
    }

    private Erased eraseAreas(Handle h, String clinicId, List<String> areaIds, Instant now) {
        List<String> photoIds = new ArrayList<>();
        for (String area : areaIds) {
            photoIds.addAll(h.createQuery("SELECT id FROM photos WHERE clinic_id = :clinic AND area_id = :area")
                    .bind("clinic", clinicId).bind("area", area).mapTo(String.class).list());
        }
        Erased photos = erasePhotos(h, clinicId, photoIds, now);
        int links = 0;
        for (String area : areaIds) {
            lockArea(h, dialect, area);
            links += h.createUpdate("DELETE FROM report_links WHERE clinic_id = :clinic AND area_id = :area")
                    .bind("clinic", clinicId).bind("area", area).execute();
            h.createUpdate("DELETE FROM areas WHERE clinic_id = :clinic AND id = :area").bind("clinic", clinicId).bind("area", area)
                    .execute();
            TrendVerdicts.forget(h, area);
        }
        return new Erased(photos.photoIds(), photos.analysisIds(), List.copyOf(areaIds), links);
    }

    /**
     * Deletes the photos' rows and analyses, lists their bytes for removal and withdraws the share links of
     * their areas (a link's snapshot shows the photos).
     */
    private Erased erasePhotos(Handle h, String clinicId, Collection<String> photoIds, Instant now) {
        List<String> analyses = new ArrayList<>();
        Set<String> areas = new LinkedHashSet<>();
        List<String> erased = new ArrayList<>();
        for (String id : photoIds) {
            Optional<String[]> row = h.createQuery("SELECT sha256, area_id, session_id FROM photos WHERE clinic_id = :clinic AND id = :id")
                    .bind("clinic", clinicId).bind("id", id)
                    .map((rs, ctx) -> new String[] {rs.getString("sha256"), rs.getString("area_id"), rs.getString("session_id")})
                    .findOne();
            if (row.isEmpty()) {
                continue;
            }
            analyses.addAll(h.createQuery("SELECT id FROM analyses WHERE clinic_id = :clinic AND photo_id = :id")
                    .bind("clinic", clinicId).bind("id", id).mapTo(String.class).list());
            h.createUpdate("DELETE FROM analyses WHERE clinic_id = :clinic AND photo_id = :id").bind("clinic", clinicId).bind("id", id)
                    .execute();
            h.createUpdate("DELETE FROM photos WHERE clinic_id = :clinic AND id = :id").bind("clinic", clinicId).bind("id", id)
                    .execute();
            promoteTwin(h, clinicId, id, row.get()[2], row.get()[1]);
            lockBytes(h, clinicId, row.get()[0]); // two erasures of the same bytes list them once
            boolean listed = h.createQuery("SELECT COUNT(*) FROM pending_erasures WHERE clinic_id = :clinic AND sha256 = :sha")
                    .bind("clinic", clinicId).bind("sha", row.get()[0]).mapTo(Long.class).one() > 0;
            if (!listed) {
                h.createUpdate("INSERT INTO pending_erasures (clinic_id, sha256, queued_at) VALUES (:clinic, :sha, :at)")
                        .bind("clinic", clinicId).bind("sha", row.get()[0]).bind("at", Database.utc(now)).execute();
            }
            areas.add(row.get()[1]);
            erased.add(id);
        }
        int links = 0;
        for (String area : areas) {
            lockArea(h, dialect, area); // a link being made of this area waits, then sees the photos gone
            links += h.createUpdate("UPDATE report_links SET revoked_at = :at, revoked_reason = 'record_erased', snapshot = NULL "
                            + "WHERE clinic_id = :clinic AND area_id = :area AND revoked_at IS NULL")
                    .bind("at", Database.utc(now)).bind("clinic", clinicId).bind("area", area).execute();
            Outbox.requestTrendCheck(h, dialect, clinicId, area, now); // its series lost a session
        }
        return new Erased(erased, analyses, List.copyOf(areas), links);
    }

    /**
     * A session stored with two photos of an area before the one-photo rule: when one goes, the other takes the
     * slot (the first by upload time), so the rule holds from then on.
     */
    private static void promoteTwin(Handle h, String clinicId, String erasedId, String sessionId, String areaId) {
        Optional<String> twin = h.createQuery("SELECT id FROM photos WHERE clinic_id = :clinic AND session_id = :session "
                        + "AND area_id = :area AND slot IS NULL AND id <> :erased ORDER BY created_at, id LIMIT 1")
                .bind("clinic", clinicId).bind("session", sessionId).bind("area", areaId).bind("erased", erasedId)
                .mapTo(String.class).findOne();
        long holders = h.createQuery("SELECT COUNT(*) FROM photos WHERE slot = :slot").bind("slot", slot(sessionId, areaId))
                .mapTo(Long.class).one();
        if (twin.isPresent() && holders == 0) {
            h.createUpdate("UPDATE photos SET slot = :slot WHERE id = :id").bind("slot", slot(sessionId, areaId)).bind("id", twin.get())
                    .execute();
        }
    }

    /**
     * Queues the photos' analyses again, idempotently: a photo whose latest analysis is still queued keeps it
     * (it will read the corrected records when it runs); any other gets a new queued analysis carrying the
     * reason. A running analysis finishes but is superseded (the latest analysis is what counts).
     */
    static void redo(Handle h, String clinicId, List<Redo> redo, Instant now) {
        for (Redo r : redo) {
            Optional<Analysis> latest = h.createQuery("SELECT * FROM analyses WHERE clinic_id = :clinic AND photo_id = :photo "
                            + "ORDER BY queued_at DESC, id DESC LIMIT 1")
                    .bind("clinic", clinicId).bind("photo", r.photoId()).map((rs, ctx) -> Rows.analysis(rs)).findOne();
            if (latest.isEmpty()) {
                continue;
            }
            // Still queued: it will read the corrected records when it runs. Asked with an update, which waits for
            // a worker's claim in flight on the row (and then finds it running): a claimed job may have read the old
            // records, so it gets a successor.
            int stillQueued = h.createUpdate("UPDATE analyses SET state = state WHERE id = :id AND state = 'queued'")
                    .bind("id", latest.get().id()).execute();
            if (stillQueued == 1) {
                continue;
            }
            // Queued after the analysis it supersedes even when this process's clock is behind the one that queued it.
            Instant at = now.isAfter(latest.get().queuedAt()) ? now : latest.get().queuedAt().plusNanos(1000);
            h.createUpdate("INSERT INTO analyses (id, clinic_id, photo_id, state, attempts, queued_at, redo_reason) "
                            + "VALUES (:id, :clinic, :photo, 'queued', 0, :at, :reason)")
                    .bind("id", UUID.randomUUID().toString()).bind("clinic", clinicId).bind("photo", r.photoId())
                    .bind("at", Database.utc(at)).bind("reason", r.reason()).execute();
        }
    }

    /** The slot a photo holds: one photo per session and area. */
    static String slot(String sessionId, String areaId) {
        return sessionId + "|" + areaId;
    }

    /**
     * On PostgreSQL, a transaction lock on the clinic's digest shared by every service process: what keeps an upload's
     * write and another process's removal of the same bytes apart, for a shared folder and an S3 bucket alike (neither
     * store locks anything across processes; {@link PhotoStore}).
     */
    private void lockBytes(Handle h, String clinicId, String sha) {
        lock(h, dialect, "bytes|" + clinicId + "|" + sha);
    }

    /** On PostgreSQL, a transaction lock on an area: its erasures and the share links made of it take turns. */
    static void lockArea(Handle h, Dialect dialect, String areaId) {
        lock(h, dialect, "area|" + areaId);
    }

    /**
     * A transaction-scoped lock on a name, across every process of a PostgreSQL deployment. SQLite needs none
     * (its write transactions are serial: BEGIN IMMEDIATE); H2 serves one process, whose locks the callers hold.
     */
    static void lock(Handle h, Dialect dialect, String name) {
        if (dialect == Dialect.POSTGRESQL) {
            long key = Long.parseUnsignedLong(org.dermatrend.util.Digest.sha256(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 15), 16);
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS l").bind("key", key).mapTo(Integer.class).list();
        }
    }

    /**
     * Runs a write that a unique constraint may refuse (an insert guarded by NOT EXISTS can still lose to a concurrent
     * one between its check and its write): false when the constraint refused it.
     */
    static boolean unlessDuplicate(java.util.function.BooleanSupplier change) {
        try {
            return change.getAsBoolean();
        } catch (UnableToExecuteStatementException e) {
            if (Database.isUniqueViolation(e.getCause())) {
                return false;
            }
            throw e;
        }
    }
}
