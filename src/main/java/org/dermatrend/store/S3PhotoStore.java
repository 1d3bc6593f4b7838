package org.dermatrend.store;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.Md5Utils;

/**
 * Photos' bytes in S3 or an S3-compatible object store: the object {@code prefix/CLINIC/ab/cdef…} of a bucket
 * ({@link PhotoStore} says what every store promises), chosen by {@code --photo-store s3://bucket[/prefix]}.
 *
 * <p><b>Writes.</b> A photo is one PUT of its bytes (no user metadata, no tags; {@code Content-MD5}, so the
 * store refuses bytes damaged on the way), which S3 makes visible whole or not at all: there are no temporary
 * objects. A PUT of bytes already stored is skipped when the object's length matches (its key is the bytes'
 * SHA-256; fsck reads every object and checks the digest itself).
 *
 * <p><b>Locks across processes.</b> S3 has no lock to take, and none is needed: {@link RecordEdits} writes
 * bytes for a new record and deletes bytes no record needs inside a database transaction that holds a lock on
 * the clinic's digest, and re-checks {@link #exists} under it before it commits the record (putting the bytes
 * again when a concurrent erasure removed them). With several service processes that lock is PostgreSQL's
 * advisory lock, which every process shares (several processes need PostgreSQL anyway: SQLite serves one);
 * {@link #locked} serialises this process's own threads. The argument needs S3's read-after-write consistency
 * (a HEAD after a DELETE sees it gone), which AWS S3 gives since December 2020, as do MinIO, Ceph and S3Proxy.
 *
 * <p><b>Erasure.</b> A delete must remove the bytes, so a bucket with versioning enabled or suspended (where
 * a delete keeps the old object as a noncurrent version) is refused when the store opens.
 *
 * <p><b>Bounds.</b> Every call gives up after {@link #ATTEMPT_TIMEOUT} per attempt and {@link #CALL_TIMEOUT} in all;
 * failed attempts are retried by the SDK's standard policy (3 attempts, exponential back-off with jitter).
 * Connections come from the JDK's HTTP client (kept alive between calls) and are released by {@link #close}.
 */
public final class S3PhotoStore implements PhotoStore {
    /** Longest one HTTP attempt may take (a 40 MB photo at 10 MB/s takes 4 s). */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    /** Longest a call may take with its retries. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Longest the readiness probe waits for the bucket. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** S3's bucket names (3 to 63 lower-case letters, digits, dots and hyphens), then an optional key prefix. */
    private static final Pattern LOCATION = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?");

    /** The environment variables the SDK reads, named in the messages of a store that cannot open. */
    public static final String ENVIRONMENT = "AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), AWS_REGION, AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY";

    /**
     * A bucket and key prefix, from {@code s3://bucket[/prefix]}.
     *
     * @param prefix the keys' prefix without leading or trailing slash; empty for the bucket's top
     */
    public record Location(String bucket, String prefix) {
        /** Reads {@code s3://bucket[/prefix]}; anything else is refused naming {@code --photo-store}. */
        public static Location parse(String uri) {
            Matcher m = LOCATION.matcher(uri == null ? "" : uri.strip());
            if (!m.matches() || m.group(1).contains("..")) {
                throw new IllegalArgumentException("--photo-store must be s3://BUCKET or s3://BUCKET/PREFIX (a bucket name of 3 to "
                        + "63 lower-case letters, digits, dots and hyphens), got '" + uri + "'");
            }
            String prefix = m.group(2) == null ? "" : m.group(2).replaceAll("^/+|/+$", "");
            if (prefix.contains("//") || prefix.length() > 512) {
                throw new IllegalArgumentException("--photo-store: the prefix '" + prefix + "' has an empty segment or is over 512 "
                        + "characters");
            }
            return new Location(m.group(1), prefix);
        }

        /** Whether this names an S3 location at all (the alternative is a folder). */
        public static boolean isS3(String uri) {
            return uri != null && uri.strip().startsWith("s3://");
        }

        String key(String address) {
            return prefix.isEmpty() ? address : prefix + "/" + address;
        }

        /** The address inside the prefix, or null for a key outside it. */
        String address(String key) {
            if (prefix.isEmpty()) {
                return key;
            }
            return key.startsWith(prefix + "/") ? key.substring(prefix.length() + 1) : null;
        }

        @Override
        public String toString() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    private final S3Client s3;
    private final Location at;
    private final String endpoint;
    private final ByteLocks locks = new ByteLocks();

    private S3PhotoStore(S3Client s3, Location at, String endpoint) {
        this.s3 = s3;
        this.at = at;
        this.endpoint = endpoint;
    }

    /**
     * Opens the store with the SDK's own configuration: the endpoint from {@code AWS_ENDPOINT_URL_S3} or
     * {@code AWS_ENDPOINT_URL} (AWS's own when neither is set), the region from {@code AWS_REGION}, credentials from
     * the default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, a profile, a web identity, a
     * container or instance role); the same from the {@code aws.*} system properties. Checks at once that the
     * bucket answers with these credentials and keeps no versions.
     *
     * @throws IllegalArgumentException no region or no credentials are configured (the message names the variables)
     * @throws IOException the endpoint cannot be reached, refuses the credentials, has no such bucket, or the
     *                     bucket keeps versions
     */
    public static S3PhotoStore open(Location at) throws IOException {
        Region region;
        try {
            region = new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("--photo-store " + at + ": no AWS region is configured; set AWS_REGION (an "
                    + "S3-compatible store takes any name, e.g. us-east-1)");
        }
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            credentials.close();
            throw new IllegalArgumentException("--photo-store " + at + ": no AWS credentials were found; set AWS_ACCESS_KEY_ID "
                    + "and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or run with a container or instance role)");
        }
        S3Client client;
        try {
            client = S3Client.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .forcePathStyle(true) // any endpoint: S3-compatible stores rarely have a DNS name per bucket
                    // Checksums only where S3 requires them: the default's trailing checksums are not understood by every
                    // S3-compatible store; the PUT sends Content-MD5 instead, which every one checks.
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(ATTEMPT_TIMEOUT))
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT)
                            .retryStrategy(RetryMode.STANDARD))
                    .build();
        } catch (RuntimeException e) {
            credentials.close();
            throw new IllegalArgumentException("--photo-store " + at + ": the S3 client cannot be set up (" + rootMessage(e)
                    + "); check AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL): an http or https URL");
        }
        String endpoint = client.serviceClientConfiguration().endpointOverride().map(URI::toString)
                .orElse("AWS S3 in " + region.id());
        S3PhotoStore store = new S3PhotoStore(client, at, endpoint);
        try {
            store.check();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The bucket answers with these credentials, and a delete there removes the bytes (no versions kept). */
    private void check() throws IOException {
        String where = "--photo-store " + at + " at " + endpoint;
        try {
            s3.headBucket(b -> b.bucket(at.bucket()));
        } catch (AwsServiceException e) {
            int status = e.statusCode();
            if (status == 404) {
                throw new IOException(where + ": there is no bucket '" + at.bucket() + "'; create it or correct --photo-store");
            }
            if (status == 403 || status == 401) {
                throw new IOException(where + ": the credentials were refused, or may not use the bucket (HTTP " + status
                        + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the bucket's policy");
            }
            throw new IOException(where + ": the bucket check failed with HTTP " + status + " " + code(e));
        } catch (SdkClientException e) {
            throw new IOException(where + ": the endpoint cannot be reached (" + rootMessage(e) + "); check "
                    + "AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) and that the store is running");
        }
        BucketVersioningStatus versioning;
        try {
            versioning = s3.getBucketVersioning(b -> b.bucket(at.bucket())).status();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 501) {
                return; // a store without versioning (S3Proxy answers NotImplemented): a delete removes the bytes
            }
            throw new IOException(where + ": the bucket's versioning cannot be read (HTTP " + e.statusCode() + " " + code(e)
                    + "); the service needs s3:GetBucketVersioning to make sure an erasure removes a photo's bytes");
        } catch (SdkClientException e) {
            throw new IOException(where + ": " + rootMessage(e), e);
        }
        if (versioning == BucketVersioningStatus.ENABLED || versioning == BucketVersioningStatus.SUSPENDED) {
            throw new IOException(where + ": the bucket has versioning " + versioning.toString().toLowerCase(Locale.ROOT)
                    + ", so an erasure would leave each photo's bytes behind as a noncurrent version; use a bucket that has "
                    + "never had versioning");
        }
    }

    @Override
    public String put(String clinicId, byte[] bytes) throws IOException {
        String sha = PhotoStore.sha256(bytes);
        String key = at.key(PhotoStore.address(clinicId, sha));
        Optional<HeadObjectResponse> there = head(key);
        if (there.isPresent() && there.get().contentLength() == bytes.length) {
            return sha; // the key is the digest of the bytes: the same length is the same photo (fsck checks the digest)
        }
        call("put", () -> s3.putObject(b -> b.bucket(at.bucket()).key(key).contentLength((long) bytes.length)
                        .contentMD5(Md5Utils.md5AsBase64(bytes)),
                RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(bytes), bytes.length,
                        "application/octet-stream")));
        return sha;
    }

    @Override
    public Optional<byte[]> get(String clinicId, String sha) throws IOException {
        String key = at.key(PhotoStore.address(clinicId, sha));
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(at.bucket()).key(key)).asByteArrayUnsafe());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("get", e);
        } catch (SdkException e) {
            throw failure("get", e);
        }
    }

    @Override
    public boolean exists(String clinicId, String sha) throws IOException {
        return head(at.key(PhotoStore.address(clinicId, sha))).isPresent();
    }

    /** S3's DELETE says nothing of what was there, so a HEAD asks first (under the lock, nothing else writes it). */
    @Override
    public boolean delete(String clinicId, String sha) throws IOException {
        String key = at.key(PhotoStore.address(clinicId, sha));
        if (head(key).isEmpty()) {
            return false;
        }
        call("delete", () -> s3.deleteObject(b -> b.bucket(at.bucket()).key(key)));
        return true;
    }

    @Override
    public <T> T locked(String clinicId, String sha, Supplier<T> action) {
        return locks.locked(clinicId, sha, action);
    }

    /**
     * Every object under the prefix, and every multipart upload begun there and never finished (this store
     * writes none, but another tool may have; they are the temporary files of a bucket, and cost storage).
     */
    @Override
    public List<Stored> list() throws IOException {
        List<Stored> out = new ArrayList<>();
        String prefix = at.prefix().isEmpty() ? null : at.prefix() + "/";
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(at.bucket()).prefix(prefix)).contents()) {
                String address = at.address(o.key());
                Optional<String[]> photo = address == null ? Optional.empty() : PhotoStore.parseAddress(address);
                out.add(new Stored(objectName(o.key()), o.lastModified(), false, photo.map(p -> p[0]).orElse(null),
                        photo.map(p -> p[1]).orElse(null)));
            }
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(at.bucket()).prefix(prefix)).uploads()) {
                out.add(new Stored(objectName(u.key()) + UPLOAD + u.uploadId(), u.initiated(), true, null, null));
            }
        } catch (SdkException e) {
            throw failure("list", e);
        }
        return out;
    }

    private static final String UPLOAD = " upload ";

    @Override
    public void remove(Stored stored) throws IOException {
        String base = "s3://" + at.bucket() + "/";
        if (!stored.name().startsWith(base)) {
            throw new IllegalArgumentException("not in the photo store " + at + ": " + stored.name());
        }
        String rest = stored.name().substring(base.length());
        int upload = rest.indexOf(UPLOAD);
        if (stored.temporary() && upload > 0) {
            String key = rest.substring(0, upload);
            String id = rest.substring(upload + UPLOAD.length());
            call("abort an upload", () -> s3.abortMultipartUpload(b -> b.bucket(at.bucket()).key(key).uploadId(id)));
        } else {
            call("delete", () -> s3.deleteObject(b -> b.bucket(at.bucket()).key(rest)));
        }
    }

    /** One HEAD of the bucket; a store that has not answered within {@link #PROBE_TIMEOUT} is not reachable. */
    @Override
    public boolean reachable() {
        try {
            s3.headBucket(b -> b.bucket(at.bucket()).overrideConfiguration(o -> o.apiCallTimeout(PROBE_TIMEOUT)));
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public String location() {
        return at.toString();
    }

    /** Where the store's requests go: the endpoint's URL, or AWS S3 and its region. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        s3.close(); // its HTTP client and credentials provider with it
    }

    private String objectName(String key) {
        return "s3://" + at.bucket() + "/" + key;
    }

    private Optional<HeadObjectResponse> head(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(at.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("head", e);
        } catch (SdkException e) {
            throw failure("head", e);
        }
    }

    private void call(String what, Supplier<?> request) throws IOException {
        try {
            request.get();
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    /** An S3 failure as an I/O error naming the store and the request's kind, never the key (it names a clinic's photo). */
    private IOException failure(String what, SdkException e) {
        String detail = e instanceof AwsServiceException s ? "HTTP " + s.statusCode() + " " + code(s) : rootMessage(e);
        return new IOException("the photo store " + at + " at " + endpoint + ": " + what + " failed (" + detail + ")", e);
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
