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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.dermatrend.util.OwnerOnly;

/**
 * Photos' bytes on local disk: {@code root/CLINIC/ab/cdef…} ({@link PhotoStore} says what every store promises).
 *
 * <p>A write goes to a temporary file in the target's folder, is forced to disk, renamed into place
 * (atomic on one file system) and the folder is forced too; only then does the caller commit the
 * record that points at it. A crash therefore leaves at worst an unreferenced complete file or a
 * stray temporary file ({@code .tmp-…}), never a record pointing at half a photo. Files are rw------- in
 * rwx------ folders. Several processes may share the folder on a POSIX file system with atomic renames
 * (NFS v4); their cross-process lock is the database's ({@link RecordEdits}).
 *
 * <p>Stores made before clinics had folders of their own kept every photo at {@code root/ab/cdef…};
 * {@link LegacyLayout} moves them.
 */
public final class FilePhotoStore implements PhotoStore {
    private final Path root;
    private final ByteLocks locks = new ByteLocks();

    public FilePhotoStore(Path root) throws IOException {
        this.root = OwnerOnly.folder(root);
    }

    public Path root() {
        return root;
    }

    @Override
    public String put(String clinicId, byte[] bytes) throws IOException {
        String sha = PhotoStore.sha256(bytes);
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

    @Override
    public Optional<byte[]> get(String clinicId, String sha) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(pathOf(clinicId, sha)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String clinicId, String sha) {
        return Files.isRegularFile(pathOf(clinicId, sha));
    }

    /** Removes the clinic's file of this digest, durably (the folder is forced). */
    @Override
    public boolean delete(String clinicId, String sha) throws IOException {
        Path file = pathOf(clinicId, sha);
        boolean existed = Files.deleteIfExists(file);
        if (existed) {
            // The (possibly empty) folder stays: a concurrent write may be about to put a file in it.
            forceDirectory(file.getParent());
        }
        return existed;
    }

    @Override
    public <T> T locked(String clinicId, String sha, Supplier<T> action) {
        return locks.locked(clinicId, sha, action);
    }

    /** Every regular file under the root: photos, temporary files ({@code .tmp-…}) and anything else. */
    @Override
    public List<Stored> list() throws IOException {
        List<Stored> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                Instant modified;
                try {
                    modified = Files.getLastModifiedTime(f).toInstant();
                } catch (NoSuchFileException e) {
                    continue; // removed since the walk saw it
                }
                boolean temporary = f.getFileName().toString().startsWith(".tmp-");
                Optional<String[]> address = temporary ? Optional.empty()
                        : PhotoStore.parseAddress(root.relativize(f).toString().replace(java.io.File.separatorChar, '/'));
                out.add(new Stored(f.toString(), modified, temporary, address.map(a -> a[0]).orElse(null),
                        address.map(a -> a[1]).orElse(null)));
            }
        }
        return out;
    }

    @Override
    public void remove(Stored stored) throws IOException {
        Path f = Path.of(stored.name());
        if (!f.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("not in the photo store " + root + ": " + stored.name());
        }
        Files.deleteIfExists(f);
    }

    @Override
    public boolean reachable() {
        return Files.isDirectory(root) && Files.isWritable(root);
    }

    @Override
    public String location() {
        return root.toString();
    }

    /** Nothing to release: every file is closed when its call returns. */
    @Override
    public void close() {
    }

    Path pathOf(String clinicId, String sha) {
        return root.resolve(PhotoStore.address(clinicId, sha));
    }

    /** Where a store made before clinic folders kept these bytes. */
    Path legacyPathOf(String sha) {
        if (!PhotoStore.SHA.matcher(sha).matches()) {
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
