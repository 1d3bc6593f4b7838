package org.dermatrend.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.analysis.Budgets;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.service.ScoringService;
import org.dermatrend.domain.Role;

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
            MultipartBody body = requests.multipart(ctx);
            byte[] photo = Requests.file(body, "photo");
            Double mmPerPx = mmPerPx(body);
            PhotoContext context = new PhotoContext(mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx),
                    Optional.ofNullable(Requests.rectParam("grayRef", Requests.field(body, "grayRef"))),
                    Optional.ofNullable(Requests.rectParam("roi", Requests.field(body, "roi"))));
            boolean detail = "true".equalsIgnoreCase(Requests.field(body, "detail"));
            ctx.json(scoring.score(name(body, "photo"), photo, context, detail));
        });
    }

    void compare(Context ctx) throws IOException {
        ApiServer.caller(ctx).require("compare photos", Role.values());
        requests.requireMultipart(ctx, maxRequestBytes);
        requests.withUploadSlot(() -> {
            MultipartBody body = requests.multipart(ctx, maxRequestBytes);
            byte[] before = Requests.file(body, "before");
            byte[] after = Requests.file(body, "after");
            Double mmPerPx = mmPerPx(body);
            PixelRect roi = Requests.rectParam("roi", Requests.field(body, "roi"));
            PairComparer.Request request = new PairComparer.Request(
                    mmPerPx == null ? OptionalDouble.empty() : OptionalDouble.of(mmPerPx),
                    Optional.ofNullable(Requests.rectParam("grayRefBefore", Requests.field(body, "grayRefBefore"))),
                    Optional.ofNullable(Requests.rectParam("grayRefAfter", Requests.field(body, "grayRefAfter"))), Optional.ofNullable(roi));
            ctx.json(scoring.compare(before, after, request));
        });
    }

    private static Double mmPerPx(MultipartBody body) throws IOException {
        Double v = Requests.doubleParam("mmPerPx", Requests.field(body, "mmPerPx"));
        // Before a scoring slot is taken: a bad scale is a 400 at once, even when every slot is busy.
        Budgets.requireScale("mmPerPx", v);
        return v;
    }

    /** The client's file name, reduced to safe characters and 100 of them (it is echoed in the answer). */
    private static String name(MultipartBody body, String part) {
        String f = body.fileName(part);
        if (f == null || f.isBlank()) {
            return part;
        }
        String safe = f.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.substring(Math.max(0, safe.length() - 100));
    }

}
