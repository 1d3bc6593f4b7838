package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.WRITERS;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.dermatrend.align.PoseGuide;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Photo;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Guided repeat capture: a camera frame sent by the web app's capture page, checked against the area's baseline
 * ({@link PoseGuide}) so the person can line the camera up before taking the photo.
 *
 * <p>Bounds: a frame is at most {@value #MAX_FRAME_BYTES} bytes and {@value #MAX_FRAME_PIXELS} pixels (the page sends
 * 640-pixel JPEGs of about 60 KB); at most {@value #AT_ONCE} frames are checked at once, the rest answered at once with
 * 503 (the page simply tries the next frame); the baselines' small copies come from the photo service's cache.
 */
public final class CaptureService {
    public static final int MAX_FRAME_BYTES = 1024 * 1024;
    static final long MAX_FRAME_PIXELS = 2_000_000;
    static final int AT_ONCE = 2;

    private final AreaService areas;
    private final PhotoService photos;
    private final PoseGuide guide = new PoseGuide();
    private final PhotoDecoder frames = new PhotoDecoder(new ConfigIntake(MAX_FRAME_PIXELS, MAX_FRAME_BYTES, 120));
    private final Semaphore slots = new Semaphore(AT_ONCE);

    public CaptureService(AreaService areas, PhotoService photos) {
        this.areas = areas;
        this.photos = photos;
    }

    /**
     * Guidance for one camera frame (JPEG or PNG bytes) against the area's baseline photo, which the capture page names
     * (it chose it when it opened: the trend's baseline).
     */
    public PoseGuide.Guidance check(Caller caller, String areaId, String baselinePhotoId, byte[] frame) throws IOException {
        caller.require("take photos", WRITERS);
        Area area = areas.area(caller, areaId);
        if (baselinePhotoId == null || baselinePhotoId.isBlank()) {
            throw Failure.conflict("no-baseline", "This area has no photo yet: take the first one without guidance; it becomes the "
                    + "baseline.");
        }
        Photo base = photos.photo(caller, baselinePhotoId);
        if (!base.areaId().equals(area.id())) {
            throw Failure.invalid("baseline", "Photo " + base.id() + " is not of this area; reload the capture page.");
        }
        if (frame == null || frame.length == 0 || frame.length > MAX_FRAME_BYTES) {
            throw Failure.invalid("frame", "Send one camera frame as a JPEG of at most " + MAX_FRAME_BYTES / 1024 + " KB.");
        }
        if (!slots.tryAcquire()) {
            throw Failure.overloaded("Busy checking other frames; the next one will be checked.", 1);
        }
        try {
            byte[] small = photos.sized(caller, base.id(), PoseGuide.WORK_SIDE).bytes(); // cached by the photo service
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
