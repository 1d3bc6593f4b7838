package org.dermatrend.wire;

/** A refused photo: the stable code and a message saying what to do. */
public record ErrorInfo(String code, String message) {
}
