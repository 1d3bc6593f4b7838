package org.dermatrend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dermatrend.Main;
import org.dermatrend.store.Database;
import org.dermatrend.store.PhotoStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsck reports debris a crash can leave, and --repair removes it. */
class FsckCommandTest {
    @TempDir
    Path data;

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
