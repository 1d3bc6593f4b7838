package org.dermatrend.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.dermatrend.service.WebhookService;

/** The clinic's webhook endpoints and their delivery log: parse, call the webhook service, map. */
final class WebhookController {
    private final WebhookService webhooks;
    private final Requests requests;
    private final ObjectMapper json;

    WebhookController(WebhookService webhooks, Requests requests, ObjectMapper json) {
        this.webhooks = webhooks;
        this.requests = requests;
        this.json = json;
    }

    void routes(RoutesConfig r) {
        r.post("/v1/webhooks", this::create);
        r.get("/v1/webhooks", ctx -> ctx.json(new ApiViews.ListView<>(webhooks.list(ApiServer.caller(ctx)).stream()
                .map(w -> ApiViews.WebhookView.of(w, null)).toList())));
        r.get("/v1/webhooks/{webhookId}", ctx -> ctx.json(ApiViews.WebhookView.of(
                webhooks.webhook(ApiServer.caller(ctx), ctx.pathParam("webhookId")), null)));
        r.patch("/v1/webhooks/{webhookId}", ctx -> {
            Requests.Patch<Bodies.WebhookPatch> p = requests.patch(ctx, Bodies.WebhookPatch.class);
            ctx.json(ApiViews.WebhookView.of(webhooks.update(ApiServer.caller(ctx), ctx.pathParam("webhookId"), p.value().url(),
                    p.value().events(), p.value().enabled(), p.present()), null));
        });
        r.delete("/v1/webhooks/{webhookId}", ctx -> {
            webhooks.delete(ApiServer.caller(ctx), ctx.pathParam("webhookId"));
            ctx.status(204);
        });
        r.post("/v1/webhooks/{webhookId}/test", ctx -> ctx.status(202).json(ApiViews.DeliveryView.of(
                webhooks.test(ApiServer.caller(ctx), ctx.pathParam("webhookId")), json)));
        r.get("/v1/webhooks/{webhookId}/deliveries", ctx -> {
            int limit = Requests.intQuery(ctx, "limit", 50, 1, 500);
            int offset = Requests.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(new ApiViews.PageView<>(webhooks.deliveries(ApiServer.caller(ctx), ctx.pathParam("webhookId"), limit, offset)
                    .stream().map(d -> ApiViews.DeliveryView.of(d, json)).toList(), limit, offset));
        });
    }

    private void create(Context ctx) {
        Bodies.NewWebhook body = requests.body(ctx, Bodies.NewWebhook.class);
        WebhookService.Created made = webhooks.create(ApiServer.caller(ctx), body.url(), body.events());
        ctx.status(201).header("Location", "/v1/webhooks/" + made.webhook().id())
                .json(ApiViews.WebhookView.of(made.webhook(), made.secret()));
    }
}
