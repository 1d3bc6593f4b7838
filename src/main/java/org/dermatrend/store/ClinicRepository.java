package org.dermatrend.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dermatrend.domain.Records.ApiKey;
import org.dermatrend.domain.Records.Clinic;
import org.jdbi.v3.core.Jdbi;

/** Clinics and their API keys. */
public final class ClinicRepository {
    private final Jdbi jdbi;

    public ClinicRepository(Database db) {
        this.jdbi = db.jdbi();
    }

    /** Stores a clinic together with its first key (one transaction: never a clinic nobody can administer). */
    public void insertWithKey(Clinic clinic, ApiKey key, String keyHash) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO clinics (id, name, operator, created_at) VALUES (:id, :name, :operator, :at)")
                    .bind("id", clinic.id()).bind("name", clinic.name()).bind("operator", clinic.operator())
                    .bind("at", Database.utc(clinic.createdAt())).execute();
            insertKey(h, key, keyHash);
        });
    }

    public void insertKey(ApiKey key, String keyHash) {
        jdbi.useHandle(h -> insertKey(h, key, keyHash));
    }

    private static void insertKey(org.jdbi.v3.core.Handle h, ApiKey key, String keyHash) {
        h.createUpdate("INSERT INTO api_keys (id, clinic_id, role, label, key_hash, created_at, expires_at) "
                        + "VALUES (:id, :clinic, :role, :label, :hash, :at, :expires)")
                .bind("id", key.id()).bind("clinic", key.clinicId()).bind("role", key.role().label())
                .bind("label", key.label()).bind("hash", keyHash).bind("at", Database.utc(key.createdAt()))
                .bind("expires", key.expiresAt() == null ? null : Database.utc(key.expiresAt())).execute();
    }

    public long countClinics() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM clinics").mapTo(Long.class).one());
    }

    /** The operator clinic (the one made at first start), if the database has one. */
    public Optional<Clinic> findOperator() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM clinics WHERE operator = :yes ORDER BY created_at LIMIT 1")
                .bind("yes", true).map((rs, ctx) -> Rows.clinic(rs)).findOne());
    }

    public Optional<Clinic> findClinic(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM clinics WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> Rows.clinic(rs)).findOne());
    }

    /** An active key and whether its clinic is the operator clinic. */
    public record ActiveKey(ApiKey key, boolean operatorClinic) {
    }

    /**
     * The key with this hash that is neither revoked nor expired at {@code now}, with its clinic's operator
     * flag: one query per authenticated request.
     */
    public Optional<ActiveKey> findActiveKeyByHash(String keyHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT k.*, c.operator FROM api_keys k JOIN clinics c ON c.id = k.clinic_id "
                        + "WHERE k.key_hash = :hash AND k.revoked_at IS NULL")
                .bind("hash", keyHash).map((rs, ctx) -> new ActiveKey(Rows.apiKey(rs), rs.getBoolean("operator"))).findOne())
                .filter(a -> a.key().usableAt(now));
    }

    /** Records that a key authenticated a request at {@code at}. */
    public void touchKey(String keyId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_keys SET last_used_at = :at WHERE id = :id")
                .bind("at", Database.utc(at)).bind("id", keyId).execute());
    }

    public List<ApiKey> listKeys(String clinicId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE clinic_id = :clinic ORDER BY created_at, id")
                .bind("clinic", clinicId).map((rs, ctx) -> Rows.apiKey(rs)).list());
    }

    public Optional<ApiKey> findKey(String clinicId, String keyId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", keyId).map((rs, ctx) -> Rows.apiKey(rs)).findOne());
    }

    /** Revokes a key of the clinic; false when it has no such active key. */
    /** Revokes a key and, in the same transaction, the share links it made (their snapshots go). */
    public boolean revokeKey(String clinicId, String keyId, Instant at) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE clinic_id = :clinic AND id = :id AND revoked_at IS NULL")
                    .bind("at", Database.utc(at)).bind("clinic", clinicId).bind("id", keyId).execute();
            h.createUpdate("UPDATE report_links SET revoked_at = :at, revoked_reason = 'creator_revoked', snapshot = NULL "
                            + "WHERE clinic_id = :clinic AND created_by = :key AND revoked_at IS NULL")
                    .bind("at", Database.utc(at)).bind("clinic", clinicId).bind("key", keyId).execute();
            return n == 1;
        });
    }

    /** Active admin keys of the clinic (the last one may not be revoked). */
    public long countActiveAdmins(String clinicId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_keys WHERE clinic_id = :clinic "
                        + "AND role = 'admin' AND revoked_at IS NULL")
                .bind("clinic", clinicId).mapTo(Long.class).one());
    }
}
