package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;
import static org.dermatrend.service.RecordAccess.WRITERS;
import static org.dermatrend.service.RecordAccess.found;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.dermatrend.analysis.Budgets;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.ImageFormat;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.AnalysisState;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.domain.Records.TreatmentSession;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.PhotoStore;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * A session's photos: the upload intake (checked, stored, its analysis queued), the listing, and the
 * image as served (re-encoded, never the stored original).
 */
public final class PhotoService {
    private final SessionService sessions;
    private final PatientRepository patients;
    private final PhotoRepository photos;
    private final AnalysisQueue queue;
    private final PhotoStore store;
    private final PhotoDecoder decoder;
    private final Runnable jobQueued;
    private final long maxPending;
    private final Clock clock;

    /**
     * @param jobQueued  called after an analysis is queued (wakes the workers)
     * @param maxPending queued + running analyses above which uploads are refused with 503
     */
    public PhotoService(SessionService sessions, PatientRepository patients, PhotoRepository photos, AnalysisQueue queue,
                        PhotoStore store, PhotoDecoder decoder, Runnable jobQueued, long maxPending, Clock clock) {
        this.sessions = sessions;
        this.patients = patients;
        this.photos = photos;
        this.queue = queue;
        this.store = store;
        this.decoder = decoder;
        this.jobQueued = jobQueued;
        this.maxPending = maxPending;
        this.clock = clock;
    }

    /** An uploaded photo and what the client said about it. */
    public record Upload(byte[] bytes, String areaId, PixelRect grayRef, String idempotencyKey) {
    }

    /** The stored photo and its analysis; {@code replayed} when an earlier upload with the same key is returned. */
    public record Uploaded(Photo photo, Analysis analysis, boolean replayed) {
    }

    /**
     * The session to upload to, once the caller may upload and the session is the caller's clinic's. The
     * API asks before it reads the body, so a refused caller does not get to stream a photo.
     */
    public TreatmentSession uploadTarget(Caller caller, String sessionId) {
        caller.require("upload photos", WRITERS);
        return sessions.session(caller, sessionId);
    }

    public Uploaded upload(Caller caller, String sessionId, Upload up) throws IOException {
        TreatmentSession session = uploadTarget(caller, sessionId);
        if (up.areaId() == null || up.areaId().isBlank()) {
            throw Failure.invalid("areaId", "areaId is required: the treatment area the photo shows");
        }
        Area area = patients.findArea(caller.clinicId(), up.areaId()).orElseThrow(() -> Failure.invalid("areaId",
                "No area " + up.areaId() + " in your clinic."));
        if (!area.patientId().equals(session.patientId())) {
            throw Failure.invalid("areaId", "Area " + area.id() + " belongs to another patient than session " + session.id() + ".");
        }
        if (area.mmPerPx() != null && Budgets.scaleProblem("mmPerPx", area.mmPerPx()).isPresent()) {
            // An area stored before the scale range existed: every analysis would fail, so take no photo.
            throw Failure.conflict("area-scale-invalid", "Area " + area.id() + " has the scale " + area.mmPerPx() + " mm per pixel, "
                    + "outside 0.002 to 0.2: no photo of it can be measured. Create the area again with the scale of its photos.");
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
        TreatmentSession s = sessions.session(caller, sessionId);
        return photos.listBySession(caller.clinicId(), s.id());
    }

    public Photo photo(Caller caller, String id) {
        caller.require("read photos", READERS);
        return found(photos.find(caller.clinicId(), id), "photo", id);
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
}
