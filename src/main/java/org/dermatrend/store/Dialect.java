package org.dermatrend.store;

/**
 * The databases the schema runs on. They differ in how a worker claims a queued job, and SQLite in how
 * it keeps timestamps (text, see {@link Database}).
 */
public enum Dialect {
    /**
     * The embedded default, one process: a job is claimed by a compare-and-set update. Write-ahead log
     * with {@code synchronous=FULL}: a commit is on disk before it is acknowledged.
     */
    SQLITE,
    /**
     * Embedded, one process, claimed like SQLite. Kept for data directories made before SQLite became the
     * default; it can lose its last seconds of acknowledged commits when the process is killed.
     */
    H2,
    /** Shared by several processes: a job is claimed with {@code FOR UPDATE SKIP LOCKED}. */
    POSTGRESQL;

    /**
     * The database a JDBC URL names.
     *
     * @throws IllegalArgumentException for a database the service does not run on (a password in the URL
     *                                  is masked in the message)
     */
    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL " + jdbcUrl.replaceAll("password=[^&;]*", "password=***")
                + ": use jdbc:postgresql://host:port/database, jdbc:sqlite:FILE (the embedded default) or jdbc:h2:…");
    }
}
