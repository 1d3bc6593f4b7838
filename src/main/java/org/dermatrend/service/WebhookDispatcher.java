package org.dermatrend.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.dermatrend.store.WebhookRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds: a fixed pool of threads claims due deliveries with a lease, signs each the
 * Standard Webhooks way ({@code webhook-id} = the event's id, the same on every attempt;
 * {@code webhook-timestamp}; {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>}),
 * posts it, and records the attempt. A 2xx answer delivers it; anything else (no answer within the
 * timeout, a refused connection, a redirect, another status) is tried again after the next delay of the
 * retry schedule, with up to 10 % jitter; when the schedule is spent the delivery fails, and the endpoint
 * is disabled with the reason unless some other delivery reached it meanwhile. A 410 Gone answer disables
 * the endpoint at once (the receiver asked for no more). A process killed mid-attempt leaves the delivery
 * to be sent again once its lease ends: delivery is at least once, and a receiver drops duplicates by
 * {@code webhook-id}.
 *
 * <p>The first thread also settles trend checks ({@link TrendWatch}) and, hourly, prunes events older than
 * the retention that nothing waits for. Threads sleep until {@link #wake()} or the poll interval (events
 * written by another process sharing the database are found by polling).
 *
 * <p>Logs carry delivery, event and endpoint ids and statuses: never the body, the secret or the URL's query.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param threads      sending threads (each holds one delivery at a time)
     * @param retryDelays  the wait after each failed attempt before the next; the first attempt is at once, so a
     *                     delivery is attempted {@code retryDelays.size() + 1} times
     * @param timeout      how long the receiver has to answer an attempt
     * @param lease        how long a claimed delivery is held before another dispatcher may take it (longer than the timeout)
     * @param pollInterval how often idle threads look for due deliveries without being woken
     * @param keep         how long events and their delivery records are kept once nothing waits for them
     */
    public record Settings(int threads, List<Duration> retryDelays, Duration timeout, Duration lease, Duration pollInterval,
                           Duration keep) {
        /** The Standard Webhooks schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (27 h 35 min in all). */
        public static final List<Duration> STANDARD_RETRY_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

        public Settings {
            retryDelays = List.copyOf(retryDelays);
            if (threads < 1 || threads > 16) {
                throw new IllegalArgumentException("webhook threads must be 1 to 16, got " + threads);
            }
            if (retryDelays.size() > 20 || retryDelays.stream().anyMatch(d -> d.isNegative() || d.compareTo(Duration.ofDays(2)) > 0)) {
                throw new IllegalArgumentException("the webhook retry schedule takes at most 20 delays of 0 to 48 h, got " + retryDelays);
            }
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(timeout.plusSeconds(5)) < 0) {
                throw new IllegalArgumentException("the webhook timeout must be at least 1 s and the lease 5 s longer, got "
                        + timeout + " and " + lease);
            }
        }

        /** Two threads, the standard schedule, 10 s to answer, a 30 s lease, a 1 s poll, 30 days kept. */
        public static Settings defaults() {
            return new Settings(2, STANDARD_RETRY_DELAYS, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1),
                    Duration.ofDays(30));
        }

        /** How long a delivery is tried before it fails, jitter aside. */
        public Duration span() {
            return retryDelays.stream().reduce(Duration.ZERO, Duration::plus);
        }
    }

    private final WebhookRepository webhooks;
    private final WebhookTargets targets;
    private final TrendWatch trends;
    private final AuditLog audit;
    private final Settings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final String processName = "h-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Thread> threads = new ArrayList<>();
    private final Wakeup wakeup = new Wakeup();
    private volatile boolean stopping;
    private Instant lastPrune = Instant.EPOCH;

    public WebhookDispatcher(WebhookRepository webhooks, WebhookTargets targets, TrendWatch trends, AuditLog audit, Settings settings,
                             Clock clock, MeterRegistry meters) {
        this.webhooks = webhooks;
        this.targets = targets;
        this.trends = trends;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY).build();
    }

    public synchronized void start() {
        if (!threads.isEmpty()) {
            return;
        }
        for (int i = 0; i < settings.threads(); i++) {
            String name = processName + "-d" + i;
            boolean first = i == 0;
            Thread t = new Thread(() -> loop(name, first), "webhooks-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Tells idle threads that something may be due (an analysis finished, a test was asked for). */
    public void wake() {
        wakeup.wake();
    }

    private void loop(String worker, boolean first) {
        while (!stopping) {
            boolean busy = false;
            if (first) {
                try {
                    busy = trends.run(20) > 0;
                    prune();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("webhook dispatcher {}: trend checks: {}", worker, SafeLog.describe(e));
                }
            }
            try {
                Optional<WebhookRepository.Due> due = webhooks.claim(worker, clock.instant(), settings.lease());
                if (due.isPresent()) {
                    attempt(worker, due.get());
                    busy = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("webhook dispatcher {}: {}", worker, SafeLog.describe(e));
            }
            if (!busy) {
                idle();
            }
        }
    }

    private void prune() {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).toHours() >= 1) {
            lastPrune = now;
            int gone = webhooks.prune(now.minus(settings.keep()));
            if (gone > 0) {
                LOG.info("removed {} webhook event(s) older than {} days", gone, settings.keep().toDays());
            }
        }
    }

    /** One attempt of a delivery the worker holds, and its record. */
    void attempt(String worker, WebhookRepository.Due d) throws InterruptedException {
        URI target = URI.create(d.url());
        long start = System.nanoTime();
        Integer status = null;
        String error = null;
        Optional<String> refused = targets.refusal(target);
        if (refused.isPresent()) {
            error = "not sent: " + refused.get();
        } else {
            try {
                long timestamp = clock.instant().getEpochSecond();
                String signature = new com.standardwebhooks.Webhook(d.secret()).sign(d.eventId(), timestamp, d.payload());
                HttpRequest request = HttpRequest.newBuilder(target).timeout(settings.timeout())
                        .header("Content-Type", "application/json").header("User-Agent", "dermatrend-webhooks/1")
                        .header("webhook-id", d.eventId()).header("webhook-timestamp", Long.toString(timestamp))
                        .header("webhook-signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                // The answer's body is never read: closed unread, the exchange is cancelled, so a receiver that
                // sends its headers and then trickles a body cannot hold a sending thread past the timeout.
                response.body().close();
                if (status / 100 != 2) {
                    error = status / 100 == 3 ? "the receiver answered with a redirect (" + status + "); redirects are not followed, "
                            + "give the final address" : "the receiver answered " + status;
                }
            } catch (HttpTimeoutException e) {
                error = "no answer within " + settings.timeout().toSeconds() + " s";
            } catch (ConnectException e) {
                error = "the connection was refused or could not be made";
            } catch (IOException e) {
                error = "the request failed: " + SafeLog.describe(e);
            } catch (com.standardwebhooks.exceptions.WebhookSigningException
                     | com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
                throw new IllegalStateException("webhook " + d.webhookId() + " has a secret that cannot sign: " + e.getMessage(), e);
            }
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
        Instant now = clock.instant();
        boolean kept;
        String outcome;
        if (error == null) {
            kept = webhooks.delivered(d.deliveryId(), worker, status, millis, now);
            outcome = "delivered";
            Timer.builder("dermatrend.webhook.delay").description("Time from an event to its delivery")
                    .register(meters).record(Duration.between(d.eventAt(), now));
        } else if (status != null && status == 410) {
            kept = webhooks.attemptFailed(d.deliveryId(), worker, status, error, millis, now, null,
                    "The receiver answered 410 Gone on " + now + ", which asks for no more deliveries. Enable the webhook again "
                            + "(PATCH {\"enabled\": true}) if that was a mistake.");
            outcome = "gone";
        } else if (d.attempts() <= settings.retryDelays().size()) {
            Duration wait = settings.retryDelays().get(d.attempts() - 1);
            long jitter = (long) (wait.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
            kept = webhooks.attemptFailed(d.deliveryId(), worker, status, error, millis, now, now.plus(wait).plusMillis(jitter), null);
            outcome = "retry";
        } else {
            Duration span = settings.span();
            boolean alive = webhooks.deliveredSince(d.webhookId(), now.minus(span));
            kept = webhooks.attemptFailed(d.deliveryId(), worker, status, error, millis, now, null, alive ? null
                    : "Deliveries failed for " + words(span) + " (" + d.attempts() + " attempts; the last: " + error + "), and none "
                    + "reached the receiver in that time; disabled on " + now + ". Fix the receiver, then enable the webhook again "
                    + "(PATCH {\"enabled\": true}): waiting deliveries are sent then; events while disabled are not kept for it, so "
                    + "catch up with GET /v1/analyses?since=.");
            outcome = "gave_up";
        }
        if (!kept) {
            LOG.warn("webhook delivery {}: not recorded (its endpoint was removed meanwhile, or the attempt outlived its lease "
                    + "and another dispatcher has it)", d.deliveryId());
            return;
        }
        Counter.builder("dermatrend.webhook.attempts").description("Webhook delivery attempts, by outcome")
                .tag("outcome", outcome).register(meters).increment();
        if (!outcome.equals("delivered")) {
            LOG.info("webhook delivery {} (event {}, webhook {}) attempt {}: {}", d.deliveryId(), d.eventId(), d.webhookId(),
                    d.attempts(), status != null ? "status " + status : "no answer");
        }
        record(d, target.getHost(), status, error == null);
    }

    /** The audit entry of an attempt: which record's ids left the service, to which host, how it ended. */
    private void record(WebhookRepository.Due d, String host, Integer status, boolean delivered) {
        try {
            JsonNode data = JSON.readTree(d.payload()).path("data");
            String type = data.has("analysisId") ? "analysis" : data.has("areaId") ? "area" : "webhook";
            String id = data.path(type.equals("webhook") ? "webhookId" : type + "Id").asText(null);
            audit.delivery(d.clinicId(), d.webhookId(), type, id, data.path("patientId").asText(null), d.eventType(), host, status, delivered);
        } catch (IOException | RuntimeException e) {
            LOG.error("audit: the entry for webhook delivery {} could not be written: {}", d.deliveryId(), SafeLog.describe(e));
            meters.counter("dermatrend.audit.failures").increment();
        }
    }

    private static String words(Duration d) {
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        return hours > 0 ? hours + " h " + minutes + " min" : minutes > 0 ? minutes + " min " + seconds + " s" : seconds + " s";
    }

    private void idle() {
        if (!stopping && !wakeup.await(settings.pollInterval())) {
            stopping = true;
        }
    }

    /** Stops the threads, waiting up to the timeout for attempts under way; a delivery left held is sent again after its lease. */
    @Override
    public synchronized void close() {
        stopping = true;
        wake();
        for (Thread t : threads) {
            try {
                t.join(settings.timeout().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
    }
}
