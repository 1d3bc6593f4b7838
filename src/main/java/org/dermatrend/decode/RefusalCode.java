package org.dermatrend.decode;

/** Why intake refused a photo. The {@link #code()} strings are part of the API and never change. */
public enum RefusalCode {
    /** Not one of JPEG, PNG, TIFF, WebP, or a variant of them we cannot measure (CMYK, animation, float samples). */
    UNSUPPORTED_FORMAT("unsupported_format"),
    /** More pixels or bytes than the configured limits. */
    IMAGE_TOO_LARGE("image_too_large"),
    /** Shorter side below the configured minimum: too few pixels to measure skin. */
    IMAGE_TOO_SMALL("image_too_small"),
    /** Empty, truncated or damaged data. */
    CORRUPT_IMAGE("corrupt_image");

    private final String code;

    RefusalCode(String code) {
        this.code = code;
    }

    /** The stable snake_case code, e.g. {@code image_too_large}. */
    public String code() {
        return code;
    }
}
