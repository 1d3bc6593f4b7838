package org.dermatrend.store;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases storage tests run on: the embedded SQLite default and H2, each in a temporary folder, and PostgreSQL at
 * 127.0.0.1:5432 (database {@code test}, trust auth) in a fresh schema per test. When PostgreSQL
 * cannot be reached its tests are skipped with a message, unless {@code DERMATREND_REQUIRE_POSTGRES=1}
 * (CI sets it), which turns the skip into a failure.
 */
public final class TestDatabases {
    public static final String POSTGRES_URL = System.getenv().getOrDefault("DERMATREND_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestDatabases() {
    }

    public static Stream<String> kinds() {
        return Stream.of("sqlite", "h2", "postgresql");
    }

    /** What the service tests run on: the embedded default and PostgreSQL. */
    public static Stream<String> serviceKinds() {
        return Stream.of("sqlite", "postgresql");
    }

    /** A database opened on a new, empty schema; close it with {@link Opened#close()}. */
    public record Opened(Database db, String url, String schema) implements AutoCloseable {
        @Override
        public void close() {
            db.close();
            if (schema != null) {
                Database.dropSchema(url, schema);
            }
        }
    }

    public static Opened open(String kind, Path tempDir) {
        if (!kind.equals("postgresql")) {
            Path dir = tempDir.resolve(kind + "-" + UUID.randomUUID());
            String url = kind.equals("h2") ? Database.h2Url(dir) : Database.embeddedUrl(dir);
            return new Opened(Database.open(url, null, 6), url, null);
        }
        requirePostgres();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new Opened(Database.open(POSTGRES_URL, schema, 6), POSTGRES_URL, schema);
    }

    /** {@link #requirePostgres()} for tests outside this package. */
    public static void requirePostgresForOthers() {
        requirePostgres();
    }

    static void requirePostgres() {
        try (var c = DriverManager.getConnection(POSTGRES_URL)) {
            c.isValid(2);
        } catch (Exception e) {
            if ("1".equals(System.getenv("DERMATREND_REQUIRE_POSTGRES"))) {
                throw new AssertionError("PostgreSQL at " + POSTGRES_URL + " is required (DERMATREND_REQUIRE_POSTGRES=1) "
                        + "but cannot be reached: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL at " + POSTGRES_URL + " cannot be reached (" + e.getMessage()
                    + "); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        }
    }
}
