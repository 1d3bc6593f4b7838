package org.dermatrend.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks that the database and the photo store agree: every photo record's bytes are in the store
 * and still hash to its digest; every stored file belongs to a record; no temporary file is left from
 * an interrupted write. A crash can leave an unreferenced complete file or a temporary file (never a
 * record without its bytes); {@link #repair} removes those, but only when older than a grace period, so
 * a write in progress in a running service is not mistaken for debris.
 */
public final class StoreCheck {
    private final Database db;
    private final PhotoStore store;

    public StoreCheck(Database db, PhotoStore store) {
        this.db = db;
        this.store = store;
    }

    /**
     * @param missing   photo ids whose bytes are not in the store
     * @param damaged   photo ids whose stored bytes no longer hash to their digest
     * @param orphans   stored files no record points to
     * @param temporary leftover temporary files of interrupted writes
     */
    public record Report(int records, int files, List<String> missing, List<String> damaged, List<Path> orphans,
                         List<Path> temporary) {
        public boolean consistent() {
            return missing.isEmpty() && damaged.isEmpty() && orphans.isEmpty() && temporary.isEmpty();
        }
    }

    public Report check() throws IOException {
        List<String[]> photos = db.jdbi().withHandle(h -> h.createQuery("SELECT id, clinic_id, sha256 FROM photos")
                .map((rs, ctx) -> new String[] {rs.getString("id"), rs.getString("clinic_id"), rs.getString("sha256")}).list());
        Set<Path> referenced = new HashSet<>();
        List<String> missing = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        for (String[] p : photos) {
            referenced.add(store.pathOf(p[1], p[2]));
            Optional<byte[]> bytes = store.get(p[1], p[2]);
            if (bytes.isEmpty()) {
                missing.add(p[0]);
            } else if (!PhotoStore.sha256(bytes.get()).equals(p[2])) {
                damaged.add(p[0]);
            }
        }
        List<Path> orphans = new ArrayList<>();
        List<Path> temporary = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(store.root())) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    temporary.add(f);
                    continue;
                }
                files++;
                // Anything that is not a record's file is debris: an interrupted write, an erasure cut short, or
                // an old shared-layout file no record needs (LegacyLayout moves the ones records need first).
                if (!referenced.contains(f)) {
                    orphans.add(f);
                }
            }
        }
        return new Report(photos.size(), files, missing, damaged, orphans, temporary);
    }

    /** Deletes orphans and temporary files older than {@code grace}; returns how many. */
    public int repair(Report report, Duration grace) throws IOException {
        Instant cutoff = Instant.now().minus(grace);
        int removed = 0;
        for (Path f : Stream.concat(report.orphans().stream(), report.temporary().stream()).toList()) {
            if (Files.exists(f) && Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                Files.delete(f);
                removed++;
            }
        }
        return removed;
    }
}
