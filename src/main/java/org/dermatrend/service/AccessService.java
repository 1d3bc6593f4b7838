package org.dermatrend.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.dermatrend.util.Digest;
import org.dermatrend.store.ClinicRepository;
import org.dermatrend.domain.Records.ApiKey;
import org.dermatrend.domain.Records.Clinic;
import org.dermatrend.domain.Role;

/**
 * Clinics and API keys. A key is 32 random bytes, shown once when made (prefixed {@code dtk_}) and
 * stored only as its SHA-256. The first clinic is made at first start with an admin key taken from
 * {@code DERMATREND_ADMIN_KEY} or generated and printed once; that clinic is the operator, whose
 * admins may create further clinics.
 */
public final class AccessService {
    /**
     * When each key's {@code last_used_at} was last written: at most once a minute per key, so that
     * authenticating a request costs a read, not a write (bounded: 100 000 keys).
     */
    private final Cache<String, Instant> touched = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(java.time.Duration.ofMinutes(1)).build();

    private static final int MIN_KEY_LENGTH = 24;

    private final ClinicRepository clinics;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccessService(ClinicRepository clinics, Clock clock) {
        this.clinics = clinics;
        this.clock = clock;
    }

    /** A new clinic and its first admin key (the key is in {@link NewKey#key()}, and nowhere else). */
    public record NewClinic(Clinic clinic, NewKey adminKey) {
    }

    /** A key just made: the only time its secret is known. */
    public record NewKey(ApiKey key, String secret) {
    }

    /**
     * Makes the operator clinic when the database has no clinic yet.
     *
     * @param presetKey the admin key to install (from {@code DERMATREND_ADMIN_KEY}), or null to generate one
     * @return the new clinic and key, or empty when clinics already exist (the preset is then ignored)
     */
    public synchronized Optional<NewClinic> bootstrap(String clinicName, String presetKey) {
        if (clinics.countClinics() > 0) {
            return Optional.empty();
        }
        if (presetKey != null && presetKey.strip().length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("DERMATREND_ADMIN_KEY must be at least " + MIN_KEY_LENGTH
                    + " characters of random text (for example: openssl rand -base64 32)");
        }
        return Optional.of(createClinic(clinicName, true, presetKey == null ? null : presetKey.strip()));
    }

    /** Creates a clinic with its first admin key; only the operator clinic's admins may. */
    public NewClinic createClinic(Caller caller, String name) {
        caller.require("create clinics", Role.ADMIN);
        if (!caller.operator()) {
            throw Failure.forbidden("Only the operator clinic's admins (the clinic made at first start) may create clinics.");
        }
        return createClinic(requireName(name), false, null);
    }

    private NewClinic createClinic(String name, boolean operator, String presetKey) {
        Clinic clinic = new Clinic(UUID.randomUUID().toString(), name, operator, clock.instant());
        String secret = presetKey != null ? presetKey : newSecret();
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), clinic.id(), Role.ADMIN, "first admin key", clock.instant(), null,
                null, null);
        clinics.insertWithKey(clinic, key, Digest.sha256(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new NewClinic(clinic, new NewKey(key, secret));
    }

    /** The caller behind a presented key, or empty for an unknown or revoked key. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        String hash = Digest.sha256(presented.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Instant now = clock.instant();
        Optional<ClinicRepository.ActiveKey> found = clinics.findActiveKeyByHash(hash, now);
        found.ifPresent(a -> touched.get(a.key().id(), id -> {
            clinics.touchKey(id, now);
            return now;
        }));
        return found.map(a -> new Caller(a.key().clinicId(), a.key().id(), a.key().role(), a.operatorClinic()));
    }

    public Clinic clinic(Caller caller) {
        return clinics.findClinic(caller.clinicId()).orElseThrow(() -> Failure.notFound("clinic", caller.clinicId()));
    }

    /**
     * A new key of the caller's clinic.
     *
     * @param expiresInDays after how many days it stops working (1 to 3650), or null for never
     */
    public NewKey createKey(Caller caller, String roleLabel, String label, Integer expiresInDays) {
        caller.require("manage API keys", Role.ADMIN);
        Role role = Role.parse(roleLabel == null ? "" : roleLabel).orElseThrow(() -> Failure.invalid("role",
                "role must be one of admin, clinician, reviewer, app; got " + (roleLabel == null ? "nothing" : "'" + roleLabel + "'")));
        if (label != null && label.length() > 200) {
            throw Failure.invalid("label", "label may have at most 200 characters");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
            throw Failure.invalid("expiresInDays", "expiresInDays must be 1 to 3650 (ten years), got " + expiresInDays
                    + "; leave it out for a key that does not expire");
        }
        String secret = newSecret();
        Instant now = clock.instant();
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), caller.clinicId(), role, label, now, null,
                expiresInDays == null ? null : now.plus(java.time.Duration.ofDays(expiresInDays)), null);
        clinics.insertKey(key, Digest.sha256(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new NewKey(key, secret);
    }

    public List<ApiKey> listKeys(Caller caller) {
        caller.require("manage API keys", Role.ADMIN);
        return clinics.listKeys(caller.clinicId());
    }

    public void revokeKey(Caller caller, String keyId) {
        caller.require("manage API keys", Role.ADMIN);
        ApiKey key = clinics.findKey(caller.clinicId(), keyId).orElseThrow(() -> Failure.notFound("API key", keyId));
        if (!key.active()) {
            return;
        }
        if (key.role() == Role.ADMIN && clinics.countActiveAdmins(caller.clinicId()) <= 1) {
            throw Failure.conflict("last-admin-key", "This is the clinic's last active admin key; make another admin key "
                    + "before revoking it, or nobody could manage the clinic's keys.");
        }
        clinics.revokeKey(caller.clinicId(), keyId, clock.instant());
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "dtk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw Failure.invalid("name", "name is required");
        }
        if (name.strip().length() > 200) {
            throw Failure.invalid("name", "name may have at most 200 characters");
        }
        return name.strip();
    }
}
