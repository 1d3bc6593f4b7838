package org.dermatrend.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.dermatrend.util.OwnerOnly;

/**
 * Moves a photo store made before clinics had folders of their own ({@code root/ab/cdef…}, one file
 * shared by every clinic that uploaded the same bytes) into per-clinic folders ({@code root/CLINIC/ab/cdef…}).
 *
 * <p>Each record's bytes are first linked (or, across file systems, copied through a temporary file and
 * a rename) into its clinic's folder; an old file is removed only once every record of its digest has
 * its own copy. Interrupted at any point it leaves every record with its bytes, and the next run finishes
 * the move. The service runs it at start and {@code fsck} before it checks, so an old file is never taken
 * for debris.
 */
public final class LegacyLayout {
    private LegacyLayout() {
    }

    /** @return how many records' bytes were moved into their clinic's folder */
    public static int migrate(Database db, PhotoStore store) throws IOException {
        List<String[]> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT clinic_id, sha256 FROM photos")
                .map((rs, ctx) -> new String[] {rs.getString("clinic_id"), rs.getString("sha256")}).list());
        int moved = 0;
        Set<String> stillNeeded = new HashSet<>();
        for (String[] r : rows) {
            Path legacy = store.legacyPathOf(r[1]);
            if (store.exists(r[0], r[1]) || !Files.isRegularFile(legacy)) {
                continue;
            }
            Path target = store.pathOf(r[0], r[1]);
            OwnerOnly.folder(target.getParent().getParent());
            OwnerOnly.folder(target.getParent());
            Path tmp = target.getParent().resolve(".tmp-" + UUID.randomUUID());
            try {
                try {
                    Files.createLink(tmp, legacy);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(legacy, tmp);
                }
                OwnerOnly.file(tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                PhotoStore.forceDirectory(target.getParent());
                moved++;
            } catch (IOException e) {
                stillNeeded.add(r[1]);
                throw e;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        for (String[] r : rows) {
            if (!store.exists(r[0], r[1])) {
                stillNeeded.add(r[1]);
            }
        }
        Set<String> referenced = new HashSet<>();
        rows.forEach(r -> referenced.add(r[1]));
        try (DirectoryStream<Path> top = Files.newDirectoryStream(store.root())) {
            for (Path dir : top) {
                if (!Files.isDirectory(dir) || dir.getFileName().toString().length() != 2) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path f : files) {
                        String sha = dir.getFileName().toString() + f.getFileName();
                        // Only old files whose records all have their own copies; an unreferenced one is left to fsck.
                        if (referenced.contains(sha) && !stillNeeded.contains(sha)) {
                            Files.delete(f);
                        }
                    }
                }
                PhotoStore.forceDirectory(dir);
            }
        }
        return moved;
    }
}
