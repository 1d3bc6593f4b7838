package org.dermatrend.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dermatrend.analysis.Budgets;
import org.dermatrend.service.AccessService;
import org.dermatrend.service.AuditLog;
import org.dermatrend.service.Caller;
import org.dermatrend.service.EventLog;
import org.dermatrend.service.Failure;
import org.dermatrend.service.FhirService;
import org.dermatrend.service.RecordServices;
import org.dermatrend.service.ReportService;
import org.dermatrend.service.ScoringService;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (api-spec/openapi.yaml) on Javalin: a thin skin over the services. {@link #create}
 * returns the server unstarted, so tests start it on port 0.
 *
 * <p>Request logs and metrics name routes and ids only: never photo bytes or patient references.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    static final String CALLER = "dermatrend.caller";
    /** Set on a request answered with a page for a person (a 404 page stays a page, not a problem). */
    static final String PAGE = "dermatrend.page";
    static final String SWAGGER_UI = "5.30.2";
    /**
     * The Content-Security-Policy of every answer: nothing from elsewhere, no framing. The report and the
     * API docs need their inline scripts and styles and data: images (the report is one self-contained page).
     */
    static final String CONTENT_POLICY = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'none'";

    /**
     * @param maxUploadBytes      largest photo accepted, in bytes (a request may carry two, for compare)
     * @param jettyThreads        request threads
     * @param uploadSlots         requests to the synchronous endpoints that may be streaming photo bodies into memory at
     *                            once; more get 503 (stored uploads stream to disk instead)
     * @param authFailuresPerMinute unknown or revoked keys one client address may send per minute before it
     *                            gets 429 for the rest of the minute ({@link RateLimits})
     * @param keyRequestsPerMinute requests one API key may make per minute, then 429 for the rest of it
     * @param addressRequestsPerMinute requests one client address may make per minute (all but /health/*), then 429
     * @param spoolDir            where stored uploads stream to before their intake ({@link Spool}; prepared by the caller)
     */
    public record Settings(long maxUploadBytes, int jettyThreads, int uploadSlots, int authFailuresPerMinute,
                           int keyRequestsPerMinute, int addressRequestsPerMinute, java.nio.file.Path spoolDir) {
        /** The default failed-authentication limit per address and minute. */
        public static final int DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;
        /** The default request limit per API key and minute (10 a second on average; all at once is allowed). */
        public static final int DEFAULT_KEY_REQUESTS_PER_MINUTE = 600;
        /** The default request limit per client address and minute: room for two keys at their limit. */
        public static final int DEFAULT_ADDRESS_REQUESTS_PER_MINUTE = 1200;
        /** The highest request limit per minute (there is no "unlimited"). */
        public static final int MAX_REQUESTS_PER_MINUTE = 1_000_000;

        public Settings {
            if (maxUploadBytes < 1024 || maxUploadBytes > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("the upload limit must be 1 KiB to 1 GiB, got " + maxUploadBytes);
            }
            if (jettyThreads < 8 || uploadSlots < 1) {
                throw new IllegalArgumentException("need at least 8 request threads and 1 upload slot");
            }
            if (authFailuresPerMinute < 1) {
                throw new IllegalArgumentException("the failed-authentication limit must be at least 1 a minute");
            }
            if (Math.min(keyRequestsPerMinute, addressRequestsPerMinute) < 1
                    || Math.max(keyRequestsPerMinute, addressRequestsPerMinute) > MAX_REQUESTS_PER_MINUTE) {
                throw new IllegalArgumentException("the request limits must be 1 to " + MAX_REQUESTS_PER_MINUTE + " a minute, got "
                        + keyRequestsPerMinute + " per key and " + addressRequestsPerMinute + " per address");
            }
        }
    }

    /** What {@code /health/ready} checks: each name → "up", or a sentence saying what is wrong. */
    public interface Readiness {
        Map<String, String> checks();
    }

    /** Everything the API calls. */
    public record Deps(AccessService access, RecordServices records, ScoringService scoring, ReportService reports, FhirService fhir,
                       AuditLog audit, Readiness readiness, PrometheusMeterRegistry meters, EventLog events, ObjectMapper json,
                       Settings settings, String publicUrl, java.util.List<String> corsOrigins,
                       org.dermatrend.service.WebhookService webhooks, org.dermatrend.service.StaffService staff,
                       org.dermatrend.service.CaptureService capture) {
    }

    private ApiServer() {
    }

    public static Javalin create(Deps d) {
        Problems problems = new Problems(d.meters());
        Requests requests = new Requests(d.json(), d.settings().maxUploadBytes() + 1024 * 1024, d.settings().uploadSlots(),
                d.settings().spoolDir());
        RateLimits limits = new RateLimits(d.settings().keyRequestsPerMinute(), d.settings().addressRequestsPerMinute(),
                d.settings().authFailuresPerMinute(), d.meters());
        Authenticator authenticator = ctx -> authenticate(ctx, d.access(), limits);
        OperationsController operations = new OperationsController(d.readiness(), d.meters(), authenticator);
        AccessController access = new AccessController(d.access(), requests);
        RecordsController records = new RecordsController(d.records(), requests, d.json());
        ReportController reports = new ReportController(d.reports(), requests, d.publicUrl(), java.time.Clock.systemUTC());
        FhirController fhir = new FhirController(d.fhir(), d.publicUrl());
        AuditController auditLog = new AuditController(d.audit(), d.json());
        WebhookController webhooks = new WebhookController(d.webhooks(), requests, d.json());
        Audit audit = new Audit(d.audit());
        WebPages web = new WebPages(d.staff(), d.records(), d.reports(), d.access(), d.capture(), requests, limits, audit, d.publicUrl(),
                d.settings().maxUploadBytes(), java.time.Clock.systemUTC());
        ScoringController scoring = new ScoringController(d.scoring(), requests, 2 * d.settings().maxUploadBytes() + 1024 * 1024);

        return Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(d.json(), false));
            // Browsers may call the API only from the origins the operator named (none by default); preflights of
            // those are answered; credentials are never allowed (the key goes in Authorization, set by the app).
            if (!d.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    rule.allowHost(d.corsOrigins().get(0), d.corsOrigins().subList(1, d.corsOrigins().size()).toArray(new String[0]));
                    rule.path = "/v1/*";
                    rule.maxAge = 600;
                    for (String h : java.util.List.of("Location", "Retry-After", "Idempotent-Replayed")) {
                        rule.exposeHeader(h);
                    }
                }));
            }
            config.jetty.threadPool = new QueuedThreadPool(d.settings().jettyThreads(), 4);
            config.http.maxRequestSize = 1024 * 1024;
            // A client that stops sending holds a thread and a photo buffer: 20 s without a byte and the request
            // is cut off (a client that trickles is cut off by MultipartBody's rate check).
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(20_000));
            // Multipart bodies are read by MultipartBody (bounded, rate-checked, in memory), not by the servlet parser.
            config.staticFiles.enableWebjars();
            // The web app's own stylesheet and script (src/main/resources/web), from the jar.
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/web";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.startup.showJavalinBanner = false;
            config.requestLogger.http((ctx, ms) -> {
                String route = route(ctx);
                Timer.builder("dermatrend.http.requests").description("Request latency by route, method and status")
                        .tag("route", route).tag("method", ctx.method().name()).tag("status", Integer.toString(ctx.status().getCode()))
                        .publishPercentileHistogram(false).register(d.meters()).record((long) (ms * 1000), TimeUnit.MICROSECONDS);
                Caller caller = ctx.attribute(CALLER);
                audit.write(ctx, route, caller, d.meters());
                d.events().request(ctx.method().name(), route, ctx.status().getCode(), ms,
                        caller == null ? null : caller.clinicId(), caller == null ? null : caller.actorId(), ctx.attribute(Problems.CODE));
            });

            config.routes.exception(Failure.class, (e, ctx) -> {
                if (WebPages.isPage(ctx)) {
                    web.failure(ctx, e);
                } else {
                    problems.write(ctx, e);
                }
            });
            // A request value outside the analysis' bounds (analysis.Budgets), wherever it is checked.
            config.routes.exception(Budgets.InvalidRequest.class, (e, ctx) -> problems.write(ctx, Failure.invalid(e.field(),
                    e.getMessage())));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus();
                if (status == 404 && (WebPages.isPage(ctx) || wantsPage(ctx))) {
                    web.notFound(ctx);
                    return;
                }
                String code = status == 413 ? "too-large" : status == 404 ? "not-found" : status == 405 ? "method-not-allowed"
                        : status == 400 ? "validation" : "http-" + status;
                problems.write(ctx, status, code, e.getMessage(), Map.of());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof Failure f) {
                        problems.write(ctx, f);
                        return;
                    }
                }
                LOG.error("{} {} failed: {}", ctx.method(), route(ctx), org.dermatrend.service.SafeLog.describe(e));
                if (WebPages.isPage(ctx)) {
                    web.internalError(ctx);
                    return;
                }
                problems.write(ctx, 500, "internal-error", "The request failed on an internal error; it has been logged.", Map.of());
            });
            config.routes.error(404, "*", ctx -> {
                if (Problems.written(ctx) || ctx.attribute(PAGE) != null) {
                    return;
                }
                if (wantsPage(ctx)) {
                    web.notFound(ctx);
                } else {
                    problems.write(ctx, 404, "not-found", "No such resource: " + ctx.method() + " " + ctx.path()
                            + ". The API is described at /openapi.yaml.", Map.of());
                }
            });
            config.routes.error(405, "*", ctx -> {
                if (!Problems.written(ctx)) {
                    problems.write(ctx, 405, "method-not-allowed", ctx.method() + " is not allowed on " + ctx.path() + ".", Map.of());
                }
            });

            // An error answered before the request body was read (a refused key, an unknown session, a
            // malformed multipart part) must not leave the rest of the upload unread: the connection would
            // be closed with bytes in flight and the client could see a reset instead of the answer. Read
            // and discard what remains, up to the upload limit and 10 seconds.
            long drainLimit = 2 * d.settings().maxUploadBytes() + 1024 * 1024;
            config.routes.after(ctx -> {
                if (ctx.status().getCode() >= 400 && ctx.method() == io.javalin.http.HandlerType.POST && !drain(ctx, drainLimit)) {
                    // The body could not be read to its end: say the connection closes, so the client does not
                    // send its next request on a connection that is going away.
                    ctx.header("Connection", "close");
                }
            });

            // Every answer: no MIME sniffing, no referrer (share-link tokens are in URLs), no framing, and a
            // content policy that lets the HTML pages (the report, the API docs) run only their own scripts and
            // styles; an authenticated answer is never cached (it holds patient data, or a new key's secret).
            config.routes.before(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("Content-Security-Policy", CONTENT_POLICY);
                if (ctx.path().startsWith("/v1/") || ctx.path().startsWith("/shared/")) {
                    ctx.header("Cache-Control", "no-store");
                }
            });

            // --- request-rate limit per client address: before any other work (the probes are not counted) ---
            config.routes.before(ctx -> {
                if (!ctx.path().startsWith("/health/")) {
                    limits.request(ctx.ip());
                }
            });

            // --- operations ---
            operations.routes(config.routes);

            // --- authentication: every /v1 route that exists needs a key ---
            config.routes.beforeMatched("/v1/*", ctx -> {
                if (!route(ctx).startsWith("/v1/")) {
                    return;
                }
                Caller caller = authenticator.caller(ctx);
                ctx.attribute(CALLER, caller);
                audit.resolve(ctx, caller);
            });

            // --- the web app for people (staff accounts, cookies) ---
            web.routes(config.routes);

            // --- clinics and keys ---
            access.routes(config.routes);

            // --- records ---
            records.routes(config.routes);

            // --- reports and share links ---
            reports.routes(config.routes);

            // --- the FHIR export ---
            fhir.routes(config.routes);

            // --- the audit log ---
            auditLog.routes(config.routes);

            // --- webhooks ---
            webhooks.routes(config.routes);

            // --- stateless scoring ---
            config.routes.post("/v1/score", scoring::score);
            config.routes.post("/v1/compare", scoring::compare);
        });
    }

    /** A browser asking for a page, not a program asking the API: the 404 it gets is a page. */
    private static boolean wantsPage(Context ctx) {
        String accept = ctx.header("Accept");
        return !ctx.path().startsWith("/v1/") && accept != null && accept.contains("text/html");
    }

    /** Reads and discards the rest of the request body; true when it reached the body's end. */
    private static boolean drain(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            return false; // refused for its size: closing is the answer
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            while (total <= limit && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    return true;
                }
                total += n;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // the multipart parser failed the stream: it cannot be read to its end
        }
    }

    /** The matched route's template (ids stay out of logs and metric tags), or "unmatched". */
    static String route(Context ctx) {
        try {
            io.javalin.router.Endpoint e = ctx.endpoints().matchedHttpEndpoint();
            return e == null ? "unmatched" : e.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /** Who a request's key stands for. */
    @FunctionalInterface
    interface Authenticator {
        /** @throws Failure 401 without a valid key, 429 from an address that sent too many unknown keys or a key past its rate */
        Caller caller(Context ctx);
    }

    /** The caller the request's key stands for. One way to send a key, the documented one. */
    private static Caller authenticate(Context ctx, AccessService access, RateLimits limits) {
        String address = ctx.ip();
        limits.checkAuthFailures(address);
        String header = ctx.header("Authorization");
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (key == null || key.isBlank()) {
            throw Failure.unauthenticated("Send your API key as 'Authorization: Bearer KEY'"
                    + (ctx.header("X-API-Key") != null ? " (an X-API-Key header is not read)." : "."));
        }
        Optional<Caller> caller = access.authenticate(key);
        if (caller.isEmpty()) {
            limits.authFailed(address);
            throw Failure.unauthenticated("The API key is unknown or revoked.");
        }
        limits.keyRequest(caller.get().keyId());
        return caller.get();
    }

    static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("no caller on " + ctx.path() + ": the authentication filter did not run");
        }
        return c;
    }
}
