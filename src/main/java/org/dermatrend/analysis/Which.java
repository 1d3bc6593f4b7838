package org.dermatrend.analysis;

/** Which photo of a request an outcome is about. */
public enum Which {
    /** The only photo of a score. */
    PHOTO,
    /** The baseline of a pair. */
    BASELINE,
    /** The follow-up of a pair. */
    FOLLOW_UP
}
