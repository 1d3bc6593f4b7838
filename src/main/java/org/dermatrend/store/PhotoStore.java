package org.dermatrend.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where photos' bytes live, per clinic and addressed by their SHA-256: {@code CLINIC/ab/cdef…} under the store's
 * root, a folder ({@link FilePhotoStore}) or a bucket and prefix in S3 or an S3-compatible store
 * ({@link S3PhotoStore}). The same bytes uploaded twice by one clinic are stored once; two clinics never share
 * an object, so erasing one clinic's photo can never touch another's. The store is the only place the service
 * writes photo bytes.
 *
 * <p>A write is complete or absent (an atomic rename; a single S3 PUT), and the caller commits the record that
 * points at it only after it returns, so a crash leaves at worst bytes no record names (fsck reports and repairs
 * them), never a record pointing at half a photo.
 *
 * <p>Writing the bytes of a new record and deleting bytes no record needs any more must not interleave (the delete
 * would take the bytes of a record being committed): {@link RecordEdits} runs both under {@link #locked}, which
 * serialises them per clinic and digest within this process, and inside a database transaction that holds a
 * lock on the same clinic and digest (on PostgreSQL an advisory lock, shared by every process; see
 * {@link RecordEdits}). Neither store needs a lock of its own across processes.
 */
public interface PhotoStore extends AutoCloseable {
    Pattern SHA = Pattern.compile("[0-9a-f]{64}");
    Pattern CLINIC = Pattern.compile("[0-9A-Za-z-]{3,64}");

    /** Hex SHA-256 of the bytes: the address they are stored under. */
    static String sha256(byte[] bytes) {
        return org.dermatrend.util.Digest.sha256(bytes);
    }

    /**
     * The bytes' name inside the store, {@code CLINIC/ab/cdef…} (62 + clinic characters); an id that is not a
     * clinic id or a digest is a broken contract.
     */
    static String address(String clinicId, String sha) {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha);
        }
        if (clinicId == null || !CLINIC.matcher(clinicId).matches()) {
            throw new IllegalArgumentException("not a clinic id: " + clinicId);
        }
        return clinicId + "/" + sha.substring(0, 2) + "/" + sha.substring(2);
    }

    /**
     * The clinic and digest an address names, or empty for a name that is not one (anything else in the store).
     *
     * @return {@code [clinicId, sha]}
     */
    static Optional<String[]> parseAddress(String name) {
        String[] parts = name.split("/", -1);
        if (parts.length != 3 || parts[1].length() != 2 || !CLINIC.matcher(parts[0]).matches()) {
            return Optional.empty();
        }
        String sha = parts[1] + parts[2];
        return SHA.matcher(sha).matches() ? Optional.of(new String[] {parts[0], sha}) : Optional.empty();
    }

    /**
     * Stores the clinic's bytes durably and returns their digest. Idempotent: bytes already stored are not
     * written again.
     */
    String put(String clinicId, byte[] bytes) throws IOException;

    /** The clinic's stored bytes, or empty when nothing is stored under this digest. */
    Optional<byte[]> get(String clinicId, String sha) throws IOException;

    boolean exists(String clinicId, String sha) throws IOException;

    /**
     * Removes the clinic's bytes of this digest, durably. Call it under {@link #locked}, after checking that no
     * record needs them.
     *
     * @return whether they were there
     */
    boolean delete(String clinicId, String sha) throws IOException;

    /** Runs {@code action} holding this process's lock for the clinic's digest. */
    <T> T locked(String clinicId, String sha, Supplier<T> action);

    /**
     * One thing kept in the store, as fsck lists it.
     *
     * @param name      where it is, as an operator finds it: a file's path, or {@code s3://bucket/key} (with the upload
     *                  id of an unfinished multipart upload)
     * @param modified  when it was last written (a multipart upload: when it began)
     * @param temporary a write that never finished: a temporary file, an unfinished multipart upload
     * @param clinicId  the clinic when the name is a photo's address; null for anything else
     * @param sha       the digest when the name is a photo's address; null for anything else
     */
    record Stored(String name, java.time.Instant modified, boolean temporary, String clinicId, String sha) {
    }

    /** Everything under the store's root (fsck compares it with the records; a large store gives a long list). */
    List<Stored> list() throws IOException;

    /** Removes something {@link #list} gave (fsck's repair of debris); gone already is fine. */
    void remove(Stored stored) throws IOException;

    /** Whether the store answers now (the folder is there; the bucket answers a HEAD): for the readiness check. */
    boolean reachable();

    /** The store as the operator named it: a folder's path, or {@code s3://bucket/prefix}. */
    String location();

    /** Releases what the store holds (the S3 client's connections); the store is unusable afterwards. */
    @Override
    void close();
}
