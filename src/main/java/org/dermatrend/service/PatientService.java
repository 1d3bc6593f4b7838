package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;
import static org.dermatrend.service.RecordAccess.WRITERS;
import static org.dermatrend.service.RecordAccess.found;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.store.PatientRepository;

/** A clinic's patients, known by a pseudonymous reference. */
public final class PatientService {
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final PatientRepository patients;
    private final Clock clock;

    public PatientService(PatientRepository patients, Clock clock) {
        this.patients = patients;
        this.clock = clock;
    }

    public Patient createPatient(Caller caller, String reference) {
        caller.require("create patients", WRITERS);
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw Failure.invalid("reference", "reference must be the clinic's pseudonymous patient code: 1 to 100 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit (no names needed, none wanted)");
        }
        Patient p = new Patient(UUID.randomUUID().toString(), caller.clinicId(), reference, clock.instant());
        if (!patients.insertPatient(p)) {
            Patient existing = patients.findPatientByReference(caller.clinicId(), reference).orElseThrow();
            throw Failure.conflict("patient-exists", "Your clinic already has a patient with reference " + reference
                    + " (id " + existing.id() + ").").with("existingId", existing.id());
        }
        return p;
    }

    public List<Patient> listPatients(Caller caller, String reference, int limit, int offset) {
        caller.require("read patients", READERS);
        if (reference != null) {
            return patients.findPatientByReference(caller.clinicId(), reference).map(List::of).orElse(List.of());
        }
        return patients.listPatients(caller.clinicId(), limit, offset);
    }

    public Patient patient(Caller caller, String id) {
        caller.require("read patients", READERS);
        return found(patients.findPatient(caller.clinicId(), id), "patient", id);
    }
}
