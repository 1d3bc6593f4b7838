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
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.RecordEdits;

/** A patient's sessions: a date and the treatment given. */
public final class SessionService {
    /** The earliest session date accepted: before it, a date is a typing mistake, not a photo session. */
    public static final LocalDate EARLIEST = LocalDate.of(1990, 1, 1);

    private final PatientService patients;
    private final PatientRepository repository;
    private final PhotoRepository photos;
    private final RecordEdits edits;
    private final Reanalysis reanalysis;
    private final Erasures erasures;
    private final Clock clock;

    public SessionService(PatientService patients, RecordStores stores, Erasures erasures, Clock clock) {
        this.patients = patients;
        this.repository = stores.patients();
        this.photos = stores.photos();
        this.edits = stores.edits();
        this.reanalysis = new Reanalysis(stores.photos(), stores.queue());
        this.erasures = erasures;
        this.clock = clock;
    }

    /** What a session records; only the date is required. */
    public record SessionInput(LocalDate date, String device, Double needleDepthMm, Integer passes, String notes) {
    }

    public TreatmentSession createSession(Caller caller, String patientId, SessionInput in) {
        caller.require("create sessions", WRITERS);
        Patient p = patients.patient(caller, patientId);
        check(in);
        TreatmentSession s = new TreatmentSession(UUID.randomUUID().toString(), caller.clinicId(), p.id(), in.date(),
                in.device(), in.needleDepthMm(), in.passes(), in.notes(), clock.instant());
        repository.insertSession(s);
        return s;
    }

    private void check(SessionInput in) {
        if (in.date() == null) {
            throw Failure.invalid("date", "date is required (YYYY-MM-DD)");
        }
        LocalDate tomorrow = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        if (in.date().isAfter(tomorrow)) {
            throw Failure.invalid("date", "date " + in.date() + " is in the future");
        }
        if (in.date().isBefore(EARLIEST)) {
            throw Failure.invalid("date", "date " + in.date() + " is before " + EARLIEST + "; check the year (YYYY-MM-DD)");
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
    }

    /** A correction of a session: each field kept when absent ({@code date} cannot be cleared). */
    public record SessionChange(Change<LocalDate> date, Change<String> device, Change<Double> needleDepthMm,
                                Change<Integer> passes, Change<String> notes) {
    }

    /**
     * Corrects a session. A new date re-orders its photos in their areas' series; the analyses whose
     * baseline that may move are queued again (see {@link Reanalysis}). The treatment changes no analysis
     * (the trend reads it when it is built).
     */
    public TreatmentSession updateSession(Caller caller, String id, SessionChange change) {
        caller.require("correct sessions", WRITERS);
        TreatmentSession s = session(caller, id);
        if (change.date().present() && change.date().value() == null) {
            throw Failure.invalid("date", "date cannot be removed; send the corrected date (YYYY-MM-DD)");
        }
        TreatmentSession updated = new TreatmentSession(s.id(), s.clinicId(), s.patientId(), change.date().or(s.date()),
                change.device().or(s.device()), change.needleDepthMm().or(s.needleDepthMm()), change.passes().or(s.passes()),
                change.notes().or(s.notes()), s.createdAt());
        check(new SessionInput(updated.date(), updated.device(), updated.needleDepthMm(), updated.passes(), updated.notes()));
        List<RecordEdits.Redo> redo = new java.util.ArrayList<>();
        if (!updated.date().equals(s.date())) {
            java.util.Set<String> here = new java.util.HashSet<>();
            photos.listBySession(caller.clinicId(), s.id()).forEach(p -> here.add(p.id()));
            for (String area : areasOf(caller, s.id())) {
                redo.addAll(reanalysis.plan(caller.clinicId(), area, items -> items.stream()
                        .map(i -> here.contains(i.photoId()) ? Reanalysis.redated(i, updated.date()) : i).toList(), java.util.Map.of()));
            }
        }
        edits.updateSession(updated, redo, clock.instant());
        return updated;
    }

    /**
     * Erases a session and its photos (their bytes too); the analyses whose baseline that moves are queued
     * again. Admins and clinicians.
     */
    public RecordEdits.Erased deleteSession(Caller caller, String id) {
        caller.require("erase sessions", WRITERS);
        TreatmentSession s = session(caller, id);
        java.util.Set<String> gone = new java.util.HashSet<>();
        photos.listBySession(caller.clinicId(), s.id()).forEach(p -> gone.add(p.id()));
        List<RecordEdits.Redo> redo = new java.util.ArrayList<>();
        for (String area : areasOf(caller, s.id())) {
            redo.addAll(reanalysis.plan(caller.clinicId(), area, items -> items.stream().filter(i -> !gone.contains(i.photoId()))
                    .toList(), java.util.Map.of()));
        }
        return erasures.after(edits.deleteSession(caller.clinicId(), s.id(), redo, clock.instant()));
    }

    private java.util.Set<String> areasOf(Caller caller, String sessionId) {
        java.util.Set<String> areas = new java.util.LinkedHashSet<>();
        photos.listBySession(caller.clinicId(), sessionId).forEach(p -> areas.add(p.areaId()));
        return areas;
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
