package org.dermatrend.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Health, metrics and the API's own description: the routes that need no key. */
final class OperationsController {
    private final ApiServer.Readiness readiness;
    private final PrometheusMeterRegistry meters;
    private final byte[] spec;
    private final byte[] docs;

    OperationsController(ApiServer.Readiness readiness, PrometheusMeterRegistry meters) {
        this.readiness = readiness;
        this.meters = meters;
        this.spec = resource("/api-spec/openapi.yaml");
        this.docs = resource("/api-docs/index.html");
    }

    void routes(RoutesConfig r) {
        r.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        r.get("/health/ready", this::ready);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
        r.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(spec));
        r.get("/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(docs));
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
