package org.dermatrend.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The relational store: a connection pool, the schema brought up to date by Flyway at open, and JDBI
 * on top. H2 in the data directory by default; PostgreSQL for deployments that run several service
 * processes (they share the analysis queue safely).
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** The embedded default: an H2 database file in {@code dataDir/db}. */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("dermatrend") + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    }

    /**
     * Opens the database and migrates its schema.
     *
     * @param jdbcUrl  {@code jdbc:h2:…} or {@code jdbc:postgresql://…}
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
