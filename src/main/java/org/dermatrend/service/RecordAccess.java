package org.dermatrend.service;

import java.util.Optional;
import org.dermatrend.domain.Role;

/**
 * What the record services share: who may read and who may write records, and the one helper that
 * turns a record the caller's clinic does not have into a 404 (a record of another clinic is reported
 * exactly like one that does not exist).
 */
final class RecordAccess {
    static final Role[] READERS = {Role.ADMIN, Role.CLINICIAN, Role.REVIEWER};
    static final Role[] WRITERS = {Role.ADMIN, Role.CLINICIAN};

    private RecordAccess() {
    }

    /** The record, or {@link Failure#notFound} naming {@code what} and {@code id}. */
    static <T> T found(Optional<T> record, String what, String id) {
        return record.orElseThrow(() -> Failure.notFound(what, id));
    }
}
