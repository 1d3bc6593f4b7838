package org.dermatrend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dermatrend.Main;
import org.dermatrend.store.Database;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.S3PhotoStore;
import org.dermatrend.store.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsck reports debris a crash can leave, and --repair removes it, in a folder and in a bucket. */
class FsckCommandTest {
    @TempDir
    Path data;

    /** The same on S3: an object no record names and an unfinished multipart upload are debris; repaired, consistent. */
    @Test
    void reportsAndRepairsAnOrphanAndAnUnfinishedUploadInABucket() throws Exception {
        Database.open(Database.embeddedUrl(data), null, 2).close();
        String location = TestS3.newBucket("fsck");
        S3PhotoStore.Location at = S3PhotoStore.Location.parse(location);
        String clinic = java.util.UUID.randomUUID().toString();
        try (S3PhotoStore store = S3PhotoStore.open(at)) {
            store.put(clinic, "bytes no record points to".getBytes());
        }
        TestS3.client().createMultipartUpload(b -> b.bucket(at.bucket()).key("fsck/" + clinic + "/ab/" + "c".repeat(62)));
        Cli.Result found = Cli.run("fsck", "--data-dir", data.toString(), "--photo-store", location);
        assertEquals(3, found.status(), found.out());
        assertTrue(found.out().contains("\"store\" : \"" + location + "\""), found.out());
        assertTrue(found.out().contains(location + "/" + clinic + "/"), "the orphan by its s3:// name: " + found.out());
        assertTrue(found.out().contains(" upload "), "the unfinished upload: " + found.out());
        assertEquals(0, Cli.run("fsck", "--data-dir", data.toString(), "--photo-store", location, "--repair", "--grace-minutes", "0")
                .status());
        assertEquals(Map.of(), TestS3.objects(location));
        assertTrue(TestS3.client().listMultipartUploads(b -> b.bucket(at.bucket())).uploads().isEmpty());
        assertEquals(0, Cli.run("fsck", "--data-dir", data.toString(), "--photo-store", location).status(), "consistent now");
        assertEquals(2, Cli.run("fsck", "--photo-store", location).status(), "without a database to compare with");
        assertEquals(5, Cli.run("fsck", "--data-dir", data.toString(), "--photo-store", "s3://no-such-bucket-fsck").status());
    }

    /**
     * A store that cannot be used stops serve and fsck at once, with what to set: checked in a child process, whose
     * environment is the only place these settings come from (the cloud's metadata address is never asked).
     */
    @Test
    void anUnusableBucketStopsTheStartNamingWhatToSet() throws Exception {
        Database.open(Database.embeddedUrl(data), null, 2).close();
        String location = TestS3.newBucket(null);
        Map<String, String> good = TestS3.environment();
        Map<String, String> noKeys = new HashMap<>(good);
        noKeys.remove("AWS_ACCESS_KEY_ID");
        noKeys.remove("AWS_SECRET_ACCESS_KEY");
        Map<String, String> noRegion = new HashMap<>(good);
        noRegion.remove("AWS_REGION");
        Map<String, String> wrongSecret = new HashMap<>(good);
        wrongSecret.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        Map<String, String> nobodyThere = new HashMap<>(good);
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nobodyThere.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s.getLocalPort()); // closed once the block ends
        }
        Map<String, String> notAUrl = new HashMap<>(good);
        notAUrl.put("AWS_ENDPOINT_URL_S3", "http://s3 proxy:9000");
        record Case(Map<String, String> env, int status, String says) {
        }
        for (Case c : List.of(new Case(noKeys, 2, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
                new Case(noRegion, 2, "set AWS_REGION"),
                new Case(wrongSecret, 5, "the credentials were refused"),
                new Case(nobodyThere, 5, "check AWS_ENDPOINT_URL_S3"),
                new Case(notAUrl, 2, "check AWS_ENDPOINT_URL_S3"))) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "org.dermatrend.Main", "fsck", "--data-dir", data.toString(), "--photo-store",
                    location).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
            pb.environment().putAll(c.env());
            pb.environment().put("AWS_CONFIG_FILE", data.resolve("no-aws-config").toString());
            pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", data.resolve("no-aws-credentials").toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(c.status(), p.exitValue(), out);
            assertTrue(out.contains(c.says()) && out.contains(location), c.says() + " in: " + out);
        }
    }

    @Test
    void reportsAndRepairsAnOrphanAndATemporaryFile() throws Exception {
        Database.open(Database.embeddedUrl(data), null, 2).close();
        PhotoStore store = new org.dermatrend.store.FilePhotoStore(data.resolve("photos"));
        String clinic = java.util.UUID.randomUUID().toString();
        String sha = store.put(clinic, "bytes no record points to".getBytes());
        Path orphan = data.resolve("photos").resolve(clinic).resolve(sha.substring(0, 2)).resolve(sha.substring(2));
        Path tmp = Files.writeString(orphan.resolveSibling(".tmp-interrupted"), "half");
        assertEquals(0, Main.run("fsck", "--help"));
        assertEquals(3, Main.run("fsck", "--data-dir", data.toString()), "debris only: exit 3");
        assertTrue(Files.exists(orphan));
        assertEquals(0, Main.run("fsck", "--data-dir", data.toString(), "--repair", "--grace-minutes", "0"));
        assertFalse(Files.exists(orphan));
        assertFalse(Files.exists(tmp));
        assertEquals(0, Main.run("fsck", "--data-dir", data.toString()), "consistent now");
    }
}
