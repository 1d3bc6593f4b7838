package org.dermatrend.prepare;

import org.dermatrend.calibrate.Calibration;
import org.dermatrend.calibrate.GrayCardCalibrator;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.mask.SkinMask;
import org.dermatrend.mask.SkinMasker;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.quality.QualityReport;
import java.util.Optional;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** Calibration, skin mask and quality gate, in that order, for one decoded photo. Thread-safe. */
public final class PhotoPreparer {
    private final GrayCardCalibrator calibrator;
    private final SkinMasker masker;
    private final QualityGate gate;

    public PhotoPreparer(GrayCardCalibrator calibrator, SkinMasker masker, QualityGate gate) {
        this.calibrator = calibrator;
        this.masker = masker;
        this.gate = gate;
    }

    /** @return the prepared photo; the caller owns it */
    public PreparedPhoto prepare(DecodedPhoto photo, PhotoContext context) {
        return prepare(photo, context, new StageTimer());
    }

    /** As {@link #prepare(DecodedPhoto, PhotoContext)}, recording stages calibrate, mask and quality. */
    public PreparedPhoto prepare(DecodedPhoto photo, PhotoContext context, StageTimer timer) {
        timer.restart();
        Calibration calibration = calibrator.calibrate(photo, context.grayRef());
        Mat linear = GrayCardCalibrator.toLinear(photo.bgr(), calibration);
        timer.lap("calibrate");
        Mat valid = null;
        try {
            // A shared region (two aligned photos) limits the mask like transparent pixels do.
            if (context.region().isPresent()) {
                valid = context.region().get().toMask(photo.height(), photo.width());
                if (photo.validMask().isPresent()) {
                    Core.bitwise_and(valid, photo.validMask().get(), valid);
                }
            }
            SkinMask mask = masker.compute(photo.bgr(), linear, context.grayRef(), context.roi(),
                    valid != null ? Optional.of(valid) : photo.validMask(), context.mmPerPx());
            timer.lap("mask");
            try {
                QualityReport quality = gate.assess(photo.bgr(), linear, mask, calibration, context.roi(),
                        valid != null ? Optional.of(valid) : photo.validMask(), context.mmPerPx(),
                        photo.greyscale());
                timer.lap("quality");
                return new PreparedPhoto(linear, mask, calibration, quality, context);
            } catch (RuntimeException e) {
                mask.close();
                throw e;
            }
        } catch (RuntimeException e) {
            linear.release();
            throw e;
        } finally {
            if (valid != null) {
                valid.release();
            }
        }
    }
}
