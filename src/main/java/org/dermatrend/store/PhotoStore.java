package org.dermatrend.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.dermatrend.util.OwnerOnly;

/**
 * Photos' bytes on local disk, per clinic and addressed by their SHA-256: {@code root/CLINIC/ab/cdef…}.
 * The same bytes uploaded twice by one clinic are stored once; two clinics never share a file, so erasing
 * one clinic's photo can never touch another's.
 *
 * <p>A write goes to a temporary file in the target's folder, is forced to disk, renamed into place
 * (atomic on one file system) and the folder is forced too; only then does the caller commit the
 * record that points at it. A crash therefore leaves at worst an unreferenced complete file or a
 * stray temporary file, never a record pointing at half a photo. The store is the only place the
 * service writes photo bytes; files are rw------- in rwx------ folders.
 *
 * <p>Writing a file for a new record and deleting a file no record needs any more must not interleave
 * (the delete would take the bytes of a record being committed): both run under {@link #locked}, which
 * serialises them per clinic and digest within this process; the database adds its own lock across
 * processes ({@link RecordEdits}, a PostgreSQL advisory lock).
 *
 * <p>Stores made before clinics had folders of their own kept every photo at {@code root/ab/cdef…};
 * {@link LegacyLayout} moves them.
 */
public final class PhotoStore {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CLINIC = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final Path root;
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public PhotoStore(Path root) throws IOException {
        this.root = OwnerOnly.folder(root);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public Path root() {
        return root;
    }

    /** Hex SHA-256 of the bytes: the address they are stored under. */
    public static String sha256(byte[] bytes) {
        return org.dermatrend.util.Digest.sha256(bytes);
    }

    /**
     * Stores the clinic's bytes durably and returns their digest. Idempotent: bytes already stored are not
     * written again.
     */
    public String put(String clinicId, byte[] bytes) throws IOException {
        String sha = sha256(bytes);
        Path target = pathOf(clinicId, sha);
        if (Files.exists(target) && Files.size(target) == bytes.length) {
            return sha;
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            OwnerOnly.folder(dir.getParent());
            OwnerOnly.folder(dir);
        }
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OwnerOnly.file(tmp);
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the photo store " + root + " must be on a file system with atomic renames", e);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return sha;
    }

    /** The clinic's stored bytes, or empty when nothing is stored under this digest. */
    public Optional<byte[]> get(String clinicId, String sha) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(pathOf(clinicId, sha)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public boolean exists(String clinicId, String sha) {
        return Files.isRegularFile(pathOf(clinicId, sha));
    }

    /**
     * Removes the clinic's file of this digest, durably (the folder is forced). Call it under
     * {@link #locked}, after checking that no record needs the bytes.
     *
     * @return whether a file was there
     */
    public boolean delete(String clinicId, String sha) throws IOException {
        Path file = pathOf(clinicId, sha);
        boolean existed = Files.deleteIfExists(file);
        if (existed) {
            // The (possibly empty) folder stays: a concurrent write may be about to put a file in it.
            forceDirectory(file.getParent());
        }
        return existed;
    }

    /** Runs {@code action} holding this process's lock for the clinic's digest. */
    public <T> T locked(String clinicId, String sha, Supplier<T> action) {
        ReentrantLock lock = stripes[Math.floorMod((clinicId + sha).hashCode(), stripes.length)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    Path pathOf(String clinicId, String sha) {
        if (!SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha);
        }
        if (clinicId == null || !CLINIC.matcher(clinicId).matches() || clinicId.length() <= 2) {
            throw new IllegalArgumentException("not a clinic id: " + clinicId);
        }
        return root.resolve(clinicId).resolve(sha.substring(0, 2)).resolve(sha.substring(2));
    }

    /** Where a store made before clinic folders kept these bytes. */
    Path legacyPathOf(String sha) {
        if (!SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha);
        }
        return root.resolve(sha.substring(0, 2)).resolve(sha.substring(2));
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename is still atomic there.
        }
    }
}
