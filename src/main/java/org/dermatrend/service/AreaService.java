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
import org.dermatrend.store.RecordEdits;

/** A patient's treatment areas: a name, an optional region of interest and the scale. */
public final class AreaService {
    private static final Pattern AREA_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final PatientService patients;
    private final PatientRepository repository;
    private final RecordEdits edits;
    private final Reanalysis reanalysis;
    private final Erasures erasures;
    private final Clock clock;

    public AreaService(PatientService patients, RecordStores stores, Erasures erasures, Clock clock) {
        this.patients = patients;
        this.repository = stores.patients();
        this.edits = stores.edits();
        this.reanalysis = new Reanalysis(stores.photos(), stores.queue());
        this.erasures = erasures;
        this.clock = clock;
    }

    public Area createArea(Caller caller, String patientId, String name, PixelRect roi, Double mmPerPx) {
        caller.require("create treatment areas", WRITERS);
        Patient p = patients.patient(caller, patientId);
        requireName(name);
        Budgets.requireScale("mmPerPx", mmPerPx);
        Area a = new Area(UUID.randomUUID().toString(), caller.clinicId(), p.id(), name, roi, mmPerPx, clock.instant());
        if (!repository.insertArea(a)) {
            throw Failure.conflict("area-exists", "Patient " + p.id() + " already has an area named " + name + ".");
        }
        return a;
    }

    private static void requireName(String name) {
        if (name == null || !AREA_NAME.matcher(name).matches()) {
            throw Failure.invalid("name", "name must be 1 to 64 lower-case letters, digits or '-', e.g. left-cheek");
        }
    }

    /** A correction of an area: each field kept when absent. */
    public record AreaChange(Change<String> name, Change<PixelRect> roi, Change<Double> mmPerPx) {
    }

    /**
     * Corrects an area. A new scale or region queues every analysis of the area again (through the queue;
     * the trend lists them as being redone); a new name changes no number.
     */
    public Area updateArea(Caller caller, String id, AreaChange change) {
        caller.require("correct treatment areas", WRITERS);
        Area a = area(caller, id);
        if (change.name().present()) {
            requireName(change.name().value());
        }
        if (change.mmPerPx().present()) {
            Budgets.requireScale("mmPerPx", change.mmPerPx().value());
        }
        Area updated = new Area(a.id(), a.clinicId(), a.patientId(), change.name().or(a.name()), change.roi().or(a.roi()),
                change.mmPerPx().or(a.mmPerPx()), a.createdAt());
        String reason = change.mmPerPx().changes(a.mmPerPx()) ? "scale_changed" : change.roi().changes(a.roi()) ? "roi_changed" : null;
        List<RecordEdits.Redo> redo = reason == null ? List.of() : reanalysis.all(caller.clinicId(), a.id(), reason);
        if (!edits.updateArea(updated, redo, clock.instant())) {
            throw Failure.conflict("area-exists", "Patient " + a.patientId() + " already has an area named " + updated.name() + ".");
        }
        return updated;
    }

    /** Erases an area: its photos (their bytes too), analyses and share links. Admins and clinicians. */
    public RecordEdits.Erased deleteArea(Caller caller, String id) {
        caller.require("erase treatment areas", WRITERS);
        Area a = area(caller, id);
        return erasures.after(edits.deleteArea(caller.clinicId(), a.id(), clock.instant()));
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
