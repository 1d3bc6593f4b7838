package org.dermatrend.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.dermatrend.domain.Records.Staff;
import org.dermatrend.domain.Role;
import org.dermatrend.store.StaffRepository;
import org.dermatrend.util.Digest;

/**
 * Staff accounts of the web app: invitation by an admin, sign-in with email and password (Argon2id through
 * Password4j), signed-in browsers, password change, disabling. API keys stay for programs.
 *
 * <p>Bounds: passwords are 12 to 256 characters; at most {@link #HASHING_AT_ONCE} password hashes are computed at
 * once (each takes 19 MiB for about 50 ms), so a burst of sign-ins costs a bounded amount of memory and the rest
 * wait up to 5 s, then get 503; an account (known or not) that fails {@link Settings#failuresPerAccount} sign-ins
 * within {@link Settings#lockout} is refused for the rest of it without its password being checked.
 */
public final class StaffService {
    /** OWASP's Argon2id setting: 19 MiB, 2 passes, 1 lane. */
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
    static final int HASHING_AT_ONCE = 2;
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 256;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    /** Hashed for an unknown address, so that a miss takes as long as a wrong password. */
    private static final String DECOY = Password.hash("decoy password that matches nothing").addRandomSalt(16).with(ARGON2).getResult();

    /**
     * @param invitation         how long an invitation link works
     * @param sessionLength      how long a sign-in lasts at most
     * @param idle               how long a sign-in lasts without a page
     * @param failuresPerAccount failed sign-ins an address may have within {@code lockout}
     * @param lockout            the window of those failures
     */
    public record Settings(Duration invitation, Duration sessionLength, Duration idle, int failuresPerAccount, Duration lockout) {
        public static Settings defaults() {
            return new Settings(Duration.ofDays(7), Duration.ofHours(12), Duration.ofHours(2), 5, Duration.ofMinutes(15));
        }
    }

    /** A made invitation: the only time its token is known. */
    public record Invitation(Staff staff, String token) {
    }

    /** A new sign-in: the cookie's token (known only to the browser), and the CSRF token of its forms. */
    public record SignIn(Staff staff, String token, String csrfToken, Instant expiresAt) {
    }

    /** A signed-in browser's account as the pages use it. */
    public record Session(Caller caller, Staff staff, String csrfToken, String tokenHash) {
    }

    private final StaffRepository repository;
    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore hashing = new Semaphore(HASHING_AT_ONCE);
    private final Cache<String, AtomicInteger> failures;
    /** When each sign-in's last_seen_at was last written (at most once a minute each). */
    private final Cache<String, Instant> touched = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    public StaffService(StaffRepository repository, Settings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.lockout()).build();
    }

    // --- accounts ---

    /** Invites a person to the admin's clinic with a role; the link's token is returned once. */
    public Invitation invite(Caller caller, String email, String roleLabel) {
        caller.require("invite staff", Role.ADMIN);
        Role role = staffRole(roleLabel);
        return invite(caller.clinicId(), email(email), role, null);
    }

    /**
     * The first admin's invitation of a new clinic (printed at first start): made for a placeholder address (in the
     * reserved {@code .invalid} domain, RFC 2606), which the person replaces with their own when accepting it.
     */
    public Invitation inviteFirstAdmin(String clinicId) {
        return inviteAnyAddress(clinicId, Role.ADMIN.label());
    }

    /** An invitation with a role at which the person gives their own address (the operator's command line makes these). */
    public Invitation inviteAnyAddress(String clinicId, String roleLabel) {
        return invite(clinicId, "invited-" + UUID.randomUUID().toString().substring(0, 8) + PLACEHOLDER_DOMAIN, staffRole(roleLabel), null);
    }

    /** The placeholder addresses' domain: no real address ends so. */
    public static final String PLACEHOLDER_DOMAIN = "@address.invalid";

    /** Whether the account's address is a placeholder its person gives when accepting the invitation. */
    public static boolean placeholder(Staff staff) {
        return staff.email().endsWith(PLACEHOLDER_DOMAIN);
    }

    private Invitation invite(String clinicId, String email, Role role, String name) {
        String token = token();
        Instant now = clock.instant();
        Staff staff = new Staff(UUID.randomUUID().toString(), clinicId, email, name, role, now, now.plus(settings.invitation()), null,
                true);
        if (!repository.insertInvited(staff, hash(token))) {
            throw Failure.conflict("email-taken", email + " cannot be invited: the address already has an account (one account per "
                    + "address). Ask its holder which address to use.");
        }
        return new Invitation(staff, token);
    }

    /** A new link for an invitation not yet accepted (the old link stops working). */
    public Invitation reinvite(Caller caller, String staffId) {
        caller.require("invite staff", Role.ADMIN);
        Staff staff = repository.find(caller.clinicId(), staffId).orElseThrow(() -> Failure.notFound("staff account", staffId));
        String token = token();
        Instant expires = clock.instant().plus(settings.invitation());
        if (!repository.reinvite(caller.clinicId(), staffId, hash(token), expires)) {
            throw Failure.conflict("not-invited", staff.email() + " has accepted the invitation or is disabled; nothing to send again.");
        }
        return new Invitation(staff, token);
    }

    /** The account an invitation link is for, while it can be accepted. */
    public Optional<Staff> invitation(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return repository.findByInvitation(hash(token))
                .filter(s -> s.disabledAt() == null && s.invitationExpiresAt() != null && s.invitationExpiresAt().isAfter(now));
    }

    /**
     * Accepts an invitation with the person's name and password (and their address, when the invitation was made for
     * a placeholder); the account may then sign in.
     *
     * @param email the person's address for a placeholder invitation; ignored otherwise (may be null)
     */
    public Staff accept(String token, String email, String name, String password) {
        Staff staff = invitation(token).orElseThrow(() -> Failure.conflict("invitation-unusable",
                "This invitation link has been used, has expired or was withdrawn. Ask your clinic's admin for a new one."));
        String address = placeholder(staff) ? email(email) : staff.email();
        if (address.endsWith(PLACEHOLDER_DOMAIN)) {
            throw Failure.invalid("email", "Give your own email address.");
        }
        String cleanName = name(name);
        checkNewPassword(password, address);
        StaffRepository.Acceptance done = repository.accept(hash(token), address, cleanName, passwordHash(password), clock.instant());
        if (done == StaffRepository.Acceptance.ADDRESS_TAKEN) {
            throw Failure.conflict("email-taken", address + " already has an account; sign in with it, or accept with another address.");
        }
        if (done == StaffRepository.Acceptance.UNUSABLE) {
            throw Failure.conflict("invitation-unusable", "This invitation link has just been used or has expired. Ask your clinic's "
                    + "admin for a new one.");
        }
        return repository.find(staff.clinicId(), staff.id()).orElseThrow();
    }

    /** An account that may sign in at once, with a generated password (the demo clinic's admin). */
    public String createWithPassword(String clinicId, String email, String name, Role role) {
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(12));
        Staff staff = new Staff(UUID.randomUUID().toString(), clinicId, email(email), name(name), role, clock.instant(), null, null,
                false);
        if (!repository.insertActive(staff, passwordHash(password))) {
            throw Failure.conflict("email-taken", "There is already an account for " + email + ".");
        }
        return password;
    }

    public List<Staff> list(Caller caller) {
        caller.require("manage staff", Role.ADMIN);
        return repository.list(caller.clinicId());
    }

    /** Disables an account and ends its sign-ins at once; the clinic's last active admin cannot be. */
    public void disable(Caller caller, String staffId) {
        caller.require("manage staff", Role.ADMIN);
        Staff staff = repository.find(caller.clinicId(), staffId).orElseThrow(() -> Failure.notFound("staff account", staffId));
        if (staff.disabledAt() != null) {
            return;
        }
        if (!repository.disable(caller.clinicId(), staffId, clock.instant()) && staff.role() == Role.ADMIN) {
            throw Failure.conflict("last-admin", "This is the clinic's last admin account; make another admin before disabling it, "
                    + "or nobody could manage the clinic's staff.");
        }
    }

    // --- signing in ---

    /**
     * Signs in; the same answer for an unknown address and a wrong password.
     *
     * @throws Failure 401 for a wrong address or password, 429 for an address locked by failures, 503 when too many
     *                 sign-ins are being checked at once
     */
    public SignIn signIn(String email, String password) {
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        // Every attempt is counted before its password is checked, so that attempts sent in parallel (each waiting for
        // a hashing slot) cannot all pass the check before any of them fails; a success clears the count.
        AtomicInteger attempts = failures.get(address, a -> new AtomicInteger());
        if (attempts.incrementAndGet() > settings.failuresPerAccount()) {
            throw Failure.tooManyRequests("Too many failed sign-ins for this account; wait " + settings.lockout().toMinutes()
                    + " minutes, or ask your clinic's admin to check the account.", (int) settings.lockout().toSeconds());
        }
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD || address.length() > 254) {
            throw Failure.unauthenticated("The email address or the password is wrong.");
        }
        Optional<StaffRepository.Credentials> found = repository.findByEmail(address);
        String stored = found.map(StaffRepository.Credentials::passwordHash).orElse(null);
        boolean ok = checkPassword(password, stored != null ? stored : DECOY) && stored != null && found.get().staff().active();
        if (!ok) {
            throw Failure.unauthenticated("The email address or the password is wrong.");
        }
        failures.invalidate(address);
        sweepNowAndThen();
        Staff staff = found.get().staff();
        String token = token();
        String csrf = token();
        Instant now = clock.instant();
        Instant expires = now.plus(settings.sessionLength());
        repository.insertSession(hash(token), staff.id(), csrf, now, expires);
        return new SignIn(staff, token, csrf, expires);
    }

    /** The signed-in account behind a cookie's token, while the sign-in lasts. */
    public Optional<Session> session(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String tokenHash = hash(token);
        Instant now = clock.instant();
        Optional<StaffRepository.SignedIn> found = repository.findSession(tokenHash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StaffRepository.SignedIn s = found.get();
        if (!s.staff().active() || !s.expiresAt().isAfter(now) || s.lastSeenAt().plus(settings.idle()).isBefore(now)) {
            repository.deleteSession(tokenHash);
            return Optional.empty();
        }
        touched.get(tokenHash, h -> {
            repository.touchSession(h, now);
            return now;
        });
        Staff staff = s.staff();
        return Optional.of(new Session(Caller.staff(staff.clinicId(), staff.id(), staff.role(), s.operatorClinic()), staff, s.csrfToken(),
                tokenHash));
    }

    public void signOut(String token) {
        if (token != null && !token.isEmpty() && token.length() <= 100) {
            repository.deleteSession(hash(token));
        }
    }

    /** Changes the signed-in person's password; their other sign-ins end. */
    public void changePassword(Session session, String current, String replacement) {
        StaffRepository.Credentials c = repository.findCredentials(session.staff().id()).orElseThrow(() ->
                Failure.unauthenticated("Your account is gone; sign in again."));
        if (current == null || current.length() > MAX_PASSWORD || !checkPassword(current, c.passwordHash())) {
            throw Failure.invalid("current", "The current password is wrong.");
        }
        checkNewPassword(replacement, c.staff().email());
        repository.changePassword(c.staff().id(), passwordHash(replacement), clock.instant(), session.tokenHash());
    }

    private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong();

    /** Removes ended sign-ins at most every 10 minutes, from a sign-in (so abandoned ones do not pile up). */
    private void sweepNowAndThen() {
        long now = clock.millis();
        long last = lastSweep.get();
        if (now - last > Duration.ofMinutes(10).toMillis() && lastSweep.compareAndSet(last, now)) {
            sweep();
        }
    }

    /** Removes ended sign-ins; how many. */
    public int sweep() {
        Instant now = clock.instant();
        return repository.deleteEndedSessions(now, now.minus(settings.idle()));
    }

    // --- helpers ---

    private static void checkNewPassword(String password, String email) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw Failure.invalid("password", "The password needs at least " + MIN_PASSWORD + " characters; a few unrelated words "
                    + "make a good one.");
        }
        if (password.length() > MAX_PASSWORD) {
            throw Failure.invalid("password", "The password may have at most " + MAX_PASSWORD + " characters.");
        }
        if (password.strip().equalsIgnoreCase(email) || password.chars().distinct().count() < 4) {
            throw Failure.invalid("password", "That password is too easy to guess; choose another.");
        }
    }

    private static Role staffRole(String label) {
        Role role = Role.parse(label == null ? "" : label.strip()).orElse(null);
        if (role == null || role == Role.APP) {
            throw Failure.invalid("role", "A person's role is admin, clinician or reviewer (the app role is for API keys).");
        }
        return role;
    }

    static String email(String email) {
        String e = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
            throw Failure.invalid("email", "Give an email address like name@clinic.example.");
        }
        return e;
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw Failure.invalid("name", "Give your name as colleagues know it.");
        }
        if (name.strip().length() > 200) {
            throw Failure.invalid("name", "The name may have at most 200 characters.");
        }
        return name.strip();
    }

    private String passwordHash(String password) {
        return hashing(() -> Password.hash(password).addRandomSalt(16).with(ARGON2).getResult());
    }

    private boolean checkPassword(String password, String stored) {
        return hashing(() -> Password.check(password, stored).with(Argon2Function.getInstanceFromHash(stored)));
    }

    private <T> T hashing(java.util.function.Supplier<T> work) {
        try {
            if (!hashing.tryAcquire(5, TimeUnit.SECONDS)) {
                throw Failure.overloaded("Too many people are signing in at once; try again in a few seconds.", 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.overloaded("The server is stopping; try again in a moment.", 5);
        }
        try {
            return work.get();
        } finally {
            hashing.release();
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    private static String hash(String token) {
        return Digest.sha256(token.getBytes(StandardCharsets.UTF_8));
    }
}
