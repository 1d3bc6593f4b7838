package org.dermatrend.store;

/** The databases the schema runs on; they differ only in how a worker claims a queued job. */
public enum Dialect {
    /** Embedded, one process: a job is claimed by a compare-and-set update. */
    H2,
    /** Shared by several processes: a job is claimed with {@code FOR UPDATE SKIP LOCKED}. */
    POSTGRESQL;

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL " + jdbcUrl.replaceAll("password=[^&;]*", "password=***")
                + ": use jdbc:h2:… (embedded) or jdbc:postgresql://host:port/database");
    }
}
