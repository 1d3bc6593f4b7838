package org.dermatrend.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dermatrend.service.Failure;

/**
 * Every error leaves the API as one RFC 9457 {@code application/problem+json} body: {@code type}
 * (stable: {@code tag:dermatrend.org,2026:problem/CODE}), {@code title}, {@code status}, {@code detail}
 * (what was wrong and what to do), {@code instance} (the request path), {@code code}, and the failure's
 * own members (e.g. {@code field}, {@code issues}, {@code retryAfterSeconds}).
 */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "tag:dermatrend.org,2026:problem/";
    /** Request attribute holding the problem code of an error answer (for the request log). */
    static final String CODE = "dermatrend.problem";

    private final MeterRegistry meters;

    Problems(MeterRegistry meters) {
        this.meters = meters;
    }

    static int status(Failure.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case REQUEST_TIMEOUT -> 408;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA -> 415;
            case UNPROCESSABLE -> 422;
            case TOO_MANY_REQUESTS -> 429;
            case OVERLOADED -> 503;
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Not authenticated";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Cannot be processed";
            case 429 -> "Too many requests";
            case 503 -> "Service unavailable";
            default -> "Internal error";
        };
    }

    void write(Context ctx, Failure f) {
        int status = status(f.kind());
        if (f.kind() == Failure.Kind.REQUEST_TIMEOUT || f.kind() == Failure.Kind.TOO_LARGE) {
            ctx.header("Connection", "close");
        }
        if (f.kind() == Failure.Kind.UNAUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dermatrend\"");
        }
        Object retry = f.details().get("retryAfterSeconds");
        if (retry != null) {
            ctx.header("Retry-After", retry.toString());
        }
        write(ctx, status, f.code(), f.getMessage(), f.details());
    }

    void write(Context ctx, int status, String code, String detail, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + code);
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        body.put("code", code);
        extra.forEach((k, v) -> {
            if (!body.containsKey(k)) {
                body.put(k, v);
            }
        });
        ctx.attribute(CODE, code);
        ctx.status(status).json(body).contentType(MEDIA_TYPE);
        Counter.builder("dermatrend.http.problems").description("Error answers, by status and problem code")
                .tag("status", Integer.toString(status)).tag("code", code).register(meters).increment();
    }

    static boolean written(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(MEDIA_TYPE);
    }
}
