package org.dermatrend.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.stream.Collectors;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.service.Failure;

/** Reading request bodies and parameters, turning every mistake into a 400 that names the field. */
final class Requests {
    private final ObjectMapper json;
    /**
     * The request bodies' reader: one JSON value and nothing after it, no unknown fields, no nulls for
     * primitives, and no coercion (a number is not read from a string, nor a whole number from a fraction).
     */
    private final ObjectMapper strict;
    private final long maxUploadBytes;
    private final java.util.concurrent.Semaphore uploadSlots;
    private final java.nio.file.Path spoolDir;
    /** Kilobytes of stored uploads' photos that may be in memory at once (their intake step). */
    private final java.util.concurrent.Semaphore intakeKb;
    private final int intakeKbTotal;

    /**
     * @param maxUploadBytes largest multipart request with one photo
     * @param uploadSlots    requests that may stream photos into memory at once (the synchronous endpoints)
     * @param spoolDir       where stored uploads stream to before their intake ({@link Spool})
     */
    Requests(ObjectMapper json, long maxUploadBytes, int uploadSlots, java.nio.file.Path spoolDir) {
        this.json = json;
        this.strict = strictCopy(json);
        this.maxUploadBytes = maxUploadBytes;
        this.uploadSlots = new java.util.concurrent.Semaphore(uploadSlots);
        this.spoolDir = spoolDir;
        // Room for the intake of about four photos at the upload limit, or many smaller ones; each holds its photo a few
        // times over (the bytes, the copy without metadata) for the tens of milliseconds the intake takes.
        this.intakeKbTotal = (int) Math.min(Integer.MAX_VALUE, 4 * maxUploadBytes / 1024);
        this.intakeKb = new java.util.concurrent.Semaphore(intakeKbTotal, true);
    }

    /** Work on a stored upload's spooled body. */
    interface StoredUpload {
        void run(MultipartBody body) throws IOException;
    }

    /**
     * Runs {@code work} on a stored upload's body, streamed to the spool folder first (so that any number of
     * uploads arriving at once cost disk, not memory), once its photo's bytes fit the intake memory: the
     * upload waits up to 30 s for that (the intake of others takes milliseconds), then 503. The spooled
     * files are deleted when it returns.
     */
    void withStoredUpload(Context ctx, StoredUpload work) throws IOException {
        try (MultipartBody body = MultipartBody.spool(ctx, maxUploadBytes, spoolDir)) {
            int kb = (int) Math.max(1, Math.min(intakeKbTotal, body.fileBytes() / 1024 + 1));
            boolean got;
            try {
                got = intakeKb.tryAcquire(kb, 30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failure.overloaded("The service is shutting down; try again shortly.", 5);
            }
            if (!got) {
                throw Failure.overloaded("Too many photos are being taken in at once; send it again in a few seconds. Nothing was "
                        + "stored.", 5);
            }
            try {
                work.run(body);
            } finally {
                intakeKb.release(kb);
            }
        }
    }

    /** Work that reads photo bodies. */
    interface Upload {
        void run() throws IOException;
    }

    /** Runs {@code body} holding an upload slot; with none free the answer is 503 at once, before reading. */
    void withUploadSlot(Upload body) throws IOException {
        if (!uploadSlots.tryAcquire()) {
            throw Failure.overloaded("Too many photos are being uploaded at once; try again in a few seconds.", 2);
        }
        try {
            body.run();
        } finally {
            uploadSlots.release();
        }
    }

    <T> T body(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw Failure.unsupportedMediaType("Send the body as application/json.");
        }
        return parse(ctx.body(), type);
    }

    private <T> T parse(String body, Class<T> type) {
        try {
            T value = strict.readerFor(type).readValue(body);
            if (value == null) {
                throw Failure.invalid("body", "the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw Failure.invalid(e.getPropertyName(), "unknown field '" + e.getPropertyName() + "'; known fields: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            if (field.isEmpty()) {
                throw Failure.invalid("body", e.getOriginalMessage().startsWith("Trailing token")
                        ? "the body must be one JSON object with nothing after it" : "the body must be a JSON object");
            }
            throw Failure.invalid(field, "'" + field + "' must be " + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw Failure.invalid("body", "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * A correction's body (JSON merge patch, RFC 7396: a field left out stays as it is, a field sent as
     * null is cleared), read as strictly as {@link #body}: the typed value and which fields it names
     * ({@code treatment.notes} for a nested one).
     */
    record Patch<T>(T value, java.util.Set<String> present) {
        boolean has(String field) {
            return present.contains(field);
        }
    }

    <T> Patch<T> patch(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !(contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")
                || contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/merge-patch+json"))) {
            throw Failure.unsupportedMediaType("Send the correction as application/merge-patch+json (or application/json).");
        }
        T value = parse(ctx.body(), type);
        java.util.Set<String> present = new java.util.HashSet<>();
        try {
            com.fasterxml.jackson.databind.JsonNode tree = strict.readTree(ctx.body());
            tree.fieldNames().forEachRemaining(name -> {
                present.add(name);
                com.fasterxml.jackson.databind.JsonNode child = tree.get(name);
                if (child.isObject()) {
                    child.fieldNames().forEachRemaining(inner -> present.add(name + "." + inner));
                }
            });
        } catch (JsonProcessingException e) {
            throw Failure.invalid("body", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (present.isEmpty()) {
            throw Failure.invalid("body", "the correction names no field; send the fields to change");
        }
        return new Patch<>(value, present);
    }

    /** Refuses a multipart body before reading it when its declared length is over the one-photo limit. */
    void requireMultipart(Context ctx) {
        requireMultipart(ctx, maxUploadBytes);
    }

    /** Refuses a multipart body before reading it when its declared length is over {@code limit}. */
    void requireMultipart(Context ctx, long limit) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw Failure.unsupportedMediaType("Send the photo as multipart/form-data (curl -F photo=@file.jpg).");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw Failure.tooLarge("The request is " + declared + " bytes; the limit is " + limit
                    + " bytes. Upload the photo at a lower resolution or higher compression.");
        }
    }

    /** Reads the whole multipart body (see {@link MultipartBody}) up to this endpoint's limit for one photo. */
    MultipartBody multipart(Context ctx) throws IOException {
        return MultipartBody.read(ctx, maxUploadBytes);
    }

    /** As {@link #multipart(Context)} with another limit (two photos for compare). */
    MultipartBody multipart(Context ctx, long limit) throws IOException {
        return MultipartBody.read(ctx, limit);
    }

    /** A required file part. */
    static byte[] file(MultipartBody body, String name) throws IOException {
        byte[] bytes = body.file(name);
        if (bytes == null) {
            throw Failure.invalid(name, "the multipart field '" + name + "' with the photo file is required");
        }
        return bytes;
    }

    /** An optional short text field (at most 200 characters). */
    static String field(MultipartBody body, String name) throws IOException {
        return body.field(name, 200);
    }

    private static ObjectMapper strictCopy(ObjectMapper json) {
        ObjectMapper m = json.copy()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Text stays text, and a date is read from its string.
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        m.coercionConfigFor(LogicalType.DateTime).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        return m;
    }

    /** What a JSON value of this Java type looks like, in words for the client (never a Java type name). */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of another form";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == java.time.LocalDate.class) {
            return "a date, YYYY-MM-DD";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    static PixelRect rectParam(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            PixelRect r = PixelRect.parse(text);
            if (r.width() < 1 || r.height() < 1) {
                throw new IllegalArgumentException("width and height must be at least 1");
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw Failure.invalid(field, field + ": " + e.getMessage());
        }
    }

    static PixelRect rect(String field, int[] v) {
        if (v == null) {
            return null;
        }
        if (v.length != 4 || v[0] < 0 || v[1] < 0 || v[2] < 1 || v[3] < 1) {
            throw Failure.invalid(field, field + " must be [x, y, width, height] in pixels: x, y ≥ 0, width, height ≥ 1");
        }
        return new PixelRect(v[0], v[1], v[2], v[3]);
    }

    /** An optional true/false field (absent: false). */
    static boolean booleanField(String field, String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Failure.invalid(field, field + " must be true or false, got '" + text + "'");
        };
    }

    static Double doubleParam(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw Failure.invalid(field, field + " must be a number, got '" + text + "'");
        }
    }

    /** An optional UTC time query parameter ({@code 2026-12-01T00:00:00Z}). */
    static java.time.Instant instantQuery(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(v.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw Failure.invalid(name, name + " must be a UTC time like 2026-12-01T00:00:00Z, got '" + v + "'");
        }
    }

    static int intQuery(Context ctx, String name, int dflt, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw Failure.invalid(name, name + " must be a whole number from " + min + " to " + max + ", got '" + text + "'");
        }
    }
}
