package org.dermatrend.http;

import java.util.List;

/**
 * What the web app's templates (src/main/jte) are given: plain values already in words and units, so that a
 * template only lays them out. Public because the generated template classes live in another package.
 */
public final class WebViews {
    private WebViews() {
    }

    /**
     * The frame of every signed-in page.
     *
     * @param section which navigation entry is current: patients, staff, keys or account
     */
    public record Frame(String title, String staffName, String roleLabel, boolean admin, boolean writer, String csrf,
                        String section) {
    }

    public record SignIn(String email, String error, String next, String formToken) {
    }

    /** @param email the invited address, or null when the person gives theirs (the first admin's invitation) */
    public record Invitation(String token, String email, String typedEmail, String roleLabel, String clinicName, String name,
                             String error, int minPassword, String formToken) {
    }

    public record PatientRow(String id, String reference, String created) {
    }

    /** The patient list: one page of a search by reference. */
    public record Patients(Frame frame, String query, List<PatientRow> rows, long total, int page, int pages, String error,
                           String reference, String notice) {
        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return page < pages;
        }

        /** The search as a query-string value. */
        public String queryParam() {
            return java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public record AreaRow(String id, String name, String scale, int photos) {
    }

    public record SessionRow(String id, String date, String treatment, String notes) {
    }

    public record Patient(Frame frame, String id, String reference, List<AreaRow> areas, List<SessionRow> sessions, String error,
                          String today, String areaName, String mmPerPx) {
    }

    /**
     * One session on an area's timeline.
     *
     * @param state    none (no photo yet), queued, running, done or failed
     * @param headline the state in words ("Analysed", "Waiting in the queue", …)
     * @param detail   what went wrong, in the analysis' own words, or what the result says about quality
     * @param advice   what to do about it, or null
     */
    public record Entry(String sessionId, String date, String treatment, String photoId, String state, String headline,
                        String detail, String advice, List<String> warnings, boolean baseline, boolean usable, boolean grayCard) {
        public boolean hasPhoto() {
            return photoId != null;
        }
    }

    public record MetricRow(String label, String change, String mdc, String verdict, String why) {
    }

    public record LinkRow(String id, String created, String expires, String status) {
    }

    public record Timeline(Frame frame, String patientId, String patientReference, String areaId, String areaName, String scale,
                           List<Entry> entries, List<MetricRow> metrics, boolean pending, List<LinkRow> links, String newLink,
                           String error, String today, long maxUploadMb) {
        public boolean hasBaseline() {
            return entries.stream().anyMatch(Entry::hasPhoto);
        }
    }

    /**
     * Marking the grey card on a photo: the photo's upright size and the rectangle shown first (the one marked, the
     * one proposed, or a guess in the middle), in the photo's pixels.
     *
     * @param found how the rectangle came: marked, proposed or none
     */
    public record GrayCard(Frame frame, String photoId, String areaId, String areaName, String patientReference, String date,
                           int width, int height, int x, int y, int w, int h, String found, boolean uploaded, String error) {
    }

    /** Setting an area's scale from a line drawn over a ruler in its baseline photo (pixels of that photo). */
    public record Scale(Frame frame, String areaId, String areaName, String patientReference, String photoId, int width, int height,
                        int x1, int y1, int x2, int y2, String lengthMm, String current, String error) {
    }

    /** Guided capture: the camera with the area's baseline as a ghost (baselinePhotoId null: no baseline yet). */
    public record Capture(Frame frame, String areaId, String areaName, String patientReference, String baselinePhotoId, String today,
                          String tolerance, int baselineWidth, int baselineHeight) {
    }

    public record StaffRow(String id, String name, String email, String roleLabel, String status, boolean canDisable,
                           boolean canReinvite) {
    }

    public record StaffAdmin(Frame frame, List<StaffRow> staff, String invitationLink, String invitedEmail, String error) {
    }

    public record KeyRow(String id, String label, String roleLabel, String created, String lastUsed, String status, boolean active) {
    }

    public record KeyAdmin(Frame frame, List<KeyRow> keys, String newSecret, String newLabel, String error) {
    }

    public record Account(Frame frame, String email, String roleLabel, String error, String done, int minPassword) {
    }

    /** A page that says what went wrong and where to go. */
    public record Problem(Frame frame, int status, String heading, String message, String back, String backLabel) {
    }
}
