package org.dermatrend.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.dermatrend.service.AuditLog;
import org.dermatrend.service.Caller;
import org.dermatrend.service.SafeLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's view of a request: which routes touch patient data, what record a request is about,
 * and the entry written when it has been answered (every status, denials included).
 *
 * <p>The record is named by the route's last id parameter ({@code /v1/photos/{photoId}} → photo) and its
 * patient looked up before the handler runs, so an erasure is logged with the patient it erased; a handler
 * that creates a record names it instead ({@link #subject}). A share link's token is never logged: its
 * handler names the link by id.
 */
final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    private static final String SUBJECT = "dermatrend.audit.subject";
    private static final String ACTOR = "dermatrend.audit.actor";

    /** The route prefixes whose every request is audited. */
    static final List<String> AUDITED = List.of("/v1/patients", "/v1/areas", "/v1/sessions", "/v1/photos", "/v1/analyses",
            "/v1/report-links", "/v1/audit", "/shared/reports",
            // the web app's pages of the same records
            "/patients", "/areas", "/sessions", "/photos", "/report-links");

    private static final Map<String, String> KINDS = Map.of("patientId", "patient", "areaId", "area", "sessionId", "session",
            "photoId", "photo", "analysisId", "analysis", "linkId", "report_link");

    private final AuditLog log;

    Audit(AuditLog log) {
        this.log = log;
    }

    record Subject(String type, String id, String patientId) {
    }

    private record Actor(String type, String id) {
    }

    static boolean audited(String route) {
        // The capture page's frame checks (two a second while the camera is open) compare a camera frame with the
        // baseline and keep nothing: the capture page's own request is the entry that says who looked.
        if (route.endsWith("/capture/check")) {
            return false;
        }
        return AUDITED.stream().anyMatch(p -> route.equals(p) || route.startsWith(p + "/"));
    }

    /** Names the record a request is about (a handler that made it, or one that knows it better). */
    static void subject(Context ctx, String type, String id, String patientId) {
        Subject known = ctx.attribute(SUBJECT);
        String patient = patientId != null ? patientId : known != null && known.patientId() != null ? known.patientId() : null;
        ctx.attribute(SUBJECT, new Subject(type, id, patient));
    }

    /** A reader who is not a key's holder (a share link, by its id). */
    static void actor(Context ctx, String type, String id) {
        ctx.attribute(ACTOR, new Actor(type, id));
    }

    /** Before the handler, once the caller is known: the record the route names and its patient. */
    void resolve(Context ctx, Caller caller) {
        if (!audited(ApiServer.route(ctx))) {
            return;
        }
        Subject named = named(ctx);
        if (named == null) {
            return;
        }
        String patient = null;
        try {
            patient = log.patientOf(caller.clinicId(), named.type(), named.id()).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("audit: cannot look up the patient of a {}: {}", named.type(), SafeLog.describe(e));
        }
        ctx.attribute(SUBJECT, new Subject(named.type(), named.id(), patient));
    }

    /** The record the route's last id parameter names ({@code {photoId}} → photo), or null for a route without one. */
    private static Subject named(Context ctx) {
        Subject last = null;
        for (Map.Entry<String, String> e : ctx.pathParamMap().entrySet()) {
            if (KINDS.containsKey(e.getKey())) {
                last = new Subject(KINDS.get(e.getKey()), clip(e.getValue()), null);
            }
        }
        return last;
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-fA-F-]{36}");

    /**
     * The id as logged: only something shaped like one of our ids. Anything else in an id's place (a patient's
     * reference sent by mistake, say) is not written to a log that outlives erasure.
     */
    private static String clip(String id) {
        return id == null || !ID.matcher(id).matches() ? null : id;
    }

    /** After the answer: the entry. A failure to write it is logged and counted, never hidden. */
    void write(Context ctx, String route, Caller caller, io.micrometer.core.instrument.MeterRegistry meters) {
        if (!audited(route)) {
            return;
        }
        Subject s = ctx.attribute(SUBJECT);
        if (s == null) {
            s = fallback(ctx, route);
        }
        Actor actor = ctx.attribute(ACTOR);
        String actorType = actor != null ? actor.type() : caller != null ? caller.actorType() : "anonymous";
        String actorId = actor != null ? actor.id() : caller != null ? caller.actorId() : null;
        String clinic = caller != null ? caller.clinicId() : ctx.attribute("dermatrend.audit.clinic");
        try {
            if (s.patientId() == null && s.id() != null && clinic != null) { // a record the handler made, or a link's
                s = new Subject(s.type(), s.id(), log.patientOf(clinic, s.type(), s.id()).orElse(null));
            }
            log.record(new AuditLog.Access(clinic, actorType, actorId, action(ctx, route), s.type(), s.id(), s.patientId(), route,
                    ctx.ip(), ctx.status().getCode()));
        } catch (RuntimeException e) {
            LOG.error("audit: the entry for {} {} could not be written: {}", ctx.method(), route, SafeLog.describe(e));
            meters.counter("dermatrend.audit.failures").increment();
        }
    }

    /** Records the clinic of an anonymous reader (a share link's). */
    static void clinic(Context ctx, String clinicId) {
        ctx.attribute("dermatrend.audit.clinic", clinicId);
    }

    private static Subject fallback(Context ctx, String route) {
        Subject named = named(ctx);
        if (named != null) {
            return named;
        }
        String type = route.startsWith("/v1/audit") ? "audit" : route.startsWith("/shared/") ? "report_link"
                : route.startsWith("/v1/patients") ? "patient" : route.startsWith("/v1/analyses") ? "analysis" : "unknown";
        return new Subject(type, null, null);
    }

    private static String action(Context ctx, String route) {
        return switch (ctx.method().name()) {
            case "GET", "HEAD" -> "read";
            case "POST" -> route.endsWith("/report-links") || route.endsWith("/share") ? "share"
                    : route.endsWith("/revoke") ? "revoke" : route.endsWith("/erase") ? "delete"
                    : route.endsWith("/gray-card") || route.endsWith("/scale") ? "update" : "create";
            case "PATCH", "PUT" -> "update";
            case "DELETE" -> route.startsWith("/v1/report-links") ? "revoke" : "delete";
            default -> ctx.method().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
