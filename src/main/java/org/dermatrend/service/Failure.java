package org.dermatrend.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An expected way for a request to fail, with a stable code clients can branch on and a message that
 * says what was wrong and what to do. The HTTP layer maps {@link Kind} to a status and the whole
 * failure to an RFC 9457 problem; nothing here knows about HTTP.
 */
public final class Failure extends RuntimeException {
    /** What kind of failure, in the order of the HTTP statuses they become. */
    public enum Kind {
        INVALID, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, REQUEST_TIMEOUT, CONFLICT, TOO_LARGE, UNSUPPORTED_MEDIA, UNPROCESSABLE,
        TOO_MANY_REQUESTS, OVERLOADED
    }

    private final Kind kind;
    private final String code;
    private final Map<String, Object> details;

    private Failure(Kind kind, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.details = details;
    }

    public Kind kind() {
        return kind;
    }

    /** The stable, kebab-case name of this failure (the last part of the problem's type). */
    public String code() {
        return code;
    }

    /** Extra members of the problem (e.g. {@code field}, {@code retryAfterSeconds}, {@code issues}). */
    public Map<String, Object> details() {
        return details;
    }

    public Failure with(String key, Object value) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put(key, value);
        return new Failure(kind, code, getMessage(), d);
    }

    /** A request field that is missing or wrong. */
    public static Failure invalid(String field, String message) {
        return new Failure(Kind.INVALID, "validation", message, Map.of("field", field));
    }

    public static Failure unauthenticated(String message) {
        return new Failure(Kind.UNAUTHENTICATED, "unauthenticated", message, Map.of());
    }

    public static Failure forbidden(String message) {
        return new Failure(Kind.FORBIDDEN, "forbidden", message, Map.of());
    }

    /** Absent, or another clinic's: the answer is the same. */
    public static Failure notFound(String what, String id) {
        return new Failure(Kind.NOT_FOUND, "not-found", "No " + what + " " + id + " in your clinic.", Map.of());
    }

    /** The client stopped sending, or sends too slowly to be served. */
    public static Failure requestTimeout(String message) {
        return new Failure(Kind.REQUEST_TIMEOUT, "request-timeout", message, Map.of());
    }

    public static Failure conflict(String code, String message) {
        return new Failure(Kind.CONFLICT, code, message, Map.of());
    }

    public static Failure tooLarge(String message) {
        return new Failure(Kind.TOO_LARGE, "too-large", message, Map.of());
    }

    public static Failure unsupportedImage(String message) {
        return new Failure(Kind.UNSUPPORTED_MEDIA, "unsupported-image", message, Map.of());
    }

    /** The request's body is not of a media type the endpoint takes. */
    public static Failure unsupportedMediaType(String message) {
        return new Failure(Kind.UNSUPPORTED_MEDIA, "unsupported-media-type", message, Map.of());
    }

    /** The request was understood but its content cannot be used (photo refused, gate failed, not aligned). */
    public static Failure unprocessable(String code, String message) {
        return new Failure(Kind.UNPROCESSABLE, code, message, Map.of());
    }

    /** This client has sent too many requests of a kind (e.g. unknown keys); it may try again after the wait. */
    public static Failure tooManyRequests(String message, int retryAfterSeconds) {
        return new Failure(Kind.TOO_MANY_REQUESTS, "too-many-requests", message, Map.of("retryAfterSeconds", retryAfterSeconds));
    }

    public static Failure overloaded(String message, int retryAfterSeconds) {
        return new Failure(Kind.OVERLOADED, "overloaded", message, Map.of("retryAfterSeconds", retryAfterSeconds));
    }
}
