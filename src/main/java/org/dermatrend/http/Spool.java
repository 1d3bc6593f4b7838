package org.dermatrend.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.dermatrend.util.OwnerOnly;

/**
 * The folder stored uploads stream into before their intake ({@link MultipartBody#spool}): in the
 * service's data directory, readable by the service's user only, a folder per upload. They live as long as one request;
 * {@link #prepare} deletes what a crash left behind (files older than an hour, so that another process
 * sharing the folder keeps the uploads it is receiving).
 */
public final class Spool {
    static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private Spool() {
    }

    /**
     * Makes the folder if needed and deletes leftovers.
     *
     * @return how many leftover files were deleted
     */
    public static int prepare(Path dir) throws IOException {
        OwnerOnly.folder(dir);
        FileTime cutoff = FileTime.from(Instant.now().minus(LEFTOVER_AGE));
        int deleted = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
                if (Files.getLastModifiedTime(e).compareTo(cutoff) < 0) {
                    delete(e);
                    deleted += Files.exists(e) ? 0 : 1;
                }
            }
        }
        return deleted;
    }

    /** A new folder for one upload in {@code dir} (owner-only on POSIX systems, as {@link Files#createTempDirectory} makes them). */
    static Path newFolder(Path dir) throws IOException {
        return Files.createTempDirectory(dir, "upload-");
    }

    /** Deletes {@code path} and, for a folder, what it holds; what cannot be deleted now goes at the next start. */
    static void delete(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // left for prepare() at the next start
        }
    }
}
