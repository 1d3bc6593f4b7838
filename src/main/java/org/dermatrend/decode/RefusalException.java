package org.dermatrend.decode;

/** Raised inside the decode package while parsing; {@link PhotoDecoder} turns it into a {@link Refusal} value. */
final class RefusalException extends Exception {
    private final transient Refusal refusal;

    RefusalException(RefusalCode code, String message) {
        super(message, null, false, false);
        this.refusal = new Refusal(code, message);
    }

    Refusal refusal() {
        return refusal;
    }

    static RefusalException corrupt(ImageFormat format, String what) {
        return new RefusalException(RefusalCode.CORRUPT_IMAGE,
                "The " + format.label() + " file is damaged: " + what + ". Export or copy the photo again from the camera or phone.");
    }

    static RefusalException truncated(ImageFormat format) {
        return new RefusalException(RefusalCode.CORRUPT_IMAGE,
                "The " + format.label() + " file ends before the image does (truncated, e.g. an interrupted upload or copy). Upload the complete file again.");
    }
}
