package org.dermatrend.decode;

import java.util.Objects;

/** Either a {@link DecodedPhoto} or the {@link Refusal} that says why there is none. */
public final class DecodeResult {
    private final DecodedPhoto photo;
    private final Refusal refusal;

    private DecodeResult(DecodedPhoto photo, Refusal refusal) {
        this.photo = photo;
        this.refusal = refusal;
    }

    static DecodeResult decoded(DecodedPhoto photo) {
        return new DecodeResult(Objects.requireNonNull(photo), null);
    }

    public static DecodeResult refused(Refusal refusal) {
        return new DecodeResult(null, Objects.requireNonNull(refusal));
    }

    public boolean isRefused() {
        return refusal != null;
    }

    /** The photo; the caller owns it and must close it. */
    public DecodedPhoto photo() {
        if (photo == null) {
            throw new IllegalStateException("photo was refused: " + refusal);
        }
        return photo;
    }

    public Refusal refusal() {
        if (refusal == null) {
            throw new IllegalStateException("photo was not refused");
        }
        return refusal;
    }
}
