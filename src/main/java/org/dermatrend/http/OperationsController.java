package org.dermatrend.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dermatrend.domain.Role;
import org.dermatrend.service.Caller;
import org.dermatrend.service.Failure;

/**
 * Health and the API's own description (no key), and the metrics, for the operator's admins: they count
 * clinics' requests and failures, which are theirs to see, not the internet's.
 */
final class OperationsController {
    private final ApiServer.Readiness readiness;
    private final PrometheusMeterRegistry meters;
    private final ApiServer.Authenticator authenticator;
    private final byte[] spec;
    private final byte[] docs;

    OperationsController(ApiServer.Readiness readiness, PrometheusMeterRegistry meters, ApiServer.Authenticator authenticator) {
        this.readiness = readiness;
        this.meters = meters;
        this.authenticator = authenticator;
        this.spec = resource("/api-spec/openapi.yaml");
        this.docs = resource("/api-docs/index.html");
    }

    void routes(RoutesConfig r) {
        r.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        r.get("/health/ready", this::ready);
        r.get("/metrics", this::metrics);
        r.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(spec));
        r.get("/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(docs));
    }

    private void metrics(Context ctx) {
        Caller caller = authenticator.caller(ctx);
        ctx.attribute(ApiServer.CALLER, caller);
        if (!caller.operator() || caller.role() != Role.ADMIN) {
            throw Failure.forbidden("The metrics are the operator's: scrape them with an admin key of the operator clinic "
                    + "(the first one made), as 'Authorization: Bearer KEY'.");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape());
    }

    private void ready(Context ctx) {
        Map<String, String> checks = readiness.checks();
        boolean ready = checks.values().stream().allMatch("up"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not-ready");
        body.put("checks", checks);
        ctx.status(ready ? 200 : 503).json(body);
    }

    private static byte[] resource(String path) {
        try (InputStream in = OperationsController.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the jar; rebuild with mvn package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
