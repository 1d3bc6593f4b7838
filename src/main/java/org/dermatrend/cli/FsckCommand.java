package org.dermatrend.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.store.Database;
import org.dermatrend.store.LegacyLayout;
import org.dermatrend.store.FilePhotoStore;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.S3PhotoStore;
import org.dermatrend.store.StoreCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend fsck}: do the database and the photo store agree? */
@Command(name = "fsck",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a service's storage: every photo record's bytes are in the photo store (a folder, or an S3 bucket "
                    + "with --photo-store) and still match their sha256; every stored file belongs to a record; no temporary file is left from an interrupted write. "
                    + "Prints a JSON report. --repair deletes unreferenced files and temporary files older than --grace-minutes "
                    + "(a crash can leave those; it never leaves a record without its photo).",
            ""},
        footer = {"", "Examples:",
            "  dermatrend fsck --data-dir /var/lib/dermatrend",
            "  dermatrend fsck --data-dir /srv/photos --db-url 'jdbc:postgresql://db:5432/dermatrend?user=dt' --repair",
            "  dermatrend fsck --db-url 'jdbc:postgresql://db:5432/dermatrend?user=dt' --photo-store s3://clinic-photos/dermatrend",
            "",
            "Exit status: 0 consistent (or repaired), 1 records without their photo or damaged photos, 2 bad usage or settings, "
                    + "3 only debris (orphans, temporary files) left, 5 the storage cannot be opened."})
public final class FsckCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "The service's data directory (needed unless both --db-url "
            + "and --photo-store are given).")
    Path dataDir;

    @Option(names = "--db-url", paramLabel = "JDBC-URL", description = "PostgreSQL, when the service uses it.")
    String dbUrl;

    @Option(names = "--photo-store", paramLabel = "s3://BUCKET[/PREFIX]", description = "The service's S3 photo store, when it "
            + "uses one (endpoint, region and credentials from the environment, as for serve: AWS_ENDPOINT_URL_S3, AWS_REGION, "
            + "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). Everything under the prefix that no record names is an orphan: give "
            + "each deployment a prefix of its own.")
    String photoStore;

    @Option(names = "--repair", description = "Delete orphans and temporary files older than the grace period.")
    boolean repair;

    @Option(names = "--grace-minutes", description = "Leave younger debris alone (a running service may be writing it; "
            + "default: ${DEFAULT-VALUE}).", defaultValue = "60")
    long graceMinutes;

    @Override
    public Integer call() throws Exception {
        if (dataDir == null && (dbUrl == null || photoStore == null)) {
            System.err.println("dermatrend fsck: give --data-dir (the SQLite database and photos/ are there), or both --db-url and "
                    + "--photo-store");
            return 2;
        }
        Database db;
        try {
            db = Database.open(dbUrl != null ? dbUrl : Database.embeddedUrl(dataDir), null, 2);
        } catch (RuntimeException e) {
            System.err.println("dermatrend fsck: cannot open the database: " + e.getMessage());
            return 5;
        }
        PhotoStore store;
        try {
            store = photoStore != null ? S3PhotoStore.open(S3PhotoStore.Location.parse(photoStore))
                    : new FilePhotoStore(dataDir.resolve("photos"));
        } catch (IllegalArgumentException e) {
            db.close();
            System.err.println("dermatrend fsck: " + e.getMessage());
            return 2;
        } catch (java.io.IOException | RuntimeException e) {
            db.close();
            System.err.println("dermatrend fsck: cannot open the photo store: " + e.getMessage());
            return 5;
        }
        try (db; store) {
            int moved = 0;
            if (store instanceof FilePhotoStore folder) {
                // A store from before clinic folders: move what records need first, so no such file looks like debris.
                org.dermatrend.cv.OpenCvNatives.load(); // a TIFF without its metadata is re-encoded
                moved = LegacyLayout.migrate(db, folder, org.dermatrend.service.StoredPhotos.cleaner());
            }
            StoreCheck check = new StoreCheck(db, store);
            StoreCheck.Report r = check.check();
            Map<String, Object> out = new LinkedHashMap<>();
            if (moved > 0) {
                out.put("movedToClinicFolders", moved);
            }
            out.put("records", r.records());
            out.put("files", r.files());
            out.put("missing", r.missing());
            out.put("damaged", r.damaged());
            out.put("store", store.location());
            out.put("orphans", r.orphans().stream().map(PhotoStore.Stored::name).toList());
            out.put("temporary", r.temporary().stream().map(PhotoStore.Stored::name).toList());
            out.put("consistent", r.consistent());
            if (repair) {
                out.put("removed", check.repair(r, Duration.ofMinutes(graceMinutes)));
            }
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            if (!r.missing().isEmpty() || !r.damaged().isEmpty()) {
                return 1;
            }
            return r.consistent() || repair ? 0 : 3;
        }
    }
}
