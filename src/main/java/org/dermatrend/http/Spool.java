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
 * service's data directory, readable by the service's user only. Its files live as long as one request;
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
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && Files.getLastModifiedTime(f).compareTo(cutoff) < 0 && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** A new file in {@code dir} (owner-only on POSIX systems, as {@link Files#createTempFile} makes them). */
    static Path newFile(Path dir) throws IOException {
        return Files.createTempFile(dir, "upload-", ".part");
    }
}
