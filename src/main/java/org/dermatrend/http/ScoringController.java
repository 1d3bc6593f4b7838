package org.dermatrend.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.service.Failure;
import org.dermatrend.service.ScoringService;
import org.dermatrend.store.Role;

/** {@code POST /v1/score} and {@code POST /v1/compare}: synchronous, nothing stored, same JSON as the CLI. */
final class ScoringController {
    private final ScoringService scoring;
    private final Requests requests;
    private final long maxRequestBytes;

    ScoringController(ScoringService scoring, Requests requests, long maxRequestBytes) {
        this.scoring = scoring;
        this.requests = requests;
        this.maxRequestBytes = maxRequestBytes;
    }

    void score(Context ctx) throws IOException {
        ApiServer.caller(ctx).require("score photos", Role.values());
        requests.requireMultipart(ctx);
        requests.withUploadSlot(() -> {
            byte[] photo = requests.file(ctx, "photo");
            Double mmPerPx = mmPerPx(ctx);
            PhotoContext context = new PhotoContext(mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx),
                    Optional.ofNullable(Requests.rectParam("grayRef", ctx.formParam("grayRef"))),
                    Optional.ofNullable(Requests.rectParam("roi", ctx.formParam("roi"))));
            boolean detail = "true".equalsIgnoreCase(ctx.formParam("detail"));
            ctx.json(scoring.score(name(ctx, "photo"), photo, context, detail));
        });
    }

    void compare(Context ctx) throws IOException {
        ApiServer.caller(ctx).require("compare photos", Role.values());
        if (ctx.req().getContentLengthLong() > maxRequestBytes) {
            throw Failure.tooLarge("The request is " + ctx.req().getContentLengthLong() + " bytes; the limit for two photos is "
                    + maxRequestBytes + " bytes.");
        }
        requests.requireMultipart(ctx);
        requests.withUploadSlot(() -> {
            byte[] before = requests.file(ctx, "before");
            byte[] after = requests.file(ctx, "after");
            Double mmPerPx = mmPerPx(ctx);
            PixelRect roi = Requests.rectParam("roi", ctx.formParam("roi"));
            PairComparer.Request request = new PairComparer.Request(
                    mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx),
                    Optional.ofNullable(Requests.rectParam("grayRefBefore", ctx.formParam("grayRefBefore"))),
                    Optional.ofNullable(Requests.rectParam("grayRefAfter", ctx.formParam("grayRefAfter"))), Optional.ofNullable(roi));
            ctx.json(scoring.compare(before, after, request));
        });
    }

    private static Double mmPerPx(Context ctx) {
        Double v = Requests.doubleParam("mmPerPx", ctx.formParam("mmPerPx"));
        if (v != null && !(v > 0 && v < 10)) {
            throw Failure.invalid("mmPerPx", "mmPerPx must be in (0, 10) mm per pixel, got " + v);
        }
        return v;
    }

    private static String name(Context ctx, String part) {
        var f = ctx.uploadedFile(part);
        return f == null || f.filename() == null ? part : f.filename().replaceAll("[^A-Za-z0-9._-]", "_");
    }

}
