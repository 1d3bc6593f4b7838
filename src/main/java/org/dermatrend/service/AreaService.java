package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;
import static org.dermatrend.service.RecordAccess.WRITERS;
import static org.dermatrend.service.RecordAccess.found;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.dermatrend.analysis.Budgets;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.store.PatientRepository;

/** A patient's treatment areas: a name, an optional region of interest and the scale. */
public final class AreaService {
    private static final Pattern AREA_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final PatientService patients;
    private final PatientRepository repository;
    private final Clock clock;

    public AreaService(PatientService patients, PatientRepository repository, Clock clock) {
        this.patients = patients;
        this.repository = repository;
        this.clock = clock;
    }

    public Area createArea(Caller caller, String patientId, String name, PixelRect roi, Double mmPerPx) {
        caller.require("create treatment areas", WRITERS);
        Patient p = patients.patient(caller, patientId);
        if (name == null || !AREA_NAME.matcher(name).matches()) {
            throw Failure.invalid("name", "name must be 1 to 64 lower-case letters, digits or '-', e.g. left-cheek");
        }
        Budgets.requireScale("mmPerPx", mmPerPx);
        Area a = new Area(UUID.randomUUID().toString(), caller.clinicId(), p.id(), name, roi, mmPerPx, clock.instant());
        if (!repository.insertArea(a)) {
            throw Failure.conflict("area-exists", "Patient " + p.id() + " already has an area named " + name + ".");
        }
        return a;
    }

    public List<Area> listAreas(Caller caller, String patientId) {
        Patient p = patients.patient(caller, patientId);
        return repository.listAreas(caller.clinicId(), p.id());
    }

    public Area area(Caller caller, String id) {
        caller.require("read treatment areas", READERS);
        return found(repository.findArea(caller.clinicId(), id), "area", id);
    }
}
