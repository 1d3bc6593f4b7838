package org.dermatrend.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.dermatrend.domain.Role;
import org.dermatrend.store.AuditRepository;
import org.dermatrend.store.AuditRepository.Entry;

/**
 * Who read or wrote which patient record, when, from where, and how it ended (HIPAA §164.312(b)). The
 * HTTP layer records one entry per request to a route that touches patient data, denied and failed ones
 * included; admins read the log of their clinic. Entries name records by id only: an erased patient's
 * entries stay, and say nothing about who they were.
 */
public final class AuditLog {
    private final AuditRepository repository;
    private final Clock clock;

    public AuditLog(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** One access, as the HTTP layer saw it. */
    public record Access(String clinicId, String actorType, String actorId, String action, String resourceType, String resourceId,
                         String patientId, String route, String clientAddress, int status) {
    }

    public void record(Access a) {
        String outcome = a.status() < 400 ? "ok" : a.status() == 401 || a.status() == 403 || a.status() == 429 ? "denied"
                : a.status() == 404 || a.status() == 410 ? "not_found" : "failed";
        repository.insert(new Entry(UUID.randomUUID().toString(), clock.instant(), a.clinicId(), a.actorType(), a.actorId(),
                a.action(), a.resourceType(), a.resourceId(), a.patientId(), a.route(), a.clientAddress(), a.status(), outcome));
    }

    /**
     * A webhook delivery attempt that carried a record's ids out of the service: actor {@code webhook} (the
     * endpoint's id), action {@code send}, the route {@code webhook EVENT_TYPE}, the receiver's host where a
     * request's client address would be, and the receiver's status (0: it gave no answer).
     */
    public void delivery(String clinicId, String webhookId, String resourceType, String resourceId, String patientId, String eventType,
                         String host, Integer status, boolean delivered) {
        String to = host == null || host.length() <= 64 ? host : host.substring(0, 64);
        repository.insert(new Entry(UUID.randomUUID().toString(), clock.instant(), clinicId, "webhook", webhookId, "send", resourceType,
                resourceId, patientId, "webhook " + eventType, to, status == null ? 0 : status, delivered ? "ok" : "failed"));
    }

    /** The patient a record belongs to, for the entry (looked up before the request changes anything). */
    public Optional<String> patientOf(String clinicId, String resourceType, String id) {
        return repository.patientOf(clinicId, resourceType, id);
    }

    /** What an admin asks for: each null means any. */
    public record Query(String patientId, String actorId, Instant from, Instant to) {
    }

    /** A page of the clinic's entries, newest first. Admins only. */
    public List<Entry> list(Caller caller, Query q, int limit, int offset) {
        caller.require("read the audit log", Role.ADMIN);
        return repository.list(filter(caller, q), limit, offset);
    }

    /** Every matching entry of the clinic, oldest first, streamed to {@code sink}. Admins only. */
    public void export(Caller caller, Query q, Consumer<Entry> sink) {
        caller.require("read the audit log", Role.ADMIN);
        repository.forEach(filter(caller, q), sink);
    }

    private static AuditRepository.Filter filter(Caller caller, Query q) {
        if (q.from() != null && q.to() != null && !q.from().isBefore(q.to())) {
            throw Failure.invalid("from", "from must be before to");
        }
        return new AuditRepository.Filter(caller.clinicId(), q.patientId(), q.actorId(), q.from(), q.to());
    }
}
