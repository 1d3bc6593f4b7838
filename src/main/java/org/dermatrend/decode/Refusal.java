package org.dermatrend.decode;

/**
 * Intake's answer for a photo it will not measure: a stable {@code code} and a message for a person
 * that says what was wrong and what to do about it.
 */
public record Refusal(RefusalCode code, String message) {
}
