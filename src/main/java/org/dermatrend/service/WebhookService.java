package org.dermatrend.service;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.dermatrend.domain.EventType;
import org.dermatrend.domain.Records.Webhook;
import org.dermatrend.domain.Records.WebhookDelivery;
import org.dermatrend.domain.Role;
import org.dermatrend.store.WebhookRepository;

/**
 * A clinic's webhook endpoints, managed by its admins: made with a signing secret shown once, listed,
 * changed, enabled again after they were disabled, tested, removed, and their delivery log read.
 * Deliveries themselves are the {@link WebhookDispatcher}'s.
 */
public final class WebhookService {
    /** Endpoints one clinic may have. */
    public static final int MAX_PER_CLINIC = 10;

    private final WebhookRepository webhooks;
    private final WebhookTargets targets;
    private final Runnable wake;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** @param wake tells the dispatcher that a delivery is due (a test event) */
    public WebhookService(WebhookRepository webhooks, WebhookTargets targets, Runnable wake, Clock clock) {
        this.webhooks = webhooks;
        this.targets = targets;
        this.wake = wake;
        this.clock = clock;
    }

    /** A new endpoint and its secret, the only time the secret is shown. */
    public record Created(Webhook webhook, String secret) {
    }

    public Created create(Caller caller, String url, List<String> events) {
        caller.require("manage webhooks", Role.ADMIN);
        List<String> types = events(events); // before the url, whose check may ask DNS
        URI target = checked(url);
        byte[] key = new byte[32];
        random.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Webhook w = new Webhook(UUID.randomUUID().toString(), caller.clinicId(), target.toString(), types, secret, caller.keyId(),
                clock.instant(), null, null);
        if (!webhooks.insertUnder(w, MAX_PER_CLINIC)) {
            throw Failure.conflict("too-many-webhooks", "Your clinic has " + MAX_PER_CLINIC + " webhooks, the most it may have; "
                    + "remove one (DELETE /v1/webhooks/{id}) first, or subscribe an existing one to more events.");
        }
        return new Created(w, secret);
    }

    public List<Webhook> list(Caller caller) {
        caller.require("manage webhooks", Role.ADMIN);
        return webhooks.list(caller.clinicId());
    }

    public Webhook webhook(Caller caller, String id) {
        caller.require("manage webhooks", Role.ADMIN);
        return webhooks.find(caller.clinicId(), id).orElseThrow(() -> Failure.notFound("webhook", id));
    }

    /**
     * Changes the address and events (each null: unchanged); {@code enabled} true enables a disabled endpoint
     * again (its waiting deliveries are sent at once), false is refused (remove the endpoint instead).
     */
    public Webhook update(Caller caller, String id, String url, List<String> events, Boolean enabled, java.util.Set<String> present) {
        webhook(caller, id);
        for (String field : List.of("url", "events", "enabled")) {
            boolean given = present.contains(field);
            Object value = field.equals("url") ? url : field.equals("events") ? events : enabled;
            if (given && value == null) {
                throw Failure.invalid(field, field + " cannot be removed (null); leave it out to keep it"
                        + (field.equals("enabled") ? "" : ", or give a new one") + ".");
            }
        }
        if (Boolean.FALSE.equals(enabled)) {
            throw Failure.invalid("enabled", "enabled can only be set to true (to resume deliveries after the endpoint was disabled); "
                    + "to stop deliveries remove the webhook with DELETE /v1/webhooks/" + id + ".");
        }
        String target = url == null ? null : checked(url).toString();
        List<String> types = events == null ? null : events(events);
        webhooks.update(caller.clinicId(), id, target, types, Boolean.TRUE.equals(enabled), clock.instant());
        if (Boolean.TRUE.equals(enabled)) {
            wake.run();
        }
        return webhook(caller, id);
    }

    public void delete(Caller caller, String id) {
        webhook(caller, id);
        if (!webhooks.delete(caller.clinicId(), id)) {
            throw Failure.notFound("webhook", id);
        }
    }

    /** Queues a {@code webhook.test} event for the endpoint alone; its delivery, pending. */
    public WebhookDelivery test(Caller caller, String id) {
        Webhook w = webhook(caller, id);
        if (!w.enabled()) {
            throw Failure.conflict("webhook-disabled", "The webhook is disabled (" + w.disabledReason() + "). Enable it with PATCH "
                    + "/v1/webhooks/" + id + " {\"enabled\": true} once the receiver works, then test it.");
        }
        if (webhooks.testPending(id)) {
            throw Failure.conflict("webhook-test-pending", "A test event for this webhook is still waiting to be delivered; see "
                    + "GET /v1/webhooks/" + id + "/deliveries, and test again once it is delivered or failed.");
        }
        String delivery = webhooks.queueTest(caller.clinicId(), id, clock.instant()).orElseThrow(
                () -> Failure.conflict("webhook-disabled", "The webhook was disabled or removed meanwhile; see GET /v1/webhooks/" + id + "."));
        wake.run();
        return webhooks.delivery(caller.clinicId(), delivery).orElseThrow(() -> Failure.notFound("webhook", id));
    }

    /** The endpoint's deliveries, newest first. */
    public List<WebhookDelivery> deliveries(Caller caller, String id, int limit, int offset) {
        webhook(caller, id);
        return webhooks.deliveries(caller.clinicId(), id, limit, offset);
    }

    private URI checked(String url) {
        URI target = targets.parse(url);
        targets.refusal(target).ifPresent(why -> {
            throw Failure.unprocessable("webhook-target-refused", "The webhook's url cannot be used: " + why + ".");
        });
        return target;
    }

    private static List<String> events(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw Failure.invalid("events", "events is required: one or more of " + subscribable() + ".");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String e : events) {
            EventType type = EventType.parse(e).filter(EventType.subscribable()::contains).orElseThrow(() -> Failure.invalid("events",
                    "'" + e + "' is not an event a webhook can take" + ("alert.raised".equals(e)
                            ? " yet (alerts come with the pigmentation measures, not built yet)" : "") + "; use " + subscribable() + "."));
            out.add(type.label());
        }
        return new ArrayList<>(out);
    }

    private static String subscribable() {
        return String.join(", ", EventType.subscribable().stream().map(EventType::label).toList());
    }
}
