package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;
import static org.dermatrend.service.RecordAccess.WRITERS;
import static org.dermatrend.service.RecordAccess.found;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Role;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.RecordEdits;

/** A clinic's patients, known by a pseudonymous reference. */
public final class PatientService {
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final PatientRepository patients;
    private final RecordEdits edits;
    private final Erasures erasures;
    private final Clock clock;

    public PatientService(RecordStores stores, Erasures erasures, Clock clock) {
        this.patients = stores.patients();
        this.edits = stores.edits();
        this.erasures = erasures;
        this.clock = clock;
    }

    public Patient createPatient(Caller caller, String reference) {
        caller.require("create patients", WRITERS);
        requireReference(reference);
        Patient p = new Patient(UUID.randomUUID().toString(), caller.clinicId(), reference, clock.instant());
        if (!patients.insertPatient(p)) {
            throw referenceTaken(caller, reference);
        }
        return p;
    }

    private Failure referenceTaken(Caller caller, String reference) {
        Patient existing = patients.findPatientByReference(caller.clinicId(), reference).orElseThrow();
        return Failure.conflict("patient-exists", "Your clinic already has a patient with reference " + reference
                + " (id " + existing.id() + ").").with("existingId", existing.id());
    }

    private static void requireReference(String reference) {
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw Failure.invalid("reference", "reference must be the clinic's pseudonymous patient code: 1 to 100 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit (no names needed, none wanted)");
        }
    }

    /** Corrects a patient's reference (nothing is analysed again: the reference is only a label). */
    public Patient updatePatient(Caller caller, String id, String reference) {
        caller.require("correct patients", WRITERS);
        Patient p = patient(caller, id);
        requireReference(reference);
        if (!edits.updatePatient(caller.clinicId(), p.id(), reference)) {
            throw referenceTaken(caller, reference);
        }
        return patient(caller, id);
    }

    /**
     * Erases a patient and everything recorded of them (GDPR art. 17): areas, sessions, photos (their bytes
     * too), analyses and share links. Admins only. What remains is the audit log's rows, which name the
     * patient by id only.
     */
    public RecordEdits.Erased deletePatient(Caller caller, String id) {
        caller.require("erase patients", Role.ADMIN);
        Patient p = patient(caller, id);
        return erasures.after(edits.deletePatient(caller.clinicId(), p.id(), clock.instant()));
    }

    public List<Patient> listPatients(Caller caller, String reference, int limit, int offset) {
        caller.require("read patients", READERS);
        if (reference != null) {
            return patients.findPatientByReference(caller.clinicId(), reference).map(List::of).orElse(List.of());
        }
        return patients.listPatients(caller.clinicId(), limit, offset);
    }

    /** Patients whose reference contains {@code text} (any case), newest first, with the number that match. */
    public org.dermatrend.store.PatientRepository.PatientPage searchPatients(Caller caller, String text, int limit, int offset) {
        caller.require("read patients", READERS);
        if (text != null && text.length() > 100) {
            throw Failure.invalid("q", "a reference has at most 100 characters");
        }
        return patients.searchPatients(caller.clinicId(), text == null ? "" : text.strip(), limit, offset);
    }

    public Patient patient(Caller caller, String id) {
        caller.require("read patients", READERS);
        return found(patients.findPatient(caller.clinicId(), id), "patient", id);
    }
}
