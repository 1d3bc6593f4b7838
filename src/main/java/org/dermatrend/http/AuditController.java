package org.dermatrend.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.dermatrend.service.AuditLog;
import org.dermatrend.service.Failure;

/** The audit log for the clinic's admins: a page at a time, or everything as JSON Lines. */
final class AuditController {
    private final AuditLog audit;
    private final ObjectMapper json;

    AuditController(AuditLog audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/audit", ctx -> {
            int limit = Requests.intQuery(ctx, "limit", 100, 1, 1000);
            int offset = Requests.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(new ApiViews.PageView<>(audit.list(ApiServer.caller(ctx), query(ctx), limit, offset).stream()
                    .map(ApiViews.AuditView::of).toList(), limit, offset));
        });
        r.get("/v1/audit/export", this::export);
    }

    /** Every matching entry, oldest first, one JSON object a line, streamed as read from the database. */
    private void export(Context ctx) throws IOException {
        AuditLog.Query q = query(ctx);
        var caller = ApiServer.caller(ctx);
        caller.require("read the audit log", org.dermatrend.domain.Role.ADMIN);
        ctx.contentType("application/jsonl; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"audit.jsonl\"");
        OutputStream out = ctx.outputStream();
        try {
            audit.export(caller, q, e -> {
                try {
                    out.write(json.writeValueAsBytes(ApiViews.AuditView.of(e)));
                    out.write('\n');
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the client went away
        }
        out.flush();
    }

    private static AuditLog.Query query(Context ctx) {
        return new AuditLog.Query(id(ctx, "patientId"), id(ctx, "actorId"), Requests.instantQuery(ctx, "from"),
                Requests.instantQuery(ctx, "to"));
    }

    private static String id(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > 64 || !v.matches("[A-Za-z0-9-]+")) {
            throw Failure.invalid(name, name + " must be an id (letters, digits and '-', at most 64), got '"
                    + (v.length() > 64 ? v.substring(0, 64) + "…" : v) + "'");
        }
        return v;
    }
}
