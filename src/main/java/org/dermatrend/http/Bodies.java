package org.dermatrend.http;

import java.time.LocalDate;

/** JSON request bodies; unknown fields are refused with 400 so a typo is never silently ignored. */
final class Bodies {
    private Bodies() {
    }

    record NewClinic(String name) {
    }

    record NewKey(String role, String label, Integer expiresInDays) {
    }

    record NewPatient(String reference) {
    }

    record NewArea(String name, int[] roi, Double mmPerPx) {
    }

    record Treatment(String device, Double needleDepthMm, Integer passes, String notes) {
    }

    record NewSession(LocalDate date, Treatment treatment) {
    }

    record NewLink(Integer expiresInHours) {
    }

    record PatientPatch(String reference) {
    }

    record AreaPatch(String name, int[] roi, Double mmPerPx) {
    }

    record SessionPatch(LocalDate date, Treatment treatment) {
    }

    record PhotoPatch(String sessionId, int[] grayRef) {
    }

    record NewWebhook(String url, java.util.List<String> events) {
    }

    record WebhookPatch(String url, java.util.List<String> events, Boolean enabled) {
    }
}
