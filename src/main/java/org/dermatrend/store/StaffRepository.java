package org.dermatrend.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dermatrend.domain.Records.Staff;
import org.dermatrend.domain.Role;
import org.jdbi.v3.core.Jdbi;

/** Staff accounts and their signed-in browsers (schema V5). */
public final class StaffRepository {
    private final Jdbi jdbi;

    public StaffRepository(Database db) {
        this.jdbi = db.jdbi();
    }

    /** An account with what only the sign-in may see: its password hash (null while invited). */
    public record Credentials(Staff staff, String passwordHash, boolean operatorClinic) {
    }

    /** A signed-in browser: its account, the CSRF token and when it ends. */
    public record SignedIn(Staff staff, boolean operatorClinic, String csrfToken, Instant createdAt, Instant expiresAt,
                           Instant lastSeenAt) {
    }

    /** Stores an invited account (no password) with its invitation's hash; false when the address is taken. */
    public boolean insertInvited(Staff staff, String inviteHash) {
        return RecordEdits.unlessDuplicate(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO staff (id, clinic_id, email, name, "
                        + "role, invite_hash, invite_expires_at, created_at) VALUES (:id, :clinic, :email, :name, :role, :invite, :expires, :at)")
                .bind("id", staff.id()).bind("clinic", staff.clinicId()).bind("email", staff.email()).bind("name", staff.name())
                .bind("role", staff.role().label()).bind("invite", inviteHash)
                .bind("expires", Database.utc(staff.invitationExpiresAt())).bind("at", Database.utc(staff.createdAt())).execute()) == 1);
    }

    /** Stores an account that may sign in at once (the demo clinic's admin). False when the address is taken. */
    public boolean insertActive(Staff staff, String passwordHash) {
        return RecordEdits.unlessDuplicate(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO staff (id, clinic_id, email, name, "
                        + "role, password_hash, created_at, password_changed_at) VALUES (:id, :clinic, :email, :name, :role, :hash, :at, :at)")
                .bind("id", staff.id()).bind("clinic", staff.clinicId()).bind("email", staff.email()).bind("name", staff.name())
                .bind("role", staff.role().label()).bind("hash", passwordHash).bind("at", Database.utc(staff.createdAt())).execute()) == 1);
    }

    public Optional<Credentials> findByEmail(String email) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.*, c.operator FROM staff s JOIN clinics c ON c.id = s.clinic_id "
                        + "WHERE s.email = :email")
                .bind("email", email).map((rs, ctx) -> new Credentials(staff(rs), rs.getString("password_hash"),
                        rs.getBoolean("operator"))).findOne());
    }

    public Optional<Credentials> findCredentials(String staffId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.*, c.operator FROM staff s JOIN clinics c ON c.id = s.clinic_id "
                        + "WHERE s.id = :id")
                .bind("id", staffId).map((rs, ctx) -> new Credentials(staff(rs), rs.getString("password_hash"),
                        rs.getBoolean("operator"))).findOne());
    }

    /** The invited account whose invitation has this hash (expired or not). */
    public Optional<Staff> findByInvitation(String inviteHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM staff WHERE invite_hash = :hash AND password_hash IS NULL")
                .bind("hash", inviteHash).map((rs, ctx) -> staff(rs)).findOne());
    }

    public Optional<Staff> find(String clinicId, String staffId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM staff WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", staffId).map((rs, ctx) -> staff(rs)).findOne());
    }

    public List<Staff> list(String clinicId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM staff WHERE clinic_id = :clinic ORDER BY created_at, id")
                .bind("clinic", clinicId).map((rs, ctx) -> staff(rs)).list());
    }

    /** How an acceptance ended. */
    public enum Acceptance {
        ACCEPTED,
        /** The invitation was spent, expired or withdrawn meanwhile. */
        UNUSABLE,
        /** The address the person gave already has an account. */
        ADDRESS_TAKEN
    }

    /**
     * Accepts an invitation: sets the address, name and password and spends the token, in one statement that only
     * succeeds while the invitation is unspent and unexpired.
     */
    public Acceptance accept(String inviteHash, String email, String name, String passwordHash, Instant now) {
        boolean[] accepted = new boolean[1];
        boolean addressFree = RecordEdits.unlessDuplicate(() -> {
            accepted[0] = jdbi.withHandle(h -> h.createUpdate("UPDATE staff SET email = :email, name = :name, password_hash = :hash, "
                            + "invite_hash = NULL, invite_expires_at = NULL, password_changed_at = :now WHERE invite_hash = :invite "
                            + "AND password_hash IS NULL AND disabled_at IS NULL AND invite_expires_at > :now")
                    .bind("email", email).bind("name", name).bind("hash", passwordHash).bind("invite", inviteHash)
                    .bind("now", Database.utc(now)).execute()) == 1;
            return true;
        });
        return !addressFree ? Acceptance.ADDRESS_TAKEN : accepted[0] ? Acceptance.ACCEPTED : Acceptance.UNUSABLE;
    }

    /** A new invitation for an account that has not accepted one yet (the old token stops working). */
    public boolean reinvite(String clinicId, String staffId, String inviteHash, Instant expires) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE staff SET invite_hash = :invite, invite_expires_at = :expires "
                        + "WHERE clinic_id = :clinic AND id = :id AND password_hash IS NULL AND disabled_at IS NULL")
                .bind("invite", inviteHash).bind("expires", Database.utc(expires)).bind("clinic", clinicId).bind("id", staffId)
                .execute()) == 1;
    }

    /** Replaces the password and ends every sign-in of the account but {@code keepSession} (null: all). */
    public void changePassword(String staffId, String passwordHash, Instant now, String keepSession) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE staff SET password_hash = :hash, password_changed_at = :now WHERE id = :id")
                    .bind("hash", passwordHash).bind("now", Database.utc(now)).bind("id", staffId).execute();
            h.createUpdate("DELETE FROM staff_sessions WHERE staff_id = :id AND token_hash <> :keep")
                    .bind("id", staffId).bind("keep", keepSession == null ? "" : keepSession).execute();
        });
    }

    /**
     * Disables an account, ends its sign-ins and spends its invitation, in one statement that leaves the clinic at least
     * one active admin (two admins disabling each other at once cannot both succeed); false when nothing was disabled
     * (already disabled, or the clinic's last active admin).
     */
    public boolean disable(String clinicId, String staffId, Instant at) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE staff SET disabled_at = :at, invite_hash = NULL WHERE clinic_id = :clinic AND id = :id "
                            + "AND disabled_at IS NULL AND (role <> 'admin' OR password_hash IS NULL OR (SELECT COUNT(*) FROM staff o "
                            + "WHERE o.clinic_id = :clinic AND o.role = 'admin' AND o.password_hash IS NOT NULL AND o.disabled_at IS NULL "
                            + "AND o.id <> :id) >= 1)")
                    .bind("at", Database.utc(at)).bind("clinic", clinicId).bind("id", staffId).execute();
            if (n == 1) {
                h.createUpdate("DELETE FROM staff_sessions WHERE staff_id = :id").bind("id", staffId).execute();
            }
            return n == 1;
        });
    }

    /** Active admin accounts of the clinic (the last one may not be disabled). */
    public long countActiveAdmins(String clinicId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM staff WHERE clinic_id = :clinic AND role = 'admin' "
                        + "AND password_hash IS NOT NULL AND disabled_at IS NULL")
                .bind("clinic", clinicId).mapTo(Long.class).one());
    }

    // --- signed-in browsers ---

    public void insertSession(String tokenHash, String staffId, String csrfToken, Instant now, Instant expires) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, expires_at, "
                        + "last_seen_at) VALUES (:hash, :staff, :csrf, :now, :expires, :now)")
                .bind("hash", tokenHash).bind("staff", staffId).bind("csrf", csrfToken).bind("now", Database.utc(now))
                .bind("expires", Database.utc(expires)).execute());
    }

    /** The sign-in with this token hash, with its account and clinic flag: one query per page. */
    public Optional<SignedIn> findSession(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.*, c.operator, x.csrf_token, x.created_at AS session_created, "
                        + "x.expires_at AS session_expires, x.last_seen_at FROM staff_sessions x JOIN staff s ON s.id = x.staff_id "
                        + "JOIN clinics c ON c.id = s.clinic_id WHERE x.token_hash = :hash")
                .bind("hash", tokenHash).map((rs, ctx) -> new SignedIn(staff(rs), rs.getBoolean("operator"), rs.getString("csrf_token"),
                        Rows.instant(rs, "session_created"), Rows.instant(rs, "session_expires"), Rows.instant(rs, "last_seen_at")))
                .findOne());
    }

    public void touchSession(String tokenHash, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE staff_sessions SET last_seen_at = :at WHERE token_hash = :hash")
                .bind("at", Database.utc(at)).bind("hash", tokenHash).execute());
    }

    public void deleteSession(String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM staff_sessions WHERE token_hash = :hash").bind("hash", tokenHash).execute());
    }

    /** Removes sign-ins past their absolute end or idle since {@code idleBefore}; how many. */
    public int deleteEndedSessions(Instant now, Instant idleBefore) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM staff_sessions WHERE expires_at <= :now OR last_seen_at < :idle")
                .bind("now", Database.utc(now)).bind("idle", Database.utc(idleBefore)).execute());
    }

    private static Staff staff(ResultSet rs) throws SQLException {
        return new Staff(rs.getString("id"), rs.getString("clinic_id"), rs.getString("email"), rs.getString("name"),
                Role.parse(rs.getString("role")).orElseThrow(), Rows.instant(rs, "created_at"), Rows.instant(rs, "invite_expires_at"),
                Rows.instant(rs, "disabled_at"), rs.getString("password_hash") == null);
    }
}
