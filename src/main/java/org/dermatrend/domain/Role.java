package org.dermatrend.domain;

import java.util.Locale;
import java.util.Optional;

/** What an API key may do. Each key has exactly one role; a clinic may hold many keys. */
public enum Role {
    /** Manages the clinic's keys, and everything a clinician may do. */
    ADMIN,
    /** Creates patients, areas and sessions, uploads photos, reads results. */
    CLINICIAN,
    /** Reads records, results and trends. */
    REVIEWER,
    /** Stateless scoring only ({@code POST /v1/score}, {@code POST /v1/compare}). */
    APP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String label) {
        for (Role r : values()) {
            if (r.label().equals(label)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
