package org.dermatrend.store;

import org.dermatrend.util.OwnerOnly;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * The relational store: a connection pool, the schema brought up to date by Flyway at open, and JDBI
 * on top. SQLite in the data directory by default; PostgreSQL for deployments that run several service
 * processes (they share the analysis queue safely).
 *
 * <p>SQLite runs with a write-ahead log and {@code synchronous=FULL}, so a commit has reached the disk
 * before the service acknowledges it (the crash test kills the process mid-upload and checks this),
 * foreign keys on, and transactions that take the write lock when they begin ({@code BEGIN IMMEDIATE}),
 * so two writers wait for each other instead of failing. SQLite has no timestamp type: timestamps are
 * kept as fixed-width UTC text ({@link #SQLITE_TIME}), which sorts and compares in time order.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        if (dialect == Dialect.SQLITE) {
            jdbi.registerArgument(new SqliteTimestamps());
        }
    }

    /** Binds timestamps for SQLite as {@link #SQLITE_TIME} text. */
    private static final class SqliteTimestamps extends AbstractArgumentFactory<OffsetDateTime> {
        SqliteTimestamps() {
            super(Types.VARCHAR);
        }

        @Override
        protected Argument build(OffsetDateTime value, ConfigRegistry config) {
            String text = SQLITE_TIME.format(value.withOffsetSameInstant(ZoneOffset.UTC));
            return (position, statement, ctx) -> statement.setString(position, text);
        }
    }

    /**
     * True when the statement broke a unique or primary-key constraint (SQLState class 23 on PostgreSQL
     * and H2; SQLite's driver gives no SQLState, only its result code).
     */
    public static boolean isUniqueViolation(Throwable e) {
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        if (sql.getSQLState() != null) {
            return sql.getSQLState().startsWith("23");
        }
        return sql instanceof org.sqlite.SQLiteException lite
                && (lite.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                || lite.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
    }

    /** Timestamps in SQLite: always nine fraction digits, so text order is time order. */
    static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'");

    /**
     * The embedded default: a SQLite database file, {@code dataDir/db/dermatrend.sqlite}.
     *
     * @throws IllegalStateException when the folder holds only an H2 database from a version before SQLite
     *                               was the default: starting a new, empty database beside it would hide the
     *                               records in it
     */
    public static String embeddedUrl(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().resolve("db");
        Path sqlite = dir.resolve("dermatrend.sqlite");
        Path h2 = dir.resolve("dermatrend.mv.db");
        if (Files.exists(h2) && !Files.exists(sqlite)) {
            throw new IllegalStateException("the data directory holds an H2 database (" + h2 + ") from an earlier version; "
                    + "to keep using it start with --db-url 'jdbc:h2:file:" + dir.resolve("dermatrend")
                    + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0' (not crash-safe, see docs/api.md), or move it away to start on "
                    + "an empty SQLite database");
        }
        return "jdbc:sqlite:" + sqlite;
    }

    /** The H2 URL for a database in {@code dataDir/db} (data directories made before SQLite was the default). */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("dermatrend") + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    }

    /**
     * Opens the database and migrates its schema.
     *
     * @param jdbcUrl  {@code jdbc:sqlite:FILE}, {@code jdbc:postgresql://…} or {@code jdbc:h2:…}
     * @param schema   the schema to use (created when missing), or {@code null} for the default; tests use
     *                 one schema each on a shared PostgreSQL
     * @param poolSize connections in the pool
     * @throws IllegalArgumentException for a URL of another database
     * @throws org.flywaydb.core.api.FlywayException when the database cannot be reached or migrated
     */
    public static Database open(String jdbcUrl, String schema, int poolSize) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("dermatrend-db");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        if (schema != null) {
            config.setSchema(schema);
        }
        if (dialect == Dialect.SQLITE) {
            if (schema != null) {
                throw new IllegalArgumentException("SQLite has no schemas; leave the schema out");
            }
            createParentFolder(jdbcUrl.substring("jdbc:sqlite:".length()));
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            // Erased records are overwritten with zeros in the file, not left in its free pages (GDPR art. 17).
            config.addDataSourceProperty("secure_delete", "true");
        }
        HikariDataSource ds;
        if (schema != null) {
            // The schema must exist before the pool's connections select it.
            HikariConfig bootstrap = new HikariConfig();
            bootstrap.setJdbcUrl(jdbcUrl);
            bootstrap.setMaximumPoolSize(1);
            try (HikariDataSource b = new HikariDataSource(bootstrap)) {
                Jdbi.create(b).useHandle(h -> h.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(schema)));
            }
        }
        ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                    .schemas(schema == null ? new String[0] : new String[] {schema})
                    .load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, dialect);
    }

    private static void createParentFolder(String file) {
        int query = file.indexOf('?');
        Path path = Path.of(query < 0 ? file : file.substring(0, query)).toAbsolutePath();
        if (file.startsWith(":memory:") || path.getParent() == null) {
            return;
        }
        try {
            // The records are medical records: the folder (and so the database, its journal and WAL) is owner-only.
            OwnerOnly.folder(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database folder " + path.getParent(), e);
        }
    }

    /** Drops a schema and everything in it (tests clean up their PostgreSQL schema with it). */
    public static void dropSchema(String jdbcUrl, String schema) {
        HikariConfig bootstrap = new HikariConfig();
        bootstrap.setJdbcUrl(jdbcUrl);
        bootstrap.setMaximumPoolSize(1);
        try (HikariDataSource b = new HikariDataSource(bootstrap)) {
            Jdbi.create(b).useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + quoteIdentifier(schema) + " CASCADE"));
        }
    }

    private static String quoteIdentifier(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema name must be letters, digits and underscores, got " + name);
        }
        return '"' + name + '"';
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** True when a connection answers a trivial query within a second. */
    public boolean ping() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Timestamps are stored with their offset, always UTC. */
    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
