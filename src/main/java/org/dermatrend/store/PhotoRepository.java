package org.dermatrend.store;

import java.util.List;
import java.util.Optional;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Photo;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Photo records (their bytes are in the {@link PhotoStore}), scoped by clinic. */
public final class PhotoRepository {
    private final Jdbi jdbi;

    public PhotoRepository(Database db) {
        this.jdbi = db.jdbi();
    }

    /** What {@link #insertWithAnalysis} did. */
    public enum Inserted {
        /** The photo and its queued analysis are stored. */
        NEW,
        /** Another photo of this clinic already holds the idempotency key; nothing was stored. */
        KEY_TAKEN
    }

    /**
     * Stores a photo and its queued analysis in one transaction, so a photo never exists without its
     * analysis. The photo's bytes must already be durable in the photo store.
     */
    public Inserted insertWithAnalysis(Photo p, Analysis a) {
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO photos (id, clinic_id, session_id, area_id, sha256, byte_size, format, width, height, "
                                + "gray_ref, idempotency_key, request_hash, created_at) VALUES (:id, :clinic, :session, :area, "
                                + ":sha, :size, :format, :w, :h, :gray, :key, :hash, :at)")
                        .bind("id", p.id()).bind("clinic", p.clinicId()).bind("session", p.sessionId()).bind("area", p.areaId())
                        .bind("sha", p.sha256()).bind("size", p.byteSize()).bind("format", p.format()).bind("w", p.width())
                        .bind("h", p.height()).bind("gray", Rows.rectText(p.grayRef())).bind("key", p.idempotencyKey())
                        .bind("hash", p.requestHash()).bind("at", Database.utc(p.createdAt())).execute();
                AnalysisQueue.insert(h, a);
            });
            return Inserted.NEW;
        } catch (UnableToExecuteStatementException e) {
            if (p.idempotencyKey() != null && findByIdempotencyKey(p.clinicId(), p.idempotencyKey()).isPresent()) {
                return Inserted.KEY_TAKEN;
            }
            throw e;
        }
    }

    public Optional<Photo> find(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM photos WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> Rows.photo(rs)).findOne());
    }

    public Optional<Photo> findByIdempotencyKey(String clinicId, String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM photos WHERE clinic_id = :clinic AND idempotency_key = :key")
                .bind("clinic", clinicId).bind("key", key).map((rs, ctx) -> Rows.photo(rs)).findOne());
    }

    public List<Photo> listBySession(String clinicId, String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM photos WHERE clinic_id = :clinic AND session_id = :session "
                        + "ORDER BY created_at, id")
                .bind("clinic", clinicId).bind("session", sessionId).map((rs, ctx) -> Rows.photo(rs)).list());
    }

    /** The area's photos in session order (session date, then upload time); the first is the baseline. */
    public List<DatedPhoto> listByArea(String clinicId, String areaId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT p.*, s.session_date FROM photos p JOIN sessions s ON s.id = p.session_id "
                        + "WHERE p.clinic_id = :clinic AND p.area_id = :area ORDER BY s.session_date, p.created_at, p.id")
                .bind("clinic", clinicId).bind("area", areaId)
                .map((rs, ctx) -> new DatedPhoto(Rows.photo(rs), rs.getObject("session_date", java.time.LocalDate.class)))
                .list());
    }
}
