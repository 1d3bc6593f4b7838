package org.dermatrend.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.store.Database;
import org.dermatrend.store.LegacyLayout;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.StoreCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend fsck}: do the database and the photo store agree? */
@Command(name = "fsck",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a service's storage: every photo record's bytes are in the photo store and still match their "
                    + "sha256; every stored file belongs to a record; no temporary file is left from an interrupted write. "
                    + "Prints a JSON report. --repair deletes unreferenced files and temporary files older than --grace-minutes "
                    + "(a crash can leave those; it never leaves a record without its photo).",
            ""},
        footer = {"", "Examples:",
            "  dermatrend fsck --data-dir /var/lib/dermatrend",
            "  dermatrend fsck --data-dir /srv/photos --db-url 'jdbc:postgresql://db:5432/dermatrend?user=dt' --repair",
            "",
            "Exit status: 0 consistent (or repaired), 1 records without their photo or damaged photos, 3 only debris "
                    + "(orphans, temporary files) left, 5 the storage cannot be opened."})
public final class FsckCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The service's data directory.")
    Path dataDir;

    @Option(names = "--db-url", paramLabel = "JDBC-URL", description = "PostgreSQL, when the service uses it.")
    String dbUrl;

    @Option(names = "--repair", description = "Delete orphans and temporary files older than the grace period.")
    boolean repair;

    @Option(names = "--grace-minutes", description = "Leave younger debris alone (a running service may be writing it; "
            + "default: ${DEFAULT-VALUE}).", defaultValue = "60")
    long graceMinutes;

    @Override
    public Integer call() throws Exception {
        Database db;
        try {
            db = Database.open(dbUrl != null ? dbUrl : Database.embeddedUrl(dataDir), null, 2);
        } catch (RuntimeException e) {
            System.err.println("dermatrend fsck: cannot open the database: " + e.getMessage());
            return 5;
        }
        try (db) {
            PhotoStore store = new PhotoStore(dataDir.resolve("photos"));
            // A store from before clinic folders: move what records need first, so no such file looks like debris.
            org.dermatrend.cv.OpenCvNatives.load(); // a TIFF without its metadata is re-encoded
            int moved = LegacyLayout.migrate(db, store, org.dermatrend.service.StoredPhotos.cleaner());
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
            out.put("orphans", r.orphans().stream().map(Path::toString).toList());
            out.put("temporary", r.temporary().stream().map(Path::toString).toList());
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
