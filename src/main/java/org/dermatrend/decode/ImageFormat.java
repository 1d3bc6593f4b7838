package org.dermatrend.decode;

/** The photo formats intake accepts, recognised by their first bytes, never by the file name. */
public enum ImageFormat {
    JPEG("JPEG"),
    PNG("PNG"),
    TIFF("TIFF"),
    WEBP("WebP");

    private final String label;

    ImageFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
