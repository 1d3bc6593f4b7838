package org.dermatrend.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves a photo store made before clinics had folders of their own ({@code root/ab/cdef…}, one file
 * shared by every clinic that uploaded the same bytes) into per-clinic folders ({@code root/CLINIC/ab/cdef…}).
 *
 * <p>Each record's bytes are first written into its clinic's folder (durably, as every write of the store),
 * without their metadata as uploads are stored now; an old file is removed only once every record of its
 * digest has its own copy. Interrupted at any point it leaves every record with its bytes, and the next run finishes
 * the move. The service runs it at start and {@code fsck} before it checks, so an old file is never taken
 * for debris. Only a folder can hold the old layout: an S3 store never had it.
 */
public final class LegacyLayout {
    private LegacyLayout() {
    }

    /** Turns a stored photo's bytes into what the store keeps now (the photo without its metadata). */
    @FunctionalInterface
    public interface Cleaner {
        /** @return the bytes to keep and their format's label ({@code jpeg}, {@code png}…), or null to keep them as they are */
        Cleaned clean(byte[] bytes);
    }

    public record Cleaned(byte[] bytes, String format) {
    }

    /**
     * Moves every record's bytes into its clinic's folder, cleaned on the way (a record whose bytes change
     * gets their new digest, size and format in the same step), then removes the old files no record needs.
     *
     * @return how many records' bytes were moved into their clinic's folder
     */
    public static int migrate(Database db, FilePhotoStore store, Cleaner cleaner) throws IOException {
        if (legacyFolders(store).isEmpty()) {
            return 0; // nothing of the old layout: no record to read at every start
        }
        List<String[]> rows = rows(db);
        int moved = 0;
        for (String[] r : rows) {
            String id = r[0];
            String clinic = r[1];
            String sha = r[2];
            Path legacy = store.legacyPathOf(sha);
            if (store.exists(clinic, sha) || !Files.isRegularFile(legacy)) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(legacy);
            Cleaned cleaned = null;
            try {
                cleaned = cleaner.clean(bytes);
            } catch (RuntimeException e) {
                // A photo the cleaner cannot read stays as it was: it is still the record's photo.
            }
            if (cleaned == null || Arrays.equals(cleaned.bytes(), bytes)) {
                store.put(clinic, bytes);
            } else {
                Cleaned kept = cleaned;
                String now = store.put(clinic, kept.bytes());
                db.jdbi().useHandle(h -> h.createUpdate("UPDATE photos SET sha256 = :now, byte_size = :size, format = :format "
                                + "WHERE id = :id AND sha256 = :was")
                        .bind("now", now).bind("size", kept.bytes().length).bind("format", kept.format()).bind("id", id)
                        .bind("was", sha).execute());
            }
            moved++;
        }
        // An old file goes once no record still reads it there (every record of its digest has its clinic's copy).
        Set<String> stillNeeded = new HashSet<>();
        for (String[] r : rows(db)) {
            if (!store.exists(r[1], r[2])) {
                stillNeeded.add(r[2]);
            }
        }
        for (Path dir : legacyFolders(store)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String sha = dir.getFileName().toString() + f.getFileName();
                    // Nothing writes this layout any more: every old file no record still reads there goes, the
                    // unreferenced ones too (a record cleaned by a run a crash cut short no longer names its old digest).
                    if (!stillNeeded.contains(sha)) {
                        Files.delete(f);
                    }
                }
            }
            FilePhotoStore.forceDirectory(dir);
        }
        return moved;
    }

    /** The two-character folders of the old layout at the store's top (clinic folders are named by 36-character ids). */
    private static List<Path> legacyFolders(FilePhotoStore store) throws IOException {
        List<Path> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(store.root())) {
            for (Path dir : top) {
                if (Files.isDirectory(dir) && dir.getFileName().toString().length() == 2) {
                    out.add(dir);
                }
            }
        }
        return out;
    }

    private static List<String[]> rows(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, clinic_id, sha256 FROM photos")
                .map((rs, ctx) -> new String[] {rs.getString("id"), rs.getString("clinic_id"), rs.getString("sha256")}).list());
    }
}
