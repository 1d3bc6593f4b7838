package org.dermatrend.store;

import java.io.IOException;
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
 * a write in progress in a running service is not mistaken for debris. The same for a folder and a bucket.
 */
public final class StoreCheck {
    private final Database db;
    private final PhotoStore store;

    public StoreCheck(Database db, PhotoStore store) {
        this.db = db;
        this.store = store;
    }

    /**
     * @param files     photos the store holds (temporary writes not counted)
     * @param missing   photo ids whose bytes are not in the store
     * @param damaged   photo ids whose stored bytes no longer hash to their digest
     * @param orphans   stored bytes no record points to, and anything else in the store
     * @param temporary leftovers of interrupted writes (temporary files, unfinished multipart uploads)
     */
    public record Report(int records, int files, List<String> missing, List<String> damaged, List<PhotoStore.Stored> orphans,
                         List<PhotoStore.Stored> temporary) {
        public boolean consistent() {
            return missing.isEmpty() && damaged.isEmpty() && orphans.isEmpty() && temporary.isEmpty();
        }
    }

    public Report check() throws IOException {
        List<String[]> photos = db.jdbi().withHandle(h -> h.createQuery("SELECT id, clinic_id, sha256 FROM photos")
                .map((rs, ctx) -> new String[] {rs.getString("id"), rs.getString("clinic_id"), rs.getString("sha256")}).list());
        Set<String> referenced = new HashSet<>();
        List<String> missing = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        for (String[] p : photos) {
            referenced.add(p[1] + "/" + p[2]);
            Optional<byte[]> bytes = store.get(p[1], p[2]);
            if (bytes.isEmpty()) {
                missing.add(p[0]);
            } else if (!PhotoStore.sha256(bytes.get()).equals(p[2])) {
                damaged.add(p[0]);
            }
        }
        List<PhotoStore.Stored> orphans = new ArrayList<>();
        List<PhotoStore.Stored> temporary = new ArrayList<>();
        int files = 0;
        for (PhotoStore.Stored s : store.list()) {
            if (s.temporary()) {
                temporary.add(s);
                continue;
            }
            files++;
            // Anything that is not a record's bytes is debris: an interrupted write, an erasure cut short, or an old
            // shared-layout file no record needs (LegacyLayout moves the ones records need first).
            if (s.clinicId() == null || !referenced.contains(s.clinicId() + "/" + s.sha())) {
                orphans.add(s);
            }
        }
        return new Report(photos.size(), files, missing, damaged, orphans, temporary);
    }

    /** Removes orphans and temporary writes last written before {@code grace} ago; returns how many. */
    public int repair(Report report, Duration grace) throws IOException {
        Instant cutoff = Instant.now().minus(grace);
        int removed = 0;
        for (PhotoStore.Stored s : Stream.concat(report.orphans().stream(), report.temporary().stream()).toList()) {
            if (s.modified().isBefore(cutoff)) {
                store.remove(s);
                removed++;
            }
        }
        return removed;
    }
}
