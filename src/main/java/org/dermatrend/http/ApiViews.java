package org.dermatrend.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.service.AccessService;
import org.dermatrend.domain.Records;

/** The API's JSON bodies (api-spec/openapi.yaml), kept apart from the stored records. Nulls are omitted. */
final class ApiViews {
    private ApiViews() {
    }

    static int[] rect(PixelRect r) {
        return r == null ? null : new int[] {r.x(), r.y(), r.width(), r.height()};
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClinicView(String id, String name, boolean operator, Instant createdAt) {
        static ClinicView of(Records.Clinic c) {
            return new ClinicView(c.id(), c.name(), c.operator(), c.createdAt());
        }
    }

    /** {@code key} is present once, in the answer that made the key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyView(String id, String role, String label, Instant createdAt, Instant revokedAt, Instant expiresAt,
                   Instant lastUsedAt, String key) {
        static KeyView of(Records.ApiKey k) {
            return new KeyView(k.id(), k.role().label(), k.label(), k.createdAt(), k.revokedAt(), k.expiresAt(), k.lastUsedAt(), null);
        }

        static KeyView of(AccessService.NewKey k) {
            Records.ApiKey a = k.key();
            return new KeyView(a.id(), a.role().label(), a.label(), a.createdAt(), a.revokedAt(), a.expiresAt(), a.lastUsedAt(),
                    k.secret());
        }
    }

    record NewClinicView(ClinicView clinic, KeyView adminKey) {
    }

    record PatientView(String id, String reference, Instant createdAt) {
        static PatientView of(Records.Patient p) {
            return new PatientView(p.id(), p.reference(), p.createdAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AreaView(String id, String patientId, String name, int[] roi, Double mmPerPx, Instant createdAt) {
        static AreaView of(Records.Area a) {
            return new AreaView(a.id(), a.patientId(), a.name(), rect(a.roi()), a.mmPerPx(), a.createdAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TreatmentView(String device, Double needleDepthMm, Integer passes, String notes) {
    }

    record SessionView(String id, String patientId, LocalDate date, TreatmentView treatment, Instant createdAt) {
        static SessionView of(Records.TreatmentSession s) {
            return new SessionView(s.id(), s.patientId(), s.date(),
                    new TreatmentView(s.device(), s.needleDepthMm(), s.passes(), s.notes()), s.createdAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PhotoView(String id, String sessionId, String areaId, String sha256, long byteSize, String format, int width,
                     int height, int[] grayRef, Instant createdAt, String analysisId) {
        static PhotoView of(Records.Photo p, String analysisId) {
            return new PhotoView(p.id(), p.sessionId(), p.areaId(), p.sha256(), p.byteSize(), p.format(), p.width(), p.height(),
                    rect(p.grayRef()), p.createdAt(), analysisId);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FailureView(String code, String message, JsonNode details) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AnalysisView(String id, String photoId, String state, int attempts, Instant queuedAt, Instant startedAt,
                        Instant finishedAt, String redoReason, FailureView failure, JsonNode result) {
    }

    record UploadView(PhotoView photo, AnalysisView analysis) {
    }

    /** What an erasure removed, by id. */
    record ErasedView(String erased, String id, List<String> photoIds, List<String> analysisIds, int reportLinksRevoked) {
        static ErasedView of(String what, String id, org.dermatrend.store.RecordEdits.Erased e) {
            return new ErasedView(what, id, e.photoIds(), e.analysisIds(), e.linksRevoked());
        }
    }

    /** A share link; {@code url} (with the token) only in the answer that made it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LinkView(String id, String areaId, String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt,
                    String revokedReason, String state, String url) {
        static LinkView of(org.dermatrend.store.LinkRepository.Link l, Instant now, String url) {
            String state = l.revokedAt() != null ? "revoked" : now.isBefore(l.expiresAt()) ? "active" : "expired";
            return new LinkView(l.id(), l.areaId(), l.createdBy(), l.createdAt(), l.expiresAt(), l.revokedAt(), l.revokedReason(),
                    state, url);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuditView(String id, Instant at, String actorType, String actorId, String action, String resourceType,
                     String resourceId, String patientId, String route, String clientAddress, int status, String outcome) {
        static AuditView of(org.dermatrend.store.AuditRepository.Entry e) {
            return new AuditView(e.id(), e.at(), e.actorType(), e.actorId(), e.action(), e.resourceType(), e.resourceId(),
                    e.patientId(), e.route(), e.clientAddress(), e.status(), e.outcome());
        }
    }

    record ListView<T>(List<T> items) {
    }

    record PageView<T>(List<T> items, int limit, int offset) {
    }

    /** A webhook endpoint; {@code secret} only in the answer that made it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WebhookView(String id, String url, List<String> events, boolean enabled, Instant createdAt, Instant disabledAt,
                       String disabledReason, String secret) {
        static WebhookView of(Records.Webhook w, String secret) {
            return new WebhookView(w.id(), w.url(), w.events(), w.enabled(), w.createdAt(), w.disabledAt(), w.disabledReason(), secret);
        }
    }

    /** One delivery of an event to an endpoint, with its last attempt and the body sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryView(String id, String webhookId, String eventId, String eventType, String state, int attempts, Instant createdAt,
                        Instant lastAttemptAt, Integer lastStatus, String lastError, Integer lastMillis, Instant nextAttemptAt,
                        Instant deliveredAt, JsonNode event) {
        static DeliveryView of(Records.WebhookDelivery d, com.fasterxml.jackson.databind.ObjectMapper json) {
            JsonNode event;
            try {
                event = json.readTree(d.payload());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("delivery " + d.id() + " holds a body that is not JSON", e);
            }
            return new DeliveryView(d.id(), d.webhookId(), d.eventId(), d.eventType(), d.state().label(), d.attempts(), d.createdAt(),
                    d.lastAttemptAt(), d.lastStatus(), d.lastError(), d.lastMillis(), d.nextAttemptAt(), d.deliveredAt(), event);
        }
    }
}
