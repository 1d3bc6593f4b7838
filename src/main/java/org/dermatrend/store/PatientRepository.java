package org.dermatrend.store;

import java.util.List;
import java.util.Optional;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Records.TreatmentSession;
import org.jdbi.v3.core.Jdbi;

/**
 * Patients, their treatment areas and their sessions. Every method takes the caller's clinic and
 * filters on it: another clinic's record is simply not found.
 */
public final class PatientRepository {
    private final Jdbi jdbi;

    public PatientRepository(Database db) {
        this.jdbi = db.jdbi();
    }

    /** Stores a patient; false when the clinic already has one with this reference. */
    public boolean insertPatient(Patient p) {
        return RecordEdits.unlessDuplicate(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO patients (id, clinic_id, reference, created_at) "
                        + "SELECT :id, :clinic, :reference, :at WHERE NOT EXISTS "
                        + "(SELECT 1 FROM patients WHERE clinic_id = :clinic AND reference = :reference)")
                .bind("id", p.id()).bind("clinic", p.clinicId()).bind("reference", p.reference())
                .bind("at", Database.utc(p.createdAt())).execute()) == 1);
    }

    public Optional<Patient> findPatient(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM patients WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> Rows.patient(rs)).findOne());
    }

    public Optional<Patient> findPatientByReference(String clinicId, String reference) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM patients WHERE clinic_id = :clinic AND reference = :reference")
                .bind("clinic", clinicId).bind("reference", reference).map((rs, ctx) -> Rows.patient(rs)).findOne());
    }

    public List<Patient> listPatients(String clinicId, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM patients WHERE clinic_id = :clinic "
                        + "ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                .bind("clinic", clinicId).bind("limit", limit).bind("offset", offset).map((rs, ctx) -> Rows.patient(rs)).list());
    }

    /**
     * The clinic's patients whose reference contains {@code text} (any case), newest first, one page, and how many
     * match in all (the web app's patient list).
     */
    public record PatientPage(List<Patient> items, long total) {
    }

    public PatientPage searchPatients(String clinicId, String text, int limit, int offset) {
        String pattern = "%" + (text == null ? "" : text.toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%";
        return jdbi.withHandle(h -> {
            List<Patient> items = h.createQuery("SELECT * FROM patients WHERE clinic_id = :clinic AND LOWER(reference) LIKE :p "
                            + "ESCAPE '\\' ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                    .bind("clinic", clinicId).bind("p", pattern).bind("limit", limit).bind("offset", offset)
                    .map((rs, ctx) -> Rows.patient(rs)).list();
            long total = h.createQuery("SELECT COUNT(*) FROM patients WHERE clinic_id = :clinic AND LOWER(reference) LIKE :p ESCAPE '\\'")
                    .bind("clinic", clinicId).bind("p", pattern).mapTo(Long.class).one();
            return new PatientPage(items, total);
        });
    }

    /** Stores an area; false when the patient already has an area of this name. */
    public boolean insertArea(Area a) {
        return RecordEdits.unlessDuplicate(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO areas (id, clinic_id, patient_id, name, roi, mm_per_px, created_at) "
                        + "SELECT :id, :clinic, :patient, :name, :roi, :mm, :at WHERE NOT EXISTS "
                        + "(SELECT 1 FROM areas WHERE patient_id = :patient AND name = :name)")
                .bind("id", a.id()).bind("clinic", a.clinicId()).bind("patient", a.patientId()).bind("name", a.name())
                .bind("roi", Rows.rectText(a.roi())).bind("mm", a.mmPerPx()).bind("at", Database.utc(a.createdAt()))
                .execute()) == 1);
    }

    public Optional<Area> findArea(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM areas WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> Rows.area(rs)).findOne());
    }

    public List<Area> listAreas(String clinicId, String patientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM areas WHERE clinic_id = :clinic AND patient_id = :patient "
                        + "ORDER BY created_at, id")
                .bind("clinic", clinicId).bind("patient", patientId).map((rs, ctx) -> Rows.area(rs)).list());
    }

    public void insertSession(TreatmentSession s) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sessions (id, clinic_id, patient_id, session_date, device, "
                        + "needle_depth_mm, passes, notes, created_at) VALUES (:id, :clinic, :patient, :date, :device, :depth, "
                        + ":passes, :notes, :at)")
                .bind("id", s.id()).bind("clinic", s.clinicId()).bind("patient", s.patientId()).bind("date", s.date())
                .bind("device", s.device()).bind("depth", s.needleDepthMm()).bind("passes", s.passes())
                .bind("notes", s.notes()).bind("at", Database.utc(s.createdAt())).execute());
    }

    public Optional<TreatmentSession> findSession(String clinicId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sessions WHERE clinic_id = :clinic AND id = :id")
                .bind("clinic", clinicId).bind("id", id).map((rs, ctx) -> Rows.session(rs)).findOne());
    }

    public List<TreatmentSession> listSessions(String clinicId, String patientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sessions WHERE clinic_id = :clinic AND patient_id = :patient "
                        + "ORDER BY session_date, created_at, id")
                .bind("clinic", clinicId).bind("patient", patientId).map((rs, ctx) -> Rows.session(rs)).list());
    }
}
