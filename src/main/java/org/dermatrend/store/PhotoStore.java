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
import org.dermatrend.util.OwnerOnly;

/**
 * Photos' original bytes on local disk, addressed by their SHA-256: {@code root/ab/cdef…}. The same
 * bytes are stored once.
 *
 * <p>A write goes to a temporary file in the target's folder, is forced to disk, renamed into place
 * (atomic on one file system) and the folder is forced too; only then does the caller commit the
 * record that points at it. A crash therefore leaves at worst an unreferenced complete file or a
 * stray temporary file, never a record pointing at half a photo. The store is the only place the
 * service writes photo bytes.
 */
public final class PhotoStore {
    private final Path root;

    public PhotoStore(Path root) throws IOException {
        this.root = OwnerOnly.folder(root);
    }

    public Path root() {
        return root;
    }

    /** Hex SHA-256 of the bytes: the address they are stored under. */
    public static String sha256(byte[] bytes) {
        return org.dermatrend.util.Digest.sha256(bytes);
    }

    /**
     * Stores the bytes durably and returns their digest. Idempotent: bytes already stored are not
     * written again.
     */
    public String put(byte[] bytes) throws IOException {
        String sha = sha256(bytes);
        Path target = pathOf(sha);
        if (Files.exists(target) && Files.size(target) == bytes.length) {
            return sha;
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
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

    /** The stored bytes, or empty when nothing is stored under this digest. */
    public Optional<byte[]> get(String sha) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(pathOf(sha)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    Path pathOf(String sha) {
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha);
        }
        return root.resolve(sha.substring(0, 2)).resolve(sha.substring(2));
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename is still atomic there.
        }
    }
}
