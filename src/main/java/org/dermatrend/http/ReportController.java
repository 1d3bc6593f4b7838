package org.dermatrend.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.dermatrend.service.Caller;
import org.dermatrend.service.Failure;
import org.dermatrend.service.ReportService;
import org.dermatrend.store.LinkRepository;

/** An area's report (HTML or PDF), the share links that give it away, and the shared report a link opens. */
final class ReportController {
    /** What a reader of a link that does not open sees: a page for a person, saying what to do, never an API error. */
    static final String WITHDRAWN_PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Link expired or withdrawn</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
            h1{font-size:1.4rem}</style></head>
            <body><main><h1>This link has expired or was withdrawn</h1>
            <p>The report it pointed to is no longer shared through this link. Links to treatment reports work for a limited
            time and can be withdrawn by the clinic at any moment.</p>
            <p>If you still need the report, ask the clinic that sent you the link for a new one.</p></main></body></html>
            """;

    private final ReportService reports;
    private final Requests requests;
    private final String publicBaseUrl;
    private final Clock clock;

    /** @param publicBaseUrl the service's address as its users reach it (links are made absolute with it), or null */
    ReportController(ReportService reports, Requests requests, String publicBaseUrl, Clock clock) {
        this.reports = reports;
        this.requests = requests;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/areas/{areaId}/report", ctx -> report(ctx, ApiServer.caller(ctx), ctx.pathParam("areaId")));
        r.post("/v1/areas/{areaId}/report-links", this::createLink);
        r.get("/v1/areas/{areaId}/report-links", ctx -> ctx.json(new ApiViews.ListView<>(reports.links(ApiServer.caller(ctx),
                ctx.pathParam("areaId")).stream().map(l -> ApiViews.LinkView.of(l, clock.instant(), null)).toList())));
        r.get("/v1/report-links/{linkId}", ctx -> ctx.json(ApiViews.LinkView.of(reports.reportLink(ApiServer.caller(ctx),
                ctx.pathParam("linkId")), clock.instant(), null)));
        r.delete("/v1/report-links/{linkId}", ctx -> ctx.json(ApiViews.LinkView.of(reports.revokeLink(ApiServer.caller(ctx),
                ctx.pathParam("linkId")), clock.instant(), null)));
        r.get("/shared/reports/{token}", this::shared);
    }

    private void createLink(Context ctx) throws Exception {
        Integer hours = ctx.body().isBlank() ? null : requests.body(ctx, Bodies.NewLink.class).expiresInHours();
        ReportService.NewLink made = reports.link(ApiServer.caller(ctx), ctx.pathParam("areaId"), hours);
        Audit.subject(ctx, "report_link", made.link().id(), null);
        String url = base(ctx) + "/shared/reports/" + made.token();
        ctx.header("Location", "/v1/report-links/" + made.link().id());
        ctx.status(201).json(ApiViews.LinkView.of(made.link(), clock.instant(), url));
    }

    private String base(Context ctx) {
        return base(ctx, publicBaseUrl);
    }

    /**
     * The configured public address ({@code serve --public-url}), or the one this request reached (scheme and host
     * as the client sent them): what absolute links to the service are made with (share links, the FHIR export's photos).
     */
    static String base(Context ctx, String publicBaseUrl) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        return ctx.scheme() + "://" + ctx.host();
    }

    private void shared(Context ctx) throws Exception {
        String format = ctx.queryParam("format");
        boolean pdf = "pdf".equals(format);
        Optional<ReportService.Shared> shared = format == null || format.equals("html") || pdf
                ? reports.shared(ctx.pathParam("token"), pdf) : Optional.empty();
        ctx.header("Cache-Control", "no-store");
        if (shared.isEmpty()) {
            Audit.subject(ctx, "report_link", null, null);
            ctx.attribute(ApiServer.PAGE, true);
            ctx.status(404).contentType("text/html; charset=utf-8").result(WITHDRAWN_PAGE.getBytes(StandardCharsets.UTF_8));
            return;
        }
        LinkRepository.Link link = shared.get().link();
        Audit.actor(ctx, "link", link.id());
        Audit.clinic(ctx, link.clinicId());
        Audit.subject(ctx, "report_link", link.id(), null);
        ctx.contentType(shared.get().mediaType()).result(shared.get().body());
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
