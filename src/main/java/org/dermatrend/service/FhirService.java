package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.fhir.FhirExport;
import org.dermatrend.store.PhotoRepository;

/**
 * A patient's or an area's records as a FHIR R4 bundle ({@link FhirExport}): the numbers are the areas'
 * trends, each with the PDF report that shows them. Readers (admins, clinicians, reviewers), like the trend
 * and the report; another clinic's patient or area is not found.
 *
 * <p>What a bundle may cost is bounded before anything is drawn: each area's PDF is drawn from its photos,
 * aligned again to the baseline (a few seconds per photo the first time, then cached, under a scoring turn
 * like the report), and carried inline, so a bundle holds at most {@value #MAX_AREAS} areas and
 * {@value #MAX_PHOTOS} photos; more is 422 {@code export-too-large}, saying what to fetch instead.
 */
public final class FhirService {
    /** Areas one patient bundle may hold. */
    static final int MAX_AREAS = 12;
    /** Photos one bundle may hold, over all its areas. */
    static final int MAX_PHOTOS = 100;

    private final PatientService patients;
    private final AreaService areas;
    private final PhotoRepository photos;
    private final ReportService reports;
    private final FhirExport export;
    private final Clock clock;

    public FhirService(PatientService patients, AreaService areas, PhotoRepository photos, ReportService reports, FhirExport export,
                       Clock clock) {
        this.patients = patients;
        this.areas = areas;
        this.photos = photos;
        this.reports = reports;
        this.export = export;
        this.clock = clock;
    }

    /**
     * The patient with every area of theirs, as {@code application/fhir+json}.
     *
     * @param baseUrl the service's address as its users reach it (photos are linked under it), without a trailing slash
     */
    public byte[] patientBundle(Caller caller, String patientId, String baseUrl) throws IOException, InterruptedException {
        caller.require("export records as FHIR", READERS);
        Patient patient = patients.patient(caller, patientId);
        List<Area> all = areas.listAreas(caller, patient.id());
        if (all.size() > MAX_AREAS) {
            throw Failure.unprocessable("export-too-large", "Patient " + patient.id() + " has " + all.size() + " treatment areas; a "
                    + "FHIR bundle holds at most " + MAX_AREAS + ". Export the areas one by one: GET /v1/areas/{areaId}/fhir for each "
                    + "of GET /v1/patients/" + patient.id() + "/areas.");
        }
        return bundle(caller, patient, all, "Patient " + patient.id(), baseUrl);
    }

    /** One area of a patient, as {@code application/fhir+json} (see {@link #patientBundle}). */
    public byte[] areaBundle(Caller caller, String areaId, String baseUrl) throws IOException, InterruptedException {
        caller.require("export records as FHIR", READERS);
        Area area = areas.area(caller, areaId);
        Patient patient = patients.patient(caller, area.patientId());
        return bundle(caller, patient, List.of(area), "Area " + area.id(), baseUrl);
    }

    private byte[] bundle(Caller caller, Patient patient, List<Area> of, String what, String baseUrl)
            throws IOException, InterruptedException {
        Map<String, List<DatedPhoto>> photosOf = new LinkedHashMap<>();
        int count = 0;
        for (Area a : of) {
            List<DatedPhoto> list = photos.listByArea(caller.clinicId(), a.id());
            photosOf.put(a.id(), list);
            count += list.size();
        }
        if (count > MAX_PHOTOS) {
            throw Failure.unprocessable("export-too-large", what + " has " + count + " photos; a FHIR bundle holds at most "
                    + MAX_PHOTOS + " (each area's PDF report, drawn from its photos, travels inside it). "
                    + (of.size() > 1 ? "Export the areas one by one (GET /v1/areas/{areaId}/fhir)."
                    : "The area's report is GET /v1/areas/" + of.get(0).id() + "/report?format=pdf and its numbers GET /v1/areas/"
                    + of.get(0).id() + "/trend."));
        }
        List<FhirExport.AreaExport> parts = new ArrayList<>();
        for (Area a : of) {
            ReportService.Pdf pdf = reports.pdfWithTrend(caller, a.id());
            Map<String, String> mediaTypes = new LinkedHashMap<>();
            for (DatedPhoto dp : photosOf.get(a.id())) {
                mediaTypes.put(dp.photo().id(), PhotoService.servedMediaType(dp.photo()));
            }
            parts.add(new FhirExport.AreaExport(a, pdf.trend(), pdf.pdf(), mediaTypes));
        }
        return export.json(patient, parts, baseUrl, clock.instant());
    }
}
