package org.dermatrend.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.ImageFormat;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.AnalysisState;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.domain.Records.TreatmentSession;
import org.dermatrend.domain.Role;
import org.dermatrend.quality.QualityIssue;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.wire.AnalysisResult;
import org.dermatrend.wire.ChangeInfo;
import org.dermatrend.wire.ScoreInfo;
import org.dermatrend.trend.TrendBuilder;
import org.dermatrend.wire.TrendInfo;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Patients, areas, sessions, photos and their analyses, always inside the caller's clinic: a record
 * of another clinic is reported exactly like one that does not exist.
 */
public final class RecordService {
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern AREA_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Role[] READERS = {Role.ADMIN, Role.CLINICIAN, Role.REVIEWER};
    private static final Role[] WRITERS = {Role.ADMIN, Role.CLINICIAN};

    private final PatientRepository patients;
    private final PhotoRepository photos;
    private final AnalysisQueue queue;
    private final PhotoStore store;
    private final PhotoDecoder decoder;
    private final Runnable jobQueued;
    private final long maxPending;
    private final ObjectMapper json;
    private final Clock clock;
    private final TrendBuilder trends;

    /**
     * @param jobQueued  called after an analysis is queued (wakes the workers)
     * @param maxPending queued + running analyses above which uploads are refused with 503
     */
    public RecordService(PatientRepository patients, PhotoRepository photos, AnalysisQueue queue, PhotoStore store,
                         PhotoDecoder decoder, Runnable jobQueued, long maxPending, ObjectMapper json, Clock clock,
                         TrendBuilder trends) {
        this.trends = trends;
        this.patients = patients;
        this.photos = photos;
        this.queue = queue;
        this.store = store;
        this.decoder = decoder;
        this.jobQueued = jobQueued;
        this.maxPending = maxPending;
        this.json = json;
        this.clock = clock;
    }

    // --- patients ---

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
        return patients.findPatient(caller.clinicId(), id).orElseThrow(() -> Failure.notFound("patient", id));
    }

    // --- areas ---

    public Area createArea(Caller caller, String patientId, String name, PixelRect roi, Double mmPerPx) {
        caller.require("create treatment areas", WRITERS);
        Patient p = patients.findPatient(caller.clinicId(), patientId).orElseThrow(() -> Failure.notFound("patient", patientId));
        if (name == null || !AREA_NAME.matcher(name).matches()) {
            throw Failure.invalid("name", "name must be 1 to 64 lower-case letters, digits or '-', e.g. left-cheek");
        }
        if (mmPerPx != null && !(mmPerPx > 0 && mmPerPx < 10)) {
            throw Failure.invalid("mmPerPx", "mmPerPx must be in (0, 10) mm per pixel, got " + mmPerPx);
        }
        Area a = new Area(UUID.randomUUID().toString(), caller.clinicId(), p.id(), name, roi, mmPerPx, clock.instant());
        if (!patients.insertArea(a)) {
            throw Failure.conflict("area-exists", "Patient " + p.id() + " already has an area named " + name + ".");
        }
        return a;
    }

    public List<Area> listAreas(Caller caller, String patientId) {
        Patient p = patient(caller, patientId);
        return patients.listAreas(caller.clinicId(), p.id());
    }

    public Area area(Caller caller, String id) {
        caller.require("read treatment areas", READERS);
        return patients.findArea(caller.clinicId(), id).orElseThrow(() -> Failure.notFound("area", id));
    }

    // --- sessions ---

    /** What a session records; only the date is required. */
    public record SessionInput(LocalDate date, String device, Double needleDepthMm, Integer passes, String notes) {
    }

    public TreatmentSession createSession(Caller caller, String patientId, SessionInput in) {
        caller.require("create sessions", WRITERS);
        Patient p = patients.findPatient(caller.clinicId(), patientId).orElseThrow(() -> Failure.notFound("patient", patientId));
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
        patients.insertSession(s);
        return s;
    }

    public List<TreatmentSession> listSessions(Caller caller, String patientId) {
        Patient p = patient(caller, patientId);
        return patients.listSessions(caller.clinicId(), p.id());
    }

    public TreatmentSession session(Caller caller, String id) {
        caller.require("read sessions", READERS);
        return patients.findSession(caller.clinicId(), id).orElseThrow(() -> Failure.notFound("session", id));
    }

    // --- photos ---

    /** An uploaded photo and what the client said about it. */
    public record Upload(byte[] bytes, String areaId, PixelRect grayRef, String idempotencyKey) {
    }

    /** The stored photo and its analysis; {@code replayed} when an earlier upload with the same key is returned. */
    public record Uploaded(Photo photo, Analysis analysis, boolean replayed) {
    }

    public Uploaded upload(Caller caller, String sessionId, Upload up) throws IOException {
        caller.require("upload photos", WRITERS);
        TreatmentSession session = patients.findSession(caller.clinicId(), sessionId)
                .orElseThrow(() -> Failure.notFound("session", sessionId));
        if (up.areaId() == null || up.areaId().isBlank()) {
            throw Failure.invalid("areaId", "areaId is required: the treatment area the photo shows");
        }
        Area area = patients.findArea(caller.clinicId(), up.areaId()).orElseThrow(() -> Failure.invalid("areaId",
                "No area " + up.areaId() + " in your clinic."));
        if (!area.patientId().equals(session.patientId())) {
            throw Failure.invalid("areaId", "Area " + area.id() + " belongs to another patient than session " + session.id() + ".");
        }
        if (up.idempotencyKey() != null && (up.idempotencyKey().isBlank() || up.idempotencyKey().length() > 200)) {
            throw Failure.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 200 characters");
        }
        String sha = PhotoStore.sha256(up.bytes());
        String requestHash = PhotoStore.sha256((session.id() + "|" + area.id() + "|" + up.grayRef() + "|" + sha)
                .getBytes(StandardCharsets.UTF_8));
        Optional<Uploaded> replay = replay(caller, up.idempotencyKey(), requestHash);
        if (replay.isPresent()) {
            return replay.get();
        }
        PhotoDecoder.Inspection inspection = decoder.inspect(up.bytes());
        if (inspection.isRefused()) {
            throw ScoringService.refusal(inspection.refusal(), null);
        }
        int width = inspection.header().uprightWidth();
        int height = inspection.header().uprightHeight();
        if (up.grayRef() != null && !up.grayRef().fitsIn(width, height)) {
            throw Failure.invalid("grayRef", "grayRef " + up.grayRef() + " does not lie inside the photo (" + width + "x"
                    + height + " px, upright)");
        }
        long pending = queue.countPending();
        if (pending >= maxPending) {
            throw Failure.overloaded("The analysis queue is full (" + pending + " photos waiting); upload this photo again "
                    + "later. Nothing was stored.", 30);
        }
        store.put(up.bytes());
        Photo photo = new Photo(UUID.randomUUID().toString(), caller.clinicId(), session.id(), area.id(), sha, up.bytes().length,
                inspection.header().format().label().toLowerCase(java.util.Locale.ROOT), width, height, up.grayRef(),
                up.idempotencyKey(), up.idempotencyKey() == null ? null : requestHash, clock.instant());
        Analysis analysis = new Analysis(UUID.randomUUID().toString(), caller.clinicId(), photo.id(), AnalysisState.QUEUED, 0,
                null, null, clock.instant(), null, null, null, null, null);
        if (photos.insertWithAnalysis(photo, analysis) == PhotoRepository.Inserted.KEY_TAKEN) {
            // A concurrent upload with the same key won the race.
            return replay(caller, up.idempotencyKey(), requestHash).orElseThrow();
        }
        jobQueued.run();
        return new Uploaded(photo, analysis, false);
    }

    private Optional<Uploaded> replay(Caller caller, String key, String requestHash) {
        if (key == null) {
            return Optional.empty();
        }
        return photos.findByIdempotencyKey(caller.clinicId(), key).map(existing -> {
            if (!requestHash.equals(existing.requestHash())) {
                throw Failure.conflict("idempotency-key-reused", "The Idempotency-Key " + key + " was used for a different "
                        + "upload (photo " + existing.id() + "); use a new key for a new photo.").with("photoId", existing.id());
            }
            return new Uploaded(existing, queue.findByPhoto(caller.clinicId(), existing.id()).orElseThrow(), true);
        });
    }

    public List<Photo> listPhotos(Caller caller, String sessionId) {
        TreatmentSession s = session(caller, sessionId);
        return photos.listBySession(caller.clinicId(), s.id());
    }

    public Photo photo(Caller caller, String id) {
        caller.require("read photos", READERS);
        return photos.find(caller.clinicId(), id).orElseThrow(() -> Failure.notFound("photo", id));
    }

    /** An image to serve, and its media type. */
    public record Image(byte[] bytes, String mediaType) {
    }

    /**
     * The photo as served: its upright pixels re-encoded (JPEG at quality 95 for a JPEG, PNG otherwise),
     * which by construction carries none of the original's metadata (GPS, device serials, times). The
     * stored original is never served.
     */
    public Image photoImage(Caller caller, String id) throws IOException {
        Photo p = photo(caller, id);
        byte[] original = store.get(p.sha256()).orElseThrow(() -> new IOException("photo " + p.id() + " has no bytes in the store"));
        DecodeResult r = decoder.decode(original);
        if (r.isRefused()) {
            throw Failure.unprocessable("image-refused", "The stored photo cannot be decoded: " + r.refusal().message());
        }
        boolean jpeg = r.photo().header().format() == ImageFormat.JPEG;
        MatOfByte out = new MatOfByte();
        MatOfInt params = jpeg ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 95) : new MatOfInt();
        try (DecodedPhoto d = r.photo()) {
            if (!Imgcodecs.imencode(jpeg ? ".jpg" : ".png", d.bgr(), out, params)) {
                throw new IOException("could not encode photo " + p.id());
            }
            return new Image(out.toArray(), jpeg ? "image/jpeg" : "image/png");
        } finally {
            out.release();
            params.release();
        }
    }

    // --- analyses ---

    public Analysis analysis(Caller caller, String id) {
        caller.require("read analyses", READERS);
        return queue.find(caller.clinicId(), id).orElseThrow(() -> Failure.notFound("analysis", id));
    }

    public Analysis analysisOfPhoto(Caller caller, Photo p) {
        return queue.findByPhoto(caller.clinicId(), p.id()).orElseThrow(() -> new IllegalStateException("photo " + p.id()
                + " has no analysis"));
    }

    // --- trend ---

    /**
     * The area's trend (see {@link TrendBuilder}): every photo of the area in session order, its
     * analysis' values on the skin it shares with the baseline, and per metric the statistics and
     * verdict. A session with a recorded treatment (device, needle depth or passes) counts as a
     * treatment on its date for the post-treatment redness rule.
     */
    public TrendInfo trend(Caller caller, String areaId, boolean includePostTreatment) throws IOException {
        Area area = area(caller, areaId);
        Patient patient = patients.findPatient(caller.clinicId(), area.patientId()).orElseThrow();
        List<LocalDate> treatments = patients.listSessions(caller.clinicId(), patient.id()).stream()
                .filter(s -> s.device() != null || s.needleDepthMm() != null || s.passes() != null)
                .map(TreatmentSession::date).toList();
        List<TrendInfo.Session> entries = new ArrayList<>();
        Map<MetricKey, Double> baselineOwn = null;
        for (DatedPhoto dp : photos.listByArea(caller.clinicId(), area.id())) {
            Analysis a = queue.findByPhoto(caller.clinicId(), dp.photo().id()).orElseThrow();
            boolean post = TrendBuilder.postTreatment(dp.sessionDate(), treatments);
            Map<String, Double> values = null;
            String reason = null;
            List<String> warnings = null;
            if (a.state() != AnalysisState.DONE) {
                reason = a.state() == AnalysisState.FAILED ? a.failureCode() : a.state().label();
            } else {
                AnalysisResult result = AnalysisResult.read(json, a.resultJson());
                warnings = warnings(result.score());
                Map<MetricKey, Double> own = result.score().metrics();
                if (result.baseline()) {
                    if (baselineOwn == null) {
                        baselineOwn = own;
                        values = MetricKey.byJson(own);
                    } else {
                        reason = "second_baseline";
                    }
                } else if (baselineOwn == null) {
                    reason = "baseline_not_usable";
                } else {
                    values = MetricKey.byJson(TrendBuilder.anchored(baselineOwn, result.baselineScore().metrics(), own));
                }
            }
            entries.add(new TrendInfo.Session(dp.sessionDate(), dp.photo().id(), dp.photo().sessionId(), a.id(), a.state().label(),
                    values != null, reason, post, warnings, values));
        }
        return trends.build(patient.reference(), area.name(), area.id(), entries, includePostTreatment, List.of());
    }

    /** The codes of the quality gate's warnings (not failures) in a score. */
    public static List<String> warnings(ScoreInfo score) {
        List<String> out = new ArrayList<>();
        if (score != null && score.quality() != null) {
            for (QualityIssue i : score.quality().issues()) {
                if (QualityIssue.WARNING.equals(i.severity())) {
                    out.add(i.code());
                }
            }
        }
        return out.isEmpty() ? null : out;
    }
}
