package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.WRITERS;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.dermatrend.align.PoseGuide;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.store.PhotoRepository;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Guided repeat capture: a camera frame sent by the web app's capture page, checked against the area's baseline
 * ({@link PoseGuide}) so the person can line the camera up before taking the photo.
 *
 * <p>Bounds: a frame is at most {@value #MAX_FRAME_BYTES} bytes and {@value #MAX_FRAME_PIXELS} pixels (the page sends
 * 640-pixel JPEGs of about 60 KB); at most {@value #AT_ONCE} frames are checked at once, the rest answered at once with
 * 503 (the page simply tries the next frame); the baselines' small copies are cached, at most 64 of them.
 */
public final class CaptureService {
    public static final int MAX_FRAME_BYTES = 1024 * 1024;
    static final long MAX_FRAME_PIXELS = 2_000_000;
    static final int AT_ONCE = 2;

    private final AreaService areas;
    private final PhotoService photos;
    private final PhotoRepository photoRows;
    private final PoseGuide guide = new PoseGuide();
    private final PhotoDecoder frames = new PhotoDecoder(new ConfigIntake(MAX_FRAME_PIXELS, MAX_FRAME_BYTES, 120));
    private final Semaphore slots = new Semaphore(AT_ONCE);
    /** The baseline's 480-pixel copy, as JPEG bytes, by photo id and content. */
    private final Cache<String, byte[]> baselines = Caffeine.newBuilder().maximumSize(64).expireAfterAccess(Duration.ofMinutes(30)).build();

    public CaptureService(AreaService areas, PhotoService photos, PhotoRepository photoRows) {
        this.areas = areas;
        this.photos = photos;
        this.photoRows = photoRows;
    }

    /** The area's baseline photo (its earliest session's), if it has one. */
    public Optional<Photo> baseline(Caller caller, String areaId) {
        Area area = areas.area(caller, areaId);
        return photoRows.listByArea(caller.clinicId(), area.id()).stream().findFirst().map(org.dermatrend.domain.Records.DatedPhoto::photo);
    }

    /** Guidance for one camera frame (JPEG or PNG bytes) against the area's baseline. */
    public PoseGuide.Guidance check(Caller caller, String areaId, byte[] frame) throws IOException {
        caller.require("take photos", WRITERS);
        Photo base = baseline(caller, areaId).orElseThrow(() -> Failure.conflict("no-baseline",
                "This area has no photo yet: take the first one without guidance; it becomes the baseline."));
        if (frame == null || frame.length == 0 || frame.length > MAX_FRAME_BYTES) {
            throw Failure.invalid("frame", "Send one camera frame as a JPEG of at most " + MAX_FRAME_BYTES / 1024 + " KB.");
        }
        if (!slots.tryAcquire()) {
            throw Failure.overloaded("Busy checking other frames; the next one will be checked.", 1);
        }
        try {
            byte[] small = baselines.getIfPresent(base.id() + "|" + base.sha256());
            if (small == null) {
                small = photos.sized(caller, base.id(), 480).bytes();
                baselines.put(base.id() + "|" + base.sha256(), small);
            }
            DecodeResult f = frames.decode(frame);
            if (f.isRefused()) {
                throw Failure.invalid("frame", "The frame could not be read: " + f.refusal().message());
            }
            try (DecodedPhoto live = f.photo(); org.dermatrend.cv.MatScope scope = new org.dermatrend.cv.MatScope()) {
                MatOfByte buf = scope.track(new MatOfByte(small));
                Mat baseBgr = scope.track(Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR));
                try (PoseGuide.Reference reference = PoseGuide.reference(baseBgr)) {
                    return guide.guide(reference, live.bgr());
                }
            }
        } finally {
            slots.release();
        }
    }
}
