package org.dermatrend.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What only the S3 store does: its keys, its idempotent writes, its fsck listing and its start-up checks, on S3Proxy. */
class S3PhotoStoreTest {
    private static final String CLINIC = UUID.randomUUID().toString();

    private static S3PhotoStore open(String location) throws IOException {
        return S3PhotoStore.open(S3PhotoStore.Location.parse(location));
    }

    @Test
    void aPhotoIsOneObjectAtPrefixClinicDigestWithoutMetadataWrittenOnce() throws Exception {
        String location = TestS3.newBucket("deployment-a");
        S3PhotoStore.Location at = S3PhotoStore.Location.parse(location);
        S3Client s3 = TestS3.client();
        byte[] bytes = "a photo's bytes".getBytes();
        try (S3PhotoStore store = open(location)) {
            String sha = store.put(CLINIC, bytes);
            String key = "deployment-a/" + CLINIC + "/" + sha.substring(0, 2) + "/" + sha.substring(2);
            assertEquals(java.util.Set.of(key), TestS3.objects(location).keySet());
            HeadObjectResponse head = s3.headObject(b -> b.bucket(at.bucket()).key(key));
            assertEquals(Map.of(), head.metadata(), "no user metadata");
            assertEquals(bytes.length, head.contentLength());
            // The same bytes again are not written again (S3 keeps Last-Modified to the second).
            Thread.sleep(1100);
            store.put(CLINIC, bytes);
            assertEquals(head.lastModified(), s3.headObject(b -> b.bucket(at.bucket()).key(key)).lastModified(), "no second PUT");
            // An object of another length under the digest's key is not these bytes: it is written again.
            s3.putObject(b -> b.bucket(at.bucket()).key(key), RequestBody.fromString("truncated"));
            store.put(CLINIC, bytes);
            assertArrayEquals(bytes, store.get(CLINIC, sha).orElseThrow());
            assertTrue(store.endpoint().startsWith("http://127.0.0.1:"), store.endpoint());
            assertEquals(location, store.location());
        }
    }

    /**
     * fsck's view of a bucket: photos by clinic and digest, anything else under the prefix as debris, an unfinished
     * multipart upload as a temporary write (removed by aborting it), and nothing outside the prefix at all.
     */
    @Test
    void theListingHasThePrefixsObjectsAndUnfinishedUploadsOnly() throws Exception {
        String location = TestS3.newBucket("deployment-b");
        S3PhotoStore.Location at = S3PhotoStore.Location.parse(location);
        S3Client s3 = TestS3.client();
        try (S3PhotoStore store = open(location)) {
            String sha = store.put(CLINIC, "photo".getBytes());
            s3.putObject(b -> b.bucket(at.bucket()).key("deployment-b/notes.txt"), RequestBody.fromString("not a photo"));
            s3.putObject(b -> b.bucket(at.bucket()).key("deployment-c/" + CLINIC + "/ab/" + "c".repeat(62)), RequestBody.fromString("x"));
            s3.createMultipartUpload(b -> b.bucket(at.bucket()).key("deployment-b/" + CLINIC + "/aa/" + "b".repeat(62)));
            List<PhotoStore.Stored> listed = store.list();
            assertEquals(3, listed.size(), listed::toString);
            PhotoStore.Stored photo = listed.stream().filter(s -> s.clinicId() != null).findFirst().orElseThrow();
            assertEquals(sha, photo.sha());
            assertEquals(CLINIC, photo.clinicId());
            PhotoStore.Stored notes = listed.stream().filter(s -> s.name().endsWith("notes.txt")).findFirst().orElseThrow();
            assertFalse(notes.temporary());
            PhotoStore.Stored upload = listed.stream().filter(PhotoStore.Stored::temporary).findFirst().orElseThrow();
            assertTrue(upload.name().startsWith(location + "/" + CLINIC + "/aa/"), upload.name());
            store.remove(upload);
            store.remove(notes);
            assertTrue(s3.listMultipartUploads(b -> b.bucket(at.bucket())).uploads().isEmpty(), "the upload was aborted");
            assertEquals(List.of(photo.name()), store.list().stream().map(PhotoStore.Stored::name).toList());
            assertThrows(IllegalArgumentException.class, () -> store.remove(new PhotoStore.Stored("s3://other-bucket/x",
                    photo.modified(), false, null, null)), "only this store's objects");
        }
    }

    @Test
    void aMissingBucketStopsTheStartNamingIt() {
        IOException e = assertThrows(IOException.class, () -> open("s3://no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8)));
        assertTrue(e.getMessage().contains("there is no bucket 'no-such-bucket-") && e.getMessage().contains("--photo-store"),
                e.getMessage());
    }

    @Test
    void aLocationIsABucketAndAnOptionalPrefix() {
        assertEquals(new S3PhotoStore.Location("photos.example", ""), S3PhotoStore.Location.parse("s3://photos.example"));
        assertEquals(new S3PhotoStore.Location("photos", "a/b"), S3PhotoStore.Location.parse("s3://photos/a/b/"));
        assertEquals("s3://photos/a/b", S3PhotoStore.Location.parse("s3://photos//a/b").toString());
        for (String bad : List.of("", "s3://", "s3://Photos", "s3://ab", "file:///srv/photos", "/srv/photos", "s3://a..b/x",
                "s3://photos/a//b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3PhotoStore.Location.parse(bad), bad);
            assertTrue(e.getMessage().contains("--photo-store"), e.getMessage());
        }
    }
}
