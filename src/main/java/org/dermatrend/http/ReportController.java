package org.dermatrend.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.dermatrend.service.Caller;
import org.dermatrend.service.Failure;
import org.dermatrend.service.ReportService;

/** An area's report (HTML or PDF), the signed links that share it, and the shared report a link opens. */
final class ReportController {
    private final ReportService reports;
    private final Requests requests;

    ReportController(ReportService reports, Requests requests) {
        this.reports = reports;
        this.requests = requests;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/areas/{areaId}/report", ctx -> report(ctx, ApiServer.caller(ctx), ctx.pathParam("areaId")));
        r.post("/v1/areas/{areaId}/report-links", this::createLink);
        r.get("/shared/reports/{token}", ctx -> {
            var grant = reports.redeem(ctx.pathParam("token"));
            report(ctx, ReportService.callerOf(grant), grant.areaId());
        });
    }

    private void createLink(Context ctx) {
        Integer hours = ctx.body().isBlank() ? null : requests.body(ctx, Bodies.NewLink.class).expiresInHours();
        var link = reports.link(ApiServer.caller(ctx), ctx.pathParam("areaId"), hours);
        ctx.status(201).json(Map.of("url", "/shared/reports/" + link.token(), "expiresAt", link.expiresAt().toString()));
    }

    private void report(Context ctx, Caller caller, String areaId) throws Exception {
        String format = ctx.queryParam("format");
        ctx.header("Cache-Control", "private, no-store");
        if ("pdf".equals(format)) {
            ctx.contentType("application/pdf").result(reports.pdf(caller, areaId));
        } else if (format == null || format.equals("html")) {
            ctx.contentType("text/html; charset=utf-8").result(reports.html(caller, areaId));
        } else {
            throw Failure.invalid("format", "format must be html or pdf, got '" + format + "'");
        }
    }
}
