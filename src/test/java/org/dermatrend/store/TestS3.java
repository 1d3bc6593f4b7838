package org.dermatrend.store;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 for the tests: S3Proxy (the S3 API, with AWS signature checks) over jclouds' in-memory blob store, in the
 * test process on a loopback port, one for the whole test run. Its endpoint, region and credentials are set as the
 * SDK's {@code aws.*} system properties, which the service reads as it would {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}; {@link #environment()} gives a
 * child process the same as environment variables. Each test takes a bucket of its own ({@link #newBucket}).
 */
public final class TestS3 {
    public static final String ACCESS_KEY = "dermatrend-test";
    public static final String SECRET_KEY = "dermatrend-test-secret-0123456789";
    public static final String REGION = "us-east-1";

    private static S3Proxy proxy;
    private static BlobStoreContext context;
    private static URI endpoint;
    private static S3Client client;

    private TestS3() {
    }

    /** Starts S3Proxy once (a few hundred milliseconds) and points the SDK's system properties at it. */
    public static synchronized URI endpoint() {
        if (proxy == null) {
            // S3Proxy logs every request it refuses as an error, the versioning check's NotImplemented among them.
            System.setProperty("org.slf4j.simpleLogger.log.org.gaul.s3proxy.S3ProxyHandler", "off");
            try {
                context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
                proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
                proxy.start();
                long end = System.nanoTime() + 30_000_000_000L;
                while (!"STARTED".equals(proxy.getState())) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("S3Proxy did not start in 30 s: " + proxy.getState());
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy cannot start: " + e, e);
            }
            endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            System.setProperty("aws.endpointUrlS3", endpoint.toString());
            System.setProperty("aws.region", REGION);
            System.setProperty("aws.accessKeyId", ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", SECRET_KEY);
            System.setProperty("aws.disableEc2Metadata", "true"); // never ask the cloud's metadata address for anything
            client = S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        }
        return endpoint;
    }

    /** A new, empty bucket; the location the service is given, {@code s3://bucket/prefix}. */
    public static String newBucket(String prefix) {
        endpoint();
        String bucket = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        client.createBucket(b -> b.bucket(bucket));
        return "s3://" + bucket + (prefix == null || prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** A client of the test S3, for looking into buckets as an operator would. */
    public static S3Client client() {
        endpoint();
        return client;
    }

    /** Every object of the location (key → bytes), read with the test's own client. */
    public static Map<String, byte[]> objects(String location) {
        S3PhotoStore.Location at = S3PhotoStore.Location.parse(location);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (S3Object o : client().listObjectsV2Paginator(b -> b.bucket(at.bucket()).prefix(at.prefix().isEmpty() ? null
                : at.prefix() + "/")).contents()) {
            out.put(o.key(), client.getObjectAsBytes(b -> b.bucket(at.bucket()).key(o.key())).asByteArray());
        }
        return out;
    }

    /** The environment a child process needs to reach the test S3 as the service does in production. */
    public static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL_S3", endpoint().toString());
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }
}
