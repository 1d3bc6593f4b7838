package org.dermatrend.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.dermatrend.service.AccessService;

/** The caller's clinic, new clinics and the clinic's API keys: parse, call the access service, map. */
final class AccessController {
    private final AccessService access;
    private final Requests requests;

    AccessController(AccessService access, Requests requests) {
        this.access = access;
        this.requests = requests;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/clinic", ctx -> ctx.json(ApiViews.ClinicView.of(access.clinic(ApiServer.caller(ctx)))));
        r.post("/v1/clinics", this::createClinic);
        r.get("/v1/keys", ctx -> ctx.json(new ApiViews.ListView<>(
                access.listKeys(ApiServer.caller(ctx)).stream().map(ApiViews.KeyView::of).toList())));
        r.post("/v1/keys", this::createKey);
        r.delete("/v1/keys/{keyId}", ctx -> {
            access.revokeKey(ApiServer.caller(ctx), ctx.pathParam("keyId"));
            ctx.status(204);
        });
    }

    private void createClinic(Context ctx) {
        Bodies.NewClinic body = requests.body(ctx, Bodies.NewClinic.class);
        AccessService.NewClinic made = access.createClinic(ApiServer.caller(ctx), body.name());
        ctx.status(201).json(new ApiViews.NewClinicView(ApiViews.ClinicView.of(made.clinic()), ApiViews.KeyView.of(made.adminKey())));
    }

    private void createKey(Context ctx) {
        Bodies.NewKey body = requests.body(ctx, Bodies.NewKey.class);
        ctx.status(201).json(ApiViews.KeyView.of(access.createKey(ApiServer.caller(ctx), body.role(), body.label(), body.expiresInDays())));
    }
}
