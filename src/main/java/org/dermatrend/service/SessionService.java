package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;
import static org.dermatrend.service.RecordAccess.WRITERS;
import static org.dermatrend.service.RecordAccess.found;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Records.TreatmentSession;
import org.dermatrend.store.PatientRepository;

/** A patient's sessions: a date and the treatment given. */
public final class SessionService {
    private final PatientService patients;
    private final PatientRepository repository;
    private final Clock clock;

    public SessionService(PatientService patients, PatientRepository repository, Clock clock) {
        this.patients = patients;
        this.repository = repository;
        this.clock = clock;
    }

    /** What a session records; only the date is required. */
    public record SessionInput(LocalDate date, String device, Double needleDepthMm, Integer passes, String notes) {
    }

    public TreatmentSession createSession(Caller caller, String patientId, SessionInput in) {
        caller.require("create sessions", WRITERS);
        Patient p = patients.patient(caller, patientId);
        if (in.date() == null) {
            throw Failure.invalid("date", "date is required (YYYY-MM-DD)");
        }
        if (in.date().isAfter(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1))) {
            throw Failure.invalid("date", "date " + in.date() + " is in the future");
        }
        if (in.needleDepthMm() != null && !(in.needleDepthMm() >= 0 && in.needleDepthMm() <= 5)) {
            throw Failure.invalid("treatment.needleDepthMm", "needleDepthMm must be 0 to 5 mm, got " + in.needleDepthMm());
        }
        if (in.passes() != null && (in.passes() < 0 || in.passes() > 50)) {
            throw Failure.invalid("treatment.passes", "passes must be 0 to 50, got " + in.passes());
        }
        if (in.device() != null && in.device().length() > 200) {
            throw Failure.invalid("treatment.device", "device may have at most 200 characters");
        }
        if (in.notes() != null && in.notes().length() > 4000) {
            throw Failure.invalid("treatment.notes", "notes may have at most 4000 characters");
        }
        TreatmentSession s = new TreatmentSession(UUID.randomUUID().toString(), caller.clinicId(), p.id(), in.date(),
                in.device(), in.needleDepthMm(), in.passes(), in.notes(), clock.instant());
        repository.insertSession(s);
        return s;
    }

    public List<TreatmentSession> listSessions(Caller caller, String patientId) {
        Patient p = patients.patient(caller, patientId);
        return repository.listSessions(caller.clinicId(), p.id());
    }

    public TreatmentSession session(Caller caller, String id) {
        caller.require("read sessions", READERS);
        return found(repository.findSession(caller.clinicId(), id), "session", id);
    }
}
