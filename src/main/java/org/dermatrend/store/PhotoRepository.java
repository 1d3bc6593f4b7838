package org.dermatrend.store;

import java.util.List;
import java.util.Optional;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Photo;
import org.jdbi.v3.core.Jdbi;

/** Photo records (their bytes are in the {@link PhotoStore}), scoped by clinic; {@link RecordEdits} changes them. */
public final class PhotoRepository {
    private final Jdbi jdbi;

    public PhotoRepository(Database db) {
        this.jdbi = db.jdbi();
    }

    public Optional<Photo> find(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM photos WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> Rows.photo(rs)).findOne());
    }

    /** The photo a session holds of an area (the first, for sessions stored with two before the one-photo rule). */
    public Optional<Photo> findInSlot(String clinicId, String sessionId, String areaId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM photos WHERE clinic_id = :clinic AND session_id = :session "
                        + "AND area_id = :area ORDER BY created_at, id LIMIT 1")
                .bind("clinic", clinicId).bind("session", sessionId).bind("area", areaId).map((rs, ctx) -> Rows.photo(rs)).findOne());
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
