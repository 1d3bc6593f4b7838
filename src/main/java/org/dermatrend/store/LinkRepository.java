package org.dermatrend.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Shared report links, scoped by clinic; a token is found only by its hash. */
public final class LinkRepository {
    private final Jdbi jdbi;
    private final Dialect dialect;

    public LinkRepository(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
    }

    /**
     * A share link as stored (its token is not: only its hash).
     *
     * @param createdBy     the API key that made it
     * @param revokedReason {@code withdrawn} (revoked by a user), {@code creator_revoked}, {@code record_erased}; null while valid
     */
    public record Link(String id, String clinicId, String areaId, String createdBy, Instant createdAt, Instant expiresAt,
                       Instant revokedAt, String revokedReason) {
        /** Whether it opens its report at {@code now}. */
        public boolean validAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt);
        }
    }

    /** A valid link's record and its snapshot. */
    public record Opened(Link link, String snapshot) {
    }

    /**
     * Stores a link when its area still has exactly the photos its snapshot shows; false when one was erased
     * (or added) while the snapshot was made. Holds the area's lock that erasures take, so an erasure commits
     * either before (and this sees it) or after (and withdraws this link).
     */
    public boolean insertIfUnchanged(Link l, String tokenHash, String snapshot, java.util.Set<String> photoIds) {
        return jdbi.inTransaction(h -> {
            RecordEdits.lockArea(h, dialect, l.areaId());
            java.util.Set<String> now = new java.util.HashSet<>(h.createQuery("SELECT id FROM photos WHERE clinic_id = :clinic "
                    + "AND area_id = :area").bind("clinic", l.clinicId()).bind("area", l.areaId()).mapTo(String.class).list());
            if (!now.equals(photoIds)) {
                return false;
            }
            insert(h, l, tokenHash, snapshot);
            return true;
        });
    }

    /** Links not revoked and not expired of one area (a bound on what a clinic can share at once). */
    public long countActive(String clinicId, String areaId, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM report_links WHERE clinic_id = :clinic AND area_id = :area "
                        + "AND revoked_at IS NULL AND expires_at > :now")
                .bind("clinic", clinicId).bind("area", areaId).bind("now", Database.utc(now)).mapTo(Long.class).one());
    }

    private static void insert(org.jdbi.v3.core.Handle h, Link l, String tokenHash, String snapshot) {
        h.createUpdate("INSERT INTO report_links (id, clinic_id, area_id, token_hash, created_by, created_at, "
                        + "expires_at, snapshot) VALUES (:id, :clinic, :area, :hash, :by, :at, :expires, :snapshot)")
                .bind("id", l.id()).bind("clinic", l.clinicId()).bind("area", l.areaId()).bind("hash", tokenHash)
                .bind("by", l.createdBy()).bind("at", Database.utc(l.createdAt())).bind("expires", Database.utc(l.expiresAt()))
                .bind("snapshot", snapshot).execute();
    }

    /**
     * The link with this token hash, when it is valid at {@code now}: not revoked, not expired, and its
     * creator's key not revoked (a revoked key's links stop at once, whatever the order of events).
     */
    public Optional<Opened> open(String tokenHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT l.*, k.revoked_at AS creator_revoked_at FROM report_links l "
                        + "LEFT JOIN api_keys k ON k.id = l.created_by WHERE l.token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new Object[] {new Opened(link(rs), rs.getString("snapshot")), rs.getObject("creator_revoked_at") != null})
                .findOne()
                .filter(row -> !(Boolean) row[1])
                .map(row -> (Opened) row[0])
                .filter(o -> o.snapshot() != null && o.link().validAt(now)));
    }

    public Optional<Link> find(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM report_links WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> link(rs)).findOne());
    }

    /** The area's links, newest first (revoked and expired ones too, so the clinic sees what was shared). */
    public List<Link> listByArea(String clinicId, String areaId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM report_links WHERE clinic_id = :clinic AND area_id = :area "
                        + "ORDER BY created_at DESC, id DESC LIMIT 1000")
                .bind("clinic", clinicId).bind("area", areaId).map((rs, ctx) -> link(rs)).list());
    }

    /** Revokes a link and drops its snapshot; false when it was revoked already. */
    public boolean revoke(String clinicId, String id, String reason, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE report_links SET revoked_at = :at, revoked_reason = :reason, snapshot = NULL "
                        + "WHERE clinic_id = :clinic AND id = :id AND revoked_at IS NULL")
                .bind("at", Database.utc(now)).bind("reason", reason).bind("clinic", clinicId).bind("id", id).execute()) == 1;
    }

    /** Drops the snapshots of links that expired before {@code now} (they can never be opened again). */
    public int dropExpiredSnapshots(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE report_links SET snapshot = NULL WHERE expires_at < :now AND snapshot IS NOT NULL")
                .bind("now", Database.utc(now)).execute());
    }

    private static Link link(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Link(rs.getString("id"), rs.getString("clinic_id"), rs.getString("area_id"), rs.getString("created_by"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"),
                rs.getString("revoked_reason"));
    }
}
