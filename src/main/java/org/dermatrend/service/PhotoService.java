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
import org.dermatrend.decode.MetadataStripper;
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
import org.dermatrend.store.RecordEdits;
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
    private final RecordEdits edits;
    private final Reanalysis reanalysis;
    private final Erasures erasures;
    private final PhotoDecoder decoder;
    private final Runnable jobQueued;
    private final long maxPending;
    private final Clock clock;

    /**
     * @param jobQueued  called after an analysis is queued (wakes the workers)
     * @param maxPending queued + running analyses above which uploads are refused with 503
     */
    public PhotoService(SessionService sessions, RecordStores stores, Erasures erasures, PhotoDecoder decoder, Runnable jobQueued,
                        long maxPending, Clock clock) {
        this.sessions = sessions;
        this.patients = stores.patients();
        this.photos = stores.photos();
        this.queue = stores.queue();
        this.store = stores.store();
        this.edits = stores.edits();
        this.reanalysis = new Reanalysis(photos, queue);
        this.erasures = erasures;
        this.decoder = decoder;
        this.jobQueued = jobQueued;
        this.maxPending = maxPending;
        this.clock = clock;
    }

    /**
     * An uploaded photo and what the client said about it.
     *
     * @param replace whether it replaces the photo the session already has of the area (otherwise that is a 409)
     */
    public record Upload(byte[] bytes, String areaId, PixelRect grayRef, String idempotencyKey, boolean replace) {
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
                    + "outside 0.002 to 0.2: no photo of it can be measured. Correct it first (PATCH /v1/areas/" + area.id()
                    + " with the scale of its photos in mmPerPx); its analyses are then redone.");
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
        Optional<Photo> occupant = photos.findInSlot(caller.clinicId(), session.id(), area.id());
        if (occupant.isPresent() && !up.replace()) {
            throw slotTaken(session.id(), area.id(), occupant.get().id());
        }
        long pending = queue.countPending();
        if (pending >= maxPending) {
            throw Failure.overloaded("The analysis queue is full (" + pending + " photos waiting); upload this photo again "
                    + "later. Nothing was stored.", 30);
        }
        // Stored without metadata (GPS, serials, times, XMP, comments, thumbnails); the pixels and the orientation
        // are unchanged (a TIFF becomes a lossless PNG of the same pixels).
        MetadataStripper.Stripped clean;
        try {
            clean = MetadataStripper.strip(up.bytes());
        } catch (IllegalArgumentException e) {
            throw Failure.unprocessable("image-refused", e.getMessage() + " Nothing was stored.");
        }
        if (clean.bytes().length > decoder.config().maxBytes()) {
            throw Failure.tooLarge("Without its metadata the photo is re-encoded losslessly as PNG (" + clean.bytes().length
                    + " bytes), over the " + decoder.config().maxBytes() + "-byte limit. Upload it as JPEG or PNG. Nothing was stored.");
        }
        byte[] stored = clean.bytes();
        String storedSha = PhotoStore.sha256(stored);
        Photo photo = new Photo(UUID.randomUUID().toString(), caller.clinicId(), session.id(), area.id(), storedSha, stored.length,
                clean.format().label().toLowerCase(java.util.Locale.ROOT), width, height, up.grayRef(),
                up.idempotencyKey(), up.idempotencyKey() == null ? null : requestHash, clock.instant());
        Analysis analysis = new Analysis(UUID.randomUUID().toString(), caller.clinicId(), photo.id(), AnalysisState.QUEUED, 0,
                null, null, clock.instant(), null, null, null, null, null, null);
        // A photo dated before the area's baseline, or replacing it, moves the baseline: the analyses it makes stale go again.
        List<RecordEdits.Redo> redo = reanalysis.plan(caller.clinicId(), area.id(), items -> {
            List<Reanalysis.Item> after = new java.util.ArrayList<>(items);
            occupant.ifPresent(o -> after.removeIf(i -> i.photoId().equals(o.id())));
            after.add(Reanalysis.of(photo, session.date()));
            return after;
        }, java.util.Map.of());
        RecordEdits.Inserted inserted = edits.insertPhoto(photo, analysis, stored, occupant, redo, clock.instant());
        if (inserted == RecordEdits.Inserted.KEY_TAKEN) {
            // A concurrent upload with the same key won the race.
            return replay(caller, up.idempotencyKey(), requestHash).orElseThrow();
        }
        if (inserted == RecordEdits.Inserted.SLOT_TAKEN) {
            // A concurrent upload to the same session and area won the race.
            throw slotTaken(session.id(), area.id(), photos.findInSlot(caller.clinicId(), session.id(), area.id()).map(Photo::id)
                    .orElse("(since erased)"));
        }
        occupant.ifPresent(o -> erasures.after(new RecordEdits.Erased(List.of(o.id()), List.of(), List.of(area.id()), 0)));
        jobQueued.run();
        return new Uploaded(photo, analysis, false);
    }

    private static Failure slotTaken(String sessionId, String areaId, String photoId) {
        return Failure.conflict("photo-exists", "Session " + sessionId + " already has a photo of area " + areaId + " (photo "
                + photoId + "). Send replace=true with the upload to replace it (its analysis goes too), or DELETE /v1/photos/"
                + photoId + " first.").with("existingPhotoId", photoId);
    }

    /** A correction of a photo: another session of the same patient, or another grey-card rectangle. */
    public record PhotoChange(Change<String> sessionId, Change<PixelRect> grayRef) {
    }

    /**
     * Moves a photo to another session of its patient (say, uploaded to the wrong visit) or corrects its
     * grey-card rectangle. A new grey card queues the photo's analysis again; either change queues the
     * analyses whose baseline it may move (see {@link Reanalysis}).
     */
    public Photo updatePhoto(Caller caller, String id, PhotoChange change) {
        caller.require("correct photos", WRITERS);
        Photo p = photo(caller, id);
        if (change.sessionId().present() && change.sessionId().value() == null) {
            throw Failure.invalid("sessionId", "sessionId cannot be removed: a photo belongs to a session");
        }
        TreatmentSession target = sessions.session(caller, change.sessionId().or(p.sessionId()));
        Area area = patients.findArea(caller.clinicId(), p.areaId()).orElseThrow();
        if (!target.patientId().equals(area.patientId())) {
            throw Failure.invalid("sessionId", "Session " + target.id() + " belongs to another patient than photo " + p.id() + ".");
        }
        PixelRect gray = change.grayRef().or(p.grayRef());
        if (gray != null && !gray.fitsIn(p.width(), p.height())) {
            throw Failure.invalid("grayRef", "grayRef " + gray + " does not lie inside the photo (" + p.width() + "x" + p.height()
                    + " px, upright)");
        }
        if (!target.id().equals(p.sessionId())) {
            Optional<Photo> occupant = photos.findInSlot(caller.clinicId(), target.id(), area.id());
            if (occupant.isPresent()) {
                throw slotTaken(target.id(), area.id(), occupant.get().id());
            }
        }
        Photo updated = new Photo(p.id(), p.clinicId(), target.id(), p.areaId(), p.sha256(), p.byteSize(), p.format(), p.width(),
                p.height(), gray, p.idempotencyKey(), p.requestHash(), p.createdAt());
        java.util.Map<String, String> own = change.grayRef().changes(p.grayRef()) ? java.util.Map.of(p.id(), "gray_ref_changed")
                : java.util.Map.of();
        List<RecordEdits.Redo> redo = reanalysis.plan(caller.clinicId(), area.id(), items -> items.stream()
                .map(i -> i.photoId().equals(p.id()) ? Reanalysis.redated(i, target.date()) : i).toList(), own);
        if (!edits.updatePhoto(updated, redo, clock.instant())) {
            throw slotTaken(target.id(), area.id(), photos.findInSlot(caller.clinicId(), target.id(), area.id()).map(Photo::id)
                    .orElse("(since erased)"));
        }
        if (!redo.isEmpty()) {
            jobQueued.run();
        }
        return updated;
    }

    /**
     * Erases a photo: its record, its analyses and (unless another of the clinic's photos has the same
     * bytes) its bytes; the analyses whose baseline that moves are queued again. Admins and clinicians.
     */
    public RecordEdits.Erased deletePhoto(Caller caller, String id) {
        caller.require("erase photos", WRITERS);
        Photo p = photo(caller, id);
        List<RecordEdits.Redo> redo = reanalysis.plan(caller.clinicId(), p.areaId(), items -> items.stream()
                .filter(i -> !i.photoId().equals(p.id())).toList(), java.util.Map.of());
        RecordEdits.Erased erased = erasures.after(edits.deletePhotos(caller.clinicId(), List.of(p.id()), redo, clock.instant()));
        if (!redo.isEmpty()) {
            jobQueued.run();
        }
        return erased;
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

    /** The media type {@link #photoImage} serves the photo in: JPEG for a JPEG, PNG otherwise. */
    public static String servedMediaType(Photo p) {
        return "jpeg".equals(p.format()) ? "image/jpeg" : "image/png";
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
        DecodedPhoto decoded = decodeStoredNow(p);
        boolean jpeg = decoded.header().format() == ImageFormat.JPEG;
        MatOfByte out = new MatOfByte();
        MatOfInt params = jpeg ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 95) : new MatOfInt();
        try (DecodedPhoto d = decoded) {
            if (!Imgcodecs.imencode(jpeg ? ".jpg" : ".png", d.bgr(), out, params)) {
                throw new IOException("could not encode photo " + p.id());
            }
            return new Image(out.toArray(), jpeg ? "image/jpeg" : "image/png");
        } finally {
            out.release();
            params.release();
        }
    }
    /** Small copies kept in memory (at most 48 MB), so a timeline that polls does not decode its photos again. */
    private final com.github.benmanes.caffeine.cache.Cache<String, byte[]> resized = com.github.benmanes.caffeine.cache.Caffeine
            .newBuilder().maximumWeight(48L * 1024 * 1024).weigher((String k, byte[] v) -> v.length)
            .expireAfterAccess(java.time.Duration.ofMinutes(10)).build();
    private final org.dermatrend.calibrate.GrayCardFinder cards = new org.dermatrend.calibrate.GrayCardFinder();
    /** Grey-card proposals by photo id and content (a page reloaded does not decode again). */
    private final com.github.benmanes.caffeine.cache.Cache<String, Optional<PixelRect>> proposals = com.github.benmanes.caffeine.cache
            .Caffeine.newBuilder().maximumSize(1000).expireAfterAccess(java.time.Duration.ofMinutes(30)).build();
    /**
     * Full decodes for the pages (thumbnails, previews, proposals) at once: each holds a whole photo in native memory (up to
     * 150 MB at the intake's pixel limit), so at most two run; the rest wait up to 10 s, then get 503.
     */
    private final java.util.concurrent.Semaphore pageDecodes = new java.util.concurrent.Semaphore(2);

    /** The longest side of a thumbnail, in pixels. */
    public static final int THUMBNAIL_SIDE = 320;
    /** The longest side of the copy a person marks the grey card or a ruler on, in pixels. */
    public static final int PREVIEW_SIDE = 1200;

    /**
     * The photo as a JPEG at most {@link #THUMBNAIL_SIDE} pixels on its longer side, upright, without metadata (for the
     * web app's timeline). The caller's access is checked on every call; only the pixels are cached.
     */
    public Image thumbnail(Caller caller, String id) throws IOException {
        return resized(caller, id, THUMBNAIL_SIDE);
    }

    /** As {@link #thumbnail}, at most {@link #PREVIEW_SIDE} pixels on its longer side (for marking on it). */
    public Image preview(Caller caller, String id) throws IOException {
        return resized(caller, id, PREVIEW_SIDE);
    }

    /** The photo as a JPEG at most {@code side} pixels on its longer side (cached like the thumbnails). */
    public Image sized(Caller caller, String id, int side) throws IOException {
        return resized(caller, id, side);
    }

    private Image resized(Caller caller, String id, int side) throws IOException {
        Photo p = photo(caller, id);
        String key = p.id() + "|" + p.sha256() + "|" + side;
        byte[] cached = resized.getIfPresent(key);
        if (cached != null) {
            return new Image(cached, "image/jpeg");
        }
        DecodedPhoto decoded = decodeStored(p);
        try (DecodedPhoto d = decoded) {
            MatOfByte out = new MatOfByte();
            MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85);
            org.opencv.core.Mat small = new org.opencv.core.Mat();
            try {
                double scale = Math.min(1.0, side / (double) Math.max(d.width(), d.height()));
                org.opencv.imgproc.Imgproc.resize(d.bgr(), small, new org.opencv.core.Size(Math.max(1, Math.round(d.width() * scale)),
                        Math.max(1, Math.round(d.height() * scale))), 0, 0, org.opencv.imgproc.Imgproc.INTER_AREA);
                if (!Imgcodecs.imencode(".jpg", small, out, params)) {
                    throw new IOException("could not encode a small copy of photo " + p.id());
                }
                byte[] bytes = out.toArray();
                resized.put(key, bytes);
                return new Image(bytes, "image/jpeg");
            } finally {
                small.release();
                out.release();
                params.release();
            }
        } finally {
            pageDecodes.release();
        }
    }

    /**
     * Where the grey card seems to be in the photo ({@link org.dermatrend.calibrate.GrayCardFinder}), in upright pixels,
     * for a person to confirm or move; empty when nothing looks like one. Proposes only: nothing is changed.
     */
    public Optional<PixelRect> proposeGrayCard(Caller caller, String id) throws IOException {
        Photo p = photo(caller, id);
        String key = p.id() + "|" + p.sha256();
        Optional<PixelRect> known = proposals.getIfPresent(key);
        if (known != null) {
            return known;
        }
        try (DecodedPhoto d = decodeStored(p)) {
            Optional<PixelRect> found = cards.find(d).map(org.dermatrend.calibrate.GrayCardFinder.Proposal::rect);
            proposals.put(key, found);
            return found;
        } finally {
            pageDecodes.release();
        }
    }

    /** Decodes a stored photo holding one of {@link #pageDecodes}; the caller releases it. */
    private DecodedPhoto decodeStored(Photo p) throws IOException {
        try {
            if (!pageDecodes.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw Failure.overloaded("Busy preparing other photos; reload the page in a few seconds.", 3);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.overloaded("The server is stopping; try again in a moment.", 5);
        }
        try {
            return decodeStoredNow(p);
        } catch (IOException | RuntimeException e) {
            pageDecodes.release();
            throw e;
        }
    }

    /** Decodes a stored photo (its bytes from the store, refused ones as 422). */
    private DecodedPhoto decodeStoredNow(Photo p) throws IOException {
        byte[] original = store.get(p.clinicId(), p.sha256()).orElseThrow(() -> new IOException("photo " + p.id() + " has no bytes in the store"));
        DecodeResult r = decoder.decode(original);
        if (r.isRefused()) {
            throw Failure.unprocessable("image-refused", "The stored photo cannot be decoded: " + r.refusal().message());
        }
        return r.photo();
    }
}
