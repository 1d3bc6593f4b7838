package org.dermatrend.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dermatrend.service.Failure;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;

/**
 * A multipart/form-data body, read whole into memory before it is parsed, so that every way a body
 * can be wrong is answered with a 4xx on a connection that is still readable (a parser that stops
 * half-way leaves bytes in flight, and the client may see a reset instead of the answer). Reading is
 * bounded: at most {@code limit} bytes (413 beyond, as they stream in), and a client that sends slower
 * than {@value #MIN_BYTES_PER_SECOND} B/s on average after the first {@value #GRACE_SECONDS} s is cut off
 * (408).
 *
 * <p>Two ways to hold it. {@link #read} keeps the body in memory, for the synchronous endpoints, whose
 * requests are counted by upload slots. {@link #spool} streams it to a file in the service's spool folder
 * (in its data directory, owner-only, deleted when the body is closed, leftovers of a crash deleted at
 * the next start), so that a burst of stored uploads costs disk, not memory: the photo is read into memory
 * only afterwards, for the short intake step.
 */
final class MultipartBody implements AutoCloseable {
    static final int MIN_BYTES_PER_SECOND = 2048;
    static final int GRACE_SECONDS = 10;
    /** Disk a spooled upload must leave free beyond its own two copies (the raw body and its photo part). */
    static final long SPOOL_RESERVE_BYTES = 256L * 1024 * 1024;

    private final MultiPartFormData.Parts parts;
    /** The spool folder of this body's files, or null for a body in memory. */
    private final java.nio.file.Path spooled;

    private MultipartBody(MultiPartFormData.Parts parts, java.nio.file.Path spooled) {
        this.parts = parts;
        this.spooled = spooled;
    }

    /**
     * Streams the body to a file in {@code dir} (at most {@code limit} bytes), then parses it there: parts
     * over 64 KiB become files in {@code dir} too. The caller closes the body, which deletes them.
     *
     * @throws Failure 503 when the disk has less free space than the upload's two copies and a reserve
     */
    static MultipartBody spool(Context ctx, long limit, java.nio.file.Path dir) throws IOException {
        String boundary = boundary(ctx);
        long declared = Math.max(ctx.req().getContentLengthLong(), 0);
        long usable = java.nio.file.Files.getFileStore(dir).getUsableSpace();
        if (usable < 2 * Math.max(declared, limit / 8) + SPOOL_RESERVE_BYTES) {
            throw Failure.overloaded("The service's disk is nearly full (" + usable / (1024 * 1024) + " MB free); the upload was "
                    + "not taken. Try again later; the operator needs to free space.", 60);
        }
        // A folder of its own: whatever the parser writes, on every path, goes with it.
        java.nio.file.Path own = Spool.newFolder(dir);
        try {
            java.nio.file.Path raw = own.resolve("body");
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(raw, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                copyBody(ctx, limit, out);
            }
            MultiPartFormData.Parser parser = parser(boundary, limit);
            parser.setFilesDirectory(own);
            parser.setMaxMemoryFileSize(64 * 1024);
            MultipartBody body = new MultipartBody(parse(parser, Content.Source.from(raw)), own);
            java.nio.file.Files.delete(raw);
            return body;
        } catch (IOException | RuntimeException e) {
            Spool.delete(own);
            throw e;
        }
    }

    /** The file parts' bytes: what reading them into memory will take. */
    long fileBytes() {
        long n = 0;
        for (MultiPart.Part p : parts) {
            if (p.getFileName() != null) {
                n += Math.max(p.getLength(), 0);
            }
        }
        return n;
    }

    /** Deletes the parts' files and the body's spool folder, if any. */
    @Override
    public void close() {
        parts.close();
        if (spooled != null) {
            Spool.delete(spooled);
        }
    }

    private static String boundary(Context ctx) {
        String type = ctx.contentType();
        String boundary = type == null ? null : MultiPart.extractBoundary(type);
        if (boundary == null || boundary.isEmpty()) {
            throw Failure.invalid("body", "The multipart body has no boundary; send the photo as multipart/form-data "
                    + "(curl -F photo=@file.jpg).");
        }
        return boundary;
    }

    private static MultiPartFormData.Parser parser(String boundary, long limit) {
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxLength(limit);
        parser.setMaxFileSize(limit);
        parser.setMaxMemoryFileSize(limit);
        parser.setMaxParts(16);
        parser.setPartHeadersMaxLength(16 * 1024);
        return parser;
    }

    private static MultiPartFormData.Parts parse(MultiPartFormData.Parser parser, Content.Source source) {
        try {
            return parser.parse(source).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw Failure.invalid("body", "The multipart body is malformed (" + describe(e.getCause())
                    + "); send the photo as multipart/form-data (curl -F photo=@file.jpg).");
        } catch (TimeoutException e) {
            throw Failure.invalid("body", "The multipart body could not be parsed in 10 s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.overloaded("The service is shutting down; try again shortly.", 5);
        }
    }

    static MultipartBody read(Context ctx, long limit) throws IOException {
        String boundary = boundary(ctx);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(ctx.req().getContentLengthLong(), 0), limit));
        copyBody(ctx, limit, out);
        return new MultipartBody(parse(parser(boundary, limit), new ByteBufferContentSource(ByteBuffer.wrap(out.toByteArray()))), null);
    }

    private static String describe(Throwable t) {
        String m = t == null ? null : t.getMessage();
        return m == null ? "unreadable" : m.replaceAll("[^\\x20-\\x7E]", "?").substring(0, Math.min(120, m.length()));
    }

    private static void copyBody(Context ctx, long limit, java.io.OutputStream out) throws IOException {
        long start = System.nanoTime();
        byte[] buf = new byte[64 * 1024];
        InputStream in = ctx.req().getInputStream();
        long total = 0;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException | RuntimeException e) {
                throw Failure.requestTimeout("The upload stopped arriving (" + total + " bytes received); send it again.");
            }
            if (n < 0) {
                return;
            }
            total += n;
            if (total > limit) {
                throw Failure.tooLarge("The request is larger than the limit of " + limit + " bytes; it was refused as it "
                        + "streamed in. Upload the photo at a lower resolution or higher compression.");
            }
            out.write(buf, 0, n);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (seconds > GRACE_SECONDS && total / seconds < MIN_BYTES_PER_SECOND) {
                throw Failure.requestTimeout(String.format("The upload arrives at %.0f bytes per second; below %d the request "
                        + "is cut off. Try again on a faster connection.", total / seconds, MIN_BYTES_PER_SECOND));
            }
        }
    }

    /** A file part's bytes, or null when absent (the first part of that name counts). */
    byte[] file(String name) throws IOException {
        MultiPart.Part p = parts.getFirst(name);
        if (p == null) {
            return null;
        }
        try (InputStream in = Content.Source.asInputStream(p.createContentSource())) {
            return in.readAllBytes();
        }
    }

    /** The file name the client gave a part, or null. */
    String fileName(String name) {
        MultiPart.Part p = parts.getFirst(name);
        return p == null ? null : p.getFileName();
    }

    /** A text field, or null when absent; fields longer than {@code maxChars} are refused with 400. */
    String field(String name, int maxChars) throws IOException {
        MultiPart.Part p = parts.getFirst(name);
        if (p == null) {
            return null;
        }
        if (p.getLength() > maxChars) {
            throw Failure.invalid(name, "the field '" + name + "' is " + p.getLength() + " bytes long; at most " + maxChars
                    + " are expected");
        }
        return Content.Source.asString(p.createContentSource(), StandardCharsets.UTF_8);
    }

}
