package org.dermatrend.quality;

import java.util.Optional;
import java.util.OptionalDouble;
import org.dermatrend.calibrate.GrayCardCalibrator;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.ImageFormat;
import org.dermatrend.mask.ConfigSkinMask;
import org.dermatrend.mask.SkinMasker;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.PhotoPreparer;
import org.dermatrend.prepare.PreparedPhoto;
import org.dermatrend.synth.Phantom;
import org.dermatrend.synth.PhantomTruth;

/** Runs the preparation pipeline on rendered phantoms, for tests. */
public final class Phantoms {
    public static final PhotoPreparer PREPARER = new PhotoPreparer(new GrayCardCalibrator(),
            new SkinMasker(ConfigSkinMask.defaults()), new QualityGate(ConfigQuality.defaults()));

    private Phantoms() {
    }

    /** The photo as intake would hand it over (a JPEG keeps its bytes); the caller closes it. */
    public static DecodedPhoto photo(Phantom p) {
        return ".jpg".equals(p.extension()) ? DecodedPhoto.ofJpeg(p.bgr().clone(), p.encoded())
                : DecodedPhoto.ofUpright(p.bgr().clone(), ImageFormat.PNG);
    }

    /** Context from the truth: its scale and, when it has one, its grey card. */
    public static PhotoContext context(Phantom p, boolean useCard) {
        return context(p, useCard, p.truth().mmPerPx());
    }

    /** As {@link #context(Phantom, boolean)}, at a stated scale other than the truth's (a scale typed wrong). */
    public static PhotoContext context(Phantom p, boolean useCard, double mmPerPx) {
        PhantomTruth.GrayCard c = p.truth().grayCard();
        Optional<PixelRect> card = useCard && c != null ? Optional.of(new PixelRect(c.x(), c.y(), c.width(), c.height()))
                : Optional.empty();
        return new PhotoContext(OptionalDouble.of(mmPerPx), card, Optional.empty());
    }

    public static QualityReport quality(Phantom p) {
        try (DecodedPhoto photo = photo(p); PreparedPhoto prepared = PREPARER.prepare(photo, context(p, true))) {
            return prepared.quality();
        }
    }
}
