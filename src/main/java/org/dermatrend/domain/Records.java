package org.dermatrend.domain;

import java.time.Instant;
import java.time.LocalDate;
import org.dermatrend.cv.PixelRect;

/** The stored records. Every one belongs to a clinic; ids are random UUIDs. */
public final class Records {
    private Records() {
    }

    public record Clinic(String id, String name, boolean operator, Instant createdAt) {
    }

    /**
     * A person's account (the web app's sign-in): its password hash and invitation token never leave the
     * repository. {@code invited} until the invitation is accepted (no password yet).
     */
    public record Staff(String id, String clinicId, String email, String name, Role role, Instant createdAt,
                        Instant invitationExpiresAt, Instant disabledAt, boolean invited) {
        /** May sign in: accepted and not disabled. */
        public boolean active() {
            return !invited && disabledAt == null;
        }

        /** What the pages call the person: the name, or the email address before one is given. */
        public String displayName() {
            return name == null || name.isBlank() ? email : name;
        }
    }

    /** A key as stored: its hash never leaves the repository. */
    /**
     * An API key (its secret is never stored, only its hash).
     *
     * @param expiresAt  when it stops working, or null for never
     * @param lastUsedAt when it last authenticated a request (to the minute), or null when never used
     */
    public record ApiKey(String id, String clinicId, Role role, String label, Instant createdAt, Instant revokedAt,
                         Instant expiresAt, Instant lastUsedAt) {
        /** Not revoked (an expired key is still listed as not revoked; see {@link #usableAt}). */
        public boolean active() {
            return revokedAt == null;
        }

        /** Not revoked and not expired at {@code now}. */
        public boolean usableAt(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    /** A patient, known only by the clinic's pseudonymous reference. */
    public record Patient(String id, String clinicId, String reference, Instant createdAt) {
    }

    /**
     * A treated skin area of a patient, photographed at every session.
     *
     * @param roi      the region to measure, in the baseline photo's upright pixels, or null for all skin
     * @param mmPerPx  the scale of the area's photos, or null when unknown (sizes then stay null)
     */
    public record Area(String id, String clinicId, String patientId, String name, PixelRect roi, Double mmPerPx,
                       Instant createdAt) {
    }

    /** A treatment session: its date and what was done. */
    public record TreatmentSession(String id, String clinicId, String patientId, LocalDate date, String device,
                                   Double needleDepthMm, Integer passes, String notes, Instant createdAt) {
    }

    /**
     * An uploaded photo; its bytes are in the photo store under {@code sha256}.
     *
     * @param grayRef the grey card rectangle in the upright photo, or null
     */
    public record Photo(String id, String clinicId, String sessionId, String areaId, String sha256, long byteSize,
                        String format, int width, int height, PixelRect grayRef, String idempotencyKey,
                        String requestHash, Instant createdAt) {
    }

    /** A photo with the date of its session, for ordering an area's photos. */
    public record DatedPhoto(Photo photo, LocalDate sessionDate) {
    }

    public enum AnalysisState {
        QUEUED, RUNNING, DONE, FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One analysis of one photo, and its place in the queue.
     *
     * @param resultJson the result (done) or the failure's details (failed), as JSON; null before
     * @param redoReason why the photo is analysed again after a correction ({@code baseline_changed}, …), or null
     */
    public record Analysis(String id, String clinicId, String photoId, AnalysisState state, int attempts, String worker,
                           Instant leaseUntil, Instant queuedAt, Instant startedAt, Instant finishedAt,
                           String failureCode, String failureMessage, String resultJson, String redoReason) {
    }

    /**
     * A clinic's webhook endpoint.
     *
     * @param events         the event types it receives ({@link EventType#label()})
     * @param secret         the Standard Webhooks signing secret, {@code whsec_} + base64; never shown after creation
     * @param disabledAt     when deliveries to it stopped (they kept failing, or it answered 410), or null while enabled
     * @param disabledReason why, in words
     */
    public record Webhook(String id, String clinicId, String url, java.util.List<String> events, String secret, String createdBy,
                          Instant createdAt, Instant disabledAt, String disabledReason) {
        public boolean enabled() {
            return disabledAt == null;
        }
    }

    /** The states of a webhook delivery. */
    public enum DeliveryState {
        /** Waiting for its next attempt (or being attempted). */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Every attempt of the retry schedule failed, or the receiver answered 410 Gone. */
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One event for one endpoint, with its last attempt.
     *
     * @param eventId      the {@code webhook-id} of every attempt
     * @param lastStatus   the HTTP status of the last answer, or null (no attempt yet, or no answer)
     * @param lastError    what went wrong in the last attempt, in words, or null
     * @param nextAttemptAt when it is tried next, while pending
     */
    public record WebhookDelivery(String id, String webhookId, String eventId, String eventType, DeliveryState state, int attempts,
                                  Instant createdAt, Instant lastAttemptAt, Integer lastStatus, String lastError, Integer lastMillis,
                                  Instant nextAttemptAt, Instant deliveredAt, String payload) {
    }
}
