package org.dermatrend.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.ApiKey;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.domain.Records.Staff;
import org.dermatrend.domain.Records.TreatmentSession;
import org.dermatrend.domain.Role;
import org.dermatrend.service.AccessService;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.service.Caller;
import org.dermatrend.service.Change;
import org.dermatrend.service.Failure;
import org.dermatrend.service.PhotoService;
import org.dermatrend.service.RecordServices;
import org.dermatrend.service.ReportService;
import org.dermatrend.service.SessionService;
import org.dermatrend.service.StaffService;
import org.dermatrend.store.LinkRepository;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.wire.TrendInfo;

/**
 * The clinic's web app: server-rendered pages (JTE templates in src/main/jte, compiled at build time) over the same
 * services as the API, for people signed in with a staff account.
 *
 * <p>A sign-in is a cookie ({@value #COOKIE}: HttpOnly, SameSite=Strict, Secure when the service is reached over
 * https) holding a random token the database knows only by its hash. Every form that changes something carries the
 * sign-in's CSRF token, and a POST whose Origin is another site's is refused; the sign-in form itself carries a
 * token paired with a short-lived cookie. Pages name ids, never patient data, in the logs and the metrics (the
 * audit log names the records they show, as for the API).
 */
final class WebPages {
    static final String COOKIE = "dt_session";
    static final String FORM_COOKIE = "dt_form";
    /** Set on a request handled by a page, so that failures are answered with a page too. */
    static final String WEB = "dermatrend.web";
    /** The sign-in a page's request carried, once known (failure pages show the frame without looking it up again). */
    private static final String SESSION = "dermatrend.web.session";
    /**
     * The pages' Content-Security-Policy: only our own scripts and styles (none inline), images from us and from
     * the camera (blob:), forms posted only to us.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final int PAGE_SIZE = 25;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** A page's work once the sign-in is known. */
    @FunctionalInterface
    interface PageHandler {
        void handle(Context ctx, StaffService.Session session) throws Exception;
    }

    private final StaffService staff;
    private final org.dermatrend.service.CaptureService capture;
    private final RecordServices records;
    private final ReportService reports;
    private final AccessService access;
    private final Requests requests;
    private final RateLimits limits;
    private final Audit audit;
    private final String publicUrl;
    private final long maxUploadBytes;
    private final Clock clock;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final SecureRandom random = new SecureRandom();

    WebPages(StaffService staff, RecordServices records, ReportService reports, AccessService access,
             org.dermatrend.service.CaptureService capture, Requests requests, RateLimits limits, Audit audit, String publicUrl,
             long maxUploadBytes, Clock clock) {
        this.capture = capture;
        this.staff = staff;
        this.records = records;
        this.reports = reports;
        this.access = access;
        this.requests = requests;
        this.limits = limits;
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.maxUploadBytes = maxUploadBytes;
        this.clock = clock;
    }

    void routes(RoutesConfig r) {
        r.get("/", ctx -> {
            page(ctx);
            ctx.redirect(staff.session(ctx.cookie(COOKIE)).isPresent() ? "/patients" : "/sign-in", HttpStatus.SEE_OTHER);
        });
        r.get("/favicon.ico", ctx -> ctx.redirect("/static/favicon.svg", HttpStatus.MOVED_PERMANENTLY));
        r.get("/sign-in", ctx -> signInPage(ctx, "", null, nextPath(ctx.queryParam("next")), HttpStatus.OK));
        r.post("/sign-in", this::signIn);
        r.post("/sign-out", signedIn((ctx, s) -> {
            staff.signOut(ctx.cookie(COOKIE));
            ctx.cookie(cookie(ctx, COOKIE, "", 0));
            ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
        }));
        r.get("/invitations/{token}", ctx -> invitationPage(ctx, ctx.pathParam("token"), "", "", null));
        r.post("/invitations/{token}", this::acceptInvitation);

        r.get("/patients", signedIn(this::patients));
        r.post("/patients", signedIn(this::createPatient));
        r.get("/patients/{patientId}", signedIn((ctx, s) -> patientPage(ctx, s, ctx.pathParam("patientId"), null, "", "")));
        r.post("/patients/{patientId}/areas", signedIn(this::createArea));
        r.post("/patients/{patientId}/erase", signedIn((ctx, s) -> {
            records.patients().deletePatient(s.caller(), ctx.pathParam("patientId"));
            ctx.redirect("/patients?erased=1", HttpStatus.SEE_OTHER);
        }));
        r.post("/photos/{photoId}/erase", signedIn((ctx, s) -> {
            Photo p = records.photos().photo(s.caller(), ctx.pathParam("photoId"));
            records.photos().deletePhoto(s.caller(), p.id());
            ctx.redirect("/areas/" + p.areaId(), HttpStatus.SEE_OTHER);
        }));
        r.post("/patients/{patientId}/sessions", signedIn(this::createSession));
        r.get("/areas/{areaId}", signedIn((ctx, s) -> render(ctx, "area.jte", timeline(s, ctx.pathParam("areaId"), null, null))));
        r.get("/areas/{areaId}/timeline", signedIn((ctx, s) -> render(ctx, "timeline.jte",
                timeline(s, ctx.pathParam("areaId"), null, null))));
        r.post("/areas/{areaId}/sessions", signedInUpload(this::createSessionWithPhoto));
        r.post("/sessions/{sessionId}/photos", signedInUpload(this::uploadPhoto));
        r.get("/photos/{photoId}/thumbnail", signedIn((ctx, s) -> {
            PhotoService.Image image = records.photos().thumbnail(s.caller(), ctx.pathParam("photoId"));
            ctx.header("Cache-Control", "private, no-store").contentType(image.mediaType()).result(image.bytes());
        }));
        r.get("/photos/{photoId}/preview", signedIn((ctx, s) -> {
            PhotoService.Image image = records.photos().preview(s.caller(), ctx.pathParam("photoId"));
            ctx.header("Cache-Control", "private, no-store").contentType(image.mediaType()).result(image.bytes());
        }));
        r.get("/photos/{photoId}/gray-card", signedIn((ctx, s) -> grayCardPage(ctx, s, ctx.pathParam("photoId"), null,
                "1".equals(ctx.queryParam("uploaded")), null)));
        r.post("/photos/{photoId}/gray-card", signedIn(this::setGrayCard));
        r.get("/areas/{areaId}/scale", signedIn((ctx, s) -> scalePage(ctx, s, ctx.pathParam("areaId"), null, null)));
        r.post("/areas/{areaId}/scale", signedIn(this::setScale));
        r.get("/areas/{areaId}/capture", signedIn(this::capturePage));
        r.post("/areas/{areaId}/capture/check", signedIn(this::checkFrame));
        r.get("/areas/{areaId}/report", signedIn(this::report));
        r.post("/areas/{areaId}/share", signedIn(this::share));
        r.post("/report-links/{linkId}/revoke", signedIn((ctx, s) -> {
            LinkRepository.Link link = reports.revokeLink(s.caller(), ctx.pathParam("linkId"));
            ctx.redirect("/areas/" + link.areaId(), HttpStatus.SEE_OTHER);
        }));

        r.get("/admin/staff", signedIn((ctx, s) -> staffPage(ctx, s, null, null)));
        r.post("/admin/staff", signedIn(this::invite));
        r.post("/admin/staff/{staffId}/reinvite", signedIn((ctx, s) -> {
            StaffService.Invitation inv = staff.reinvite(s.caller(), ctx.pathParam("staffId"));
            staffPage(ctx, s, inv, null);
        }));
        r.post("/admin/staff/{staffId}/disable", signedIn((ctx, s) -> {
            try {
                staff.disable(s.caller(), ctx.pathParam("staffId"));
            } catch (Failure f) {
                staffPage(ctx.status(Problems.status(f.kind())), s, null, f.getMessage());
                return;
            }
            ctx.redirect("/admin/staff", HttpStatus.SEE_OTHER);
        }));
        r.get("/admin/keys", signedIn((ctx, s) -> keysPage(ctx, s, null, null, null)));
        r.post("/admin/keys", signedIn(this::createKey));
        r.post("/admin/keys/{keyId}/revoke", signedIn((ctx, s) -> {
            try {
                access.revokeKey(s.caller(), ctx.pathParam("keyId"));
            } catch (Failure f) {
                keysPage(ctx.status(Problems.status(f.kind())), s, null, null, f.getMessage());
                return;
            }
            ctx.redirect("/admin/keys", HttpStatus.SEE_OTHER);
        }));
        r.get("/account", signedIn((ctx, s) -> accountPage(ctx, s, null, null)));
        r.post("/account/password", signedIn((ctx, s) -> {
            try {
                staff.changePassword(s, ctx.formParam("current"), ctx.formParam("password"));
            } catch (Failure f) {
                accountPage(ctx.status(Problems.status(f.kind())), s, f.getMessage(), null);
                return;
            }
            accountPage(ctx, s, null, "Your password is changed; your other devices are signed out.");
        }));
    }

    // --- signing in ---

    private void signInPage(Context ctx, String email, String error, String next, HttpStatus status) {
        page(ctx);
        String formToken = token();
        ctx.cookie(cookie(ctx, FORM_COOKIE, formToken, 3600));
        ctx.status(status);
        render(ctx, "signin.jte", new WebViews.SignIn(email, error, next, formToken));
    }

    private void signIn(Context ctx) {
        page(ctx);
        checkOrigin(ctx);
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
        String next = nextPath(ctx.formParam("next"));
        if (!equal(ctx.cookie(FORM_COOKIE), ctx.formParam("_form"))) {
            signInPage(ctx, email, "The sign-in form had expired; please sign in again.", next, HttpStatus.FORBIDDEN);
            return;
        }
        limits.checkAuthFailures(ctx.ip());
        StaffService.SignIn signIn;
        try {
            signIn = staff.signIn(email, ctx.formParam("password"));
        } catch (Failure f) {
            if (Problems.status(f.kind()) == 401) {
                limits.authFailed(ctx.ip());
            }
            signInPage(ctx, email, f.getMessage(), next, HttpStatus.forStatus(Problems.status(f.kind())));
            return;
        }
        ctx.cookie(cookie(ctx, FORM_COOKIE, "", 0));
        ctx.cookie(cookie(ctx, COOKIE, signIn.token(), -1));
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private void invitationPage(Context ctx, String token, String email, String name, String error) {
        page(ctx);
        Optional<Staff> invited = staff.invitation(token);
        if (invited.isEmpty()) {
            problem(ctx, null, 404, "This invitation link does not work", "It has been used, has expired or was withdrawn. Ask your "
                    + "clinic's admin for a new one.", "/sign-in", "Go to sign-in");
            return;
        }
        Staff s = invited.get();
        String clinic = access.clinic(new Caller(s.clinicId(), null, s.role(), false)).name();
        String formToken = token();
        ctx.cookie(cookie(ctx, FORM_COOKIE, formToken, 3600));
        render(ctx, "invitation.jte", new WebViews.Invitation(token, StaffService.placeholder(s) ? null : s.email(), email,
                s.role().label(), clinic, name, error, StaffService.MIN_PASSWORD, formToken));
    }

    private void acceptInvitation(Context ctx) {
        page(ctx);
        checkOrigin(ctx);
        String token = ctx.pathParam("token");
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
        if (!equal(ctx.cookie(FORM_COOKIE), ctx.formParam("_form"))) {
            ctx.status(403);
            invitationPage(ctx, token, email, name, "The form had expired; please send it again.");
            return;
        }
        Staff accepted;
        try {
            accepted = staff.accept(token, email, name, ctx.formParam("password"));
        } catch (Failure f) {
            ctx.status(Problems.status(f.kind()));
            invitationPage(ctx, token, email, name, f.getMessage());
            return;
        }
        StaffService.SignIn signIn = staff.signIn(accepted.email(), ctx.formParam("password"));
        ctx.cookie(cookie(ctx, FORM_COOKIE, "", 0));
        ctx.cookie(cookie(ctx, COOKIE, signIn.token(), -1));
        ctx.redirect("/patients", HttpStatus.SEE_OTHER);
    }

    /** Wraps a page that needs a sign-in: without one, the browser goes to the sign-in page and comes back after. */
    private io.javalin.http.Handler signedIn(PageHandler handler) {
        return signedIn(handler, false);
    }

    /**
     * As {@link #signedIn(PageHandler)} for the two photo uploads, whose multipart body carries the CSRF token: the handler
     * checks it once the body is read ({@link #requireCsrf}). Every other route refuses a multipart body.
     */
    private io.javalin.http.Handler signedInUpload(PageHandler handler) {
        return signedIn(handler, true);
    }

    private io.javalin.http.Handler signedIn(PageHandler handler, boolean multipartChecksItsOwnToken) {
        return ctx -> {
            page(ctx);
            Optional<StaffService.Session> session = staff.session(ctx.cookie(COOKIE));
            if (session.isEmpty()) {
                notSignedIn(ctx);
                return;
            }
            StaffService.Session s = session.get();
            ctx.attribute(SESSION, s);
            limits.keyRequest("staff:" + s.staff().id());
            ctx.attribute(ApiServer.CALLER, s.caller());
            audit.resolve(ctx, s.caller());
            if (ctx.method() == io.javalin.http.HandlerType.POST) {
                checkOrigin(ctx);
                if (isMultipart(ctx)) {
                    if (!multipartChecksItsOwnToken) {
                        throw Failure.forbidden("This form cannot be sent this way. Go back, reload the page and send it again.");
                    }
                } else {
                    String header = ctx.header("X-CSRF-Token");
                    requireCsrf(s, header != null ? header : ctx.formParam("_csrf"));
                }
            }
            handler.handle(ctx, s);
        };
    }

    /**
     * Without a sign-in: a page goes to the sign-in and comes back after; an htmx request is told to go there (back to the
     * page it was on, not to its fragment); a script's fetch gets 401, so that it can say so instead of following a
     * redirect to a page it cannot use (and losing, say, the photo it sent).
     */
    private static void notSignedIn(Context ctx) {
        boolean get = ctx.method() == io.javalin.http.HandlerType.GET;
        if (ctx.header("HX-Request") != null) {
            String current = ctx.header("HX-Current-URL");
            String path;
            try {
                path = current == null ? null : java.net.URI.create(current).getRawPath();
            } catch (IllegalArgumentException e) {
                path = null;
            }
            ctx.header("HX-Redirect", "/sign-in?next=" + encode(nextPath(path))).status(401);
            return;
        }
        String mode = ctx.header("Sec-Fetch-Mode");
        if (mode != null && !mode.equals("navigate")) {
            ctx.status(401).contentType("text/plain; charset=utf-8").result("Your sign-in has ended: sign in again, then retry.");
            return;
        }
        String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        ctx.redirect("/sign-in" + (get ? "?next=" + encode(here) : ""), HttpStatus.SEE_OTHER);
    }

    // --- patients ---

    private void patients(Context ctx, StaffService.Session s) {
        listPatients(ctx, s, null, "");
    }

    private void listPatients(Context ctx, StaffService.Session s, String error, String reference) {
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        int page = Requests.intQuery(ctx, "page", 1, 1, 1_000_000);
        PatientRepository.PatientPage found = records.patients().searchPatients(s.caller(), q, PAGE_SIZE, (page - 1) * PAGE_SIZE);
        int pages = (int) Math.max(1, (found.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        List<WebViews.PatientRow> rows = found.items().stream()
                .map(p -> new WebViews.PatientRow(p.id(), p.reference(), day(p.createdAt()))).toList();
        render(ctx, "patients.jte", new WebViews.Patients(frame(s, "Patients", "patients"), q, rows, found.total(), page, pages, error,
                reference, "1".equals(ctx.queryParam("erased")) ? "The patient and all their photos, analyses and share links are erased."
                : null));
    }

    private void createPatient(Context ctx, StaffService.Session s) {
        String reference = Optional.ofNullable(ctx.formParam("reference")).orElse("").strip();
        Patient p;
        try {
            p = records.patients().createPatient(s.caller(), reference);
        } catch (Failure f) {
            ctx.status(Problems.status(f.kind()));
            listPatients(ctx, s, f.getMessage(), reference);
            return;
        }
        Audit.subject(ctx, "patient", p.id(), p.id());
        ctx.redirect("/patients/" + p.id(), HttpStatus.SEE_OTHER);
    }

    private void patientPage(Context ctx, StaffService.Session s, String patientId, String error, String areaName, String mmPerPx) {
        Caller c = s.caller();
        Patient p = records.patients().patient(c, patientId);
        List<WebViews.AreaRow> areas = new ArrayList<>();
        List<TreatmentSession> sessions = sorted(records.sessions().listSessions(c, p.id()));
        Map<String, Integer> photos = new HashMap<>();
        for (TreatmentSession ts : sessions) {
            records.photos().listPhotos(c, ts.id()).forEach(ph -> photos.merge(ph.areaId(), 1, Integer::sum));
        }
        for (Area a : records.areas().listAreas(c, p.id())) {
            areas.add(new WebViews.AreaRow(a.id(), a.name(), scale(a), photos.getOrDefault(a.id(), 0)));
        }
        List<WebViews.SessionRow> rows = sessions.stream().map(ts -> new WebViews.SessionRow(ts.id(), day(ts.date()), treatment(ts),
                ts.notes() == null ? "" : ts.notes())).toList();
        render(ctx, "patient.jte", new WebViews.Patient(frame(s, "Patient " + p.reference(), "patients"), p.id(), p.reference(), areas,
                rows, error, today().toString(), areaName, mmPerPx));
    }

    private void createArea(Context ctx, StaffService.Session s) {
        String patientId = ctx.pathParam("patientId");
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        String scaleText = Optional.ofNullable(ctx.formParam("mmPerPx")).orElse("").strip();
        Area a;
        try {
            a = records.areas().createArea(s.caller(), patientId, name, null, Requests.doubleParam("mmPerPx", scaleText.replace(',', '.')));
        } catch (Failure f) {
            ctx.status(Problems.status(f.kind()));
            patientPage(ctx, s, patientId, f.getMessage(), name, scaleText);
            return;
        }
        Audit.subject(ctx, "area", a.id(), a.patientId());
        ctx.redirect("/areas/" + a.id(), HttpStatus.SEE_OTHER);
    }

    private void createSession(Context ctx, StaffService.Session s) throws IOException {
        String patientId = ctx.pathParam("patientId");
        TreatmentSession ts;
        try {
            ts = records.sessions().createSession(s.caller(), patientId, sessionInput(ctx::formParam));
        } catch (Failure f) {
            ctx.status(Problems.status(f.kind()));
            patientPage(ctx, s, patientId, f.getMessage(), "", "");
            return;
        }
        Audit.subject(ctx, "session", ts.id(), ts.patientId());
        List<Area> areas = records.areas().listAreas(s.caller(), patientId);
        ctx.redirect(areas.size() == 1 ? "/areas/" + areas.get(0).id() : "/patients/" + patientId, HttpStatus.SEE_OTHER);
    }

    /** A form's field by name. */
    @FunctionalInterface
    private interface Fields {
        String get(String name) throws IOException;
    }

    private SessionService.SessionInput sessionInput(Fields form) throws IOException {
        LocalDate date;
        String dateText = Optional.ofNullable(form.get("date")).orElse("").strip();
        try {
            date = dateText.isEmpty() ? null : LocalDate.parse(dateText);
        } catch (DateTimeParseException e) {
            throw Failure.invalid("date", "The date must be a day like " + today() + ".");
        }
        Double depth = Requests.doubleParam("needleDepthMm", blankToNull(form.get("needleDepthMm"), true));
        String passesText = blankToNull(form.get("passes"), false);
        Integer passes;
        try {
            passes = passesText == null ? null : Integer.valueOf(passesText);
        } catch (NumberFormatException e) {
            throw Failure.invalid("passes", "Passes must be a whole number, like 3.");
        }
        return new SessionService.SessionInput(date, blankToNull(form.get("device"), false), depth, passes,
                blankToNull(form.get("notes"), false));
    }

    private static String blankToNull(String text, boolean decimal) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return decimal ? text.strip().replace(',', '.') : text.strip();
    }

    // --- an area: its timeline, uploads, the report ---

    private WebViews.Timeline timeline(StaffService.Session s, String areaId, String newLink, String error) throws IOException {
        Caller c = s.caller();
        Area area = records.areas().area(c, areaId);
        Patient patient = records.patients().patient(c, area.patientId());
        TrendInfo trend = records.trends().trend(c, areaId, false);
        Map<String, TrendInfo.Session> bySession = new HashMap<>();
        trend.sessions().forEach(ts -> bySession.put(ts.sessionId(), ts));
        List<WebViews.Entry> entries = new ArrayList<>();
        boolean pending = false;
        for (TreatmentSession ts : sorted(records.sessions().listSessions(c, patient.id()))) {
            TrendInfo.Session t = bySession.get(ts.id());
            if (t == null) {
                entries.add(new WebViews.Entry(ts.id(), day(ts.date()), treatment(ts), null, "none", "No photo yet", null, null,
                        List.of(), false, false, false));
                continue;
            }
            boolean baseline = t.photo().equals(trend.baselinePhoto());
            pending |= t.state().equals("queued") || t.state().equals("running");
            entries.add(entry(c, ts, t, baseline));
        }
        List<WebViews.MetricRow> metrics = new ArrayList<>();
        long analysed = trend.sessions().stream().filter(TrendInfo.Session::usable).count();
        if (analysed >= 2) {
            trend.metrics().forEach((key, m) -> metrics.add(new WebViews.MetricRow(m.label(), change(m), number(m.mdc(), m.unit()),
                    m.verdict(), m.why())));
        }
        Instant now = clock.instant();
        List<WebViews.LinkRow> links = reports.links(c, areaId).stream().limit(10).map(l -> new WebViews.LinkRow(l.id(),
                minute(l.createdAt()), minute(l.expiresAt()), l.revokedAt() != null ? "withdrawn" : l.validAt(now) ? "active" : "expired"))
                .toList();
        return new WebViews.Timeline(frame(s, area.name(), "patients"), patient.id(), patient.reference(), area.id(), area.name(),
                scale(area), entries, metrics, pending, links, newLink, error, today().toString(), maxUploadBytes / (1024 * 1024));
    }

    private WebViews.Entry entry(Caller c, TreatmentSession ts, TrendInfo.Session t, boolean baseline) {
        String state = t.state();
        List<String> warnings = t.qualityWarnings() == null ? List.of() : t.qualityWarnings().stream().map(WebPages::words).toList();
        String headline;
        String detail = null;
        String advice = null;
        switch (state) {
            case "queued" -> headline = t.reason() != null && t.reason().startsWith("reanalysing") ? "Being analysed again"
                    : "Waiting to be analysed";
            case "running" -> headline = "Being analysed";
            case "failed" -> {
                headline = "Not analysed";
                Analysis a = records.analyses().analysis(c, t.analysisId());
                detail = a.failureMessage();
                advice = advice(a.failureCode());
            }
            default -> {
                headline = "Analysed";
                if (!t.usable()) {
                    detail = "Left out of the trend: " + words(t.reason()) + ".";
                    advice = "Retake the photo at the next visit with the same pose, distance and light as the baseline.";
                } else if (t.postTreatment()) {
                    detail = "Taken within 3 days of a treatment: its redness is left out of the trend.";
                }
            }
        }
        boolean card = records.photos().photo(c, t.photo()).grayRef() != null;
        return new WebViews.Entry(ts.id(), day(ts.date()), treatment(ts), t.photo(), state, headline, detail, advice, warnings, baseline,
                t.usable(), card);
    }

    /** What to do about a failed analysis, by its code. */
    static String advice(String failureCode) {
        if (failureCode == null) {
            return null;
        }
        return switch (failureCode) {
            case "image_refused" -> "Upload the photo as the camera made it: a JPEG, PNG, WebP or TIFF file, at least 1000 pixels "
                    + "on the short side.";
            case "baseline_refused", "baseline_quality_failed" -> "The baseline (first) photo of this area cannot be used; replace "
                    + "it with a sharp, evenly lit photo, and the later photos are analysed again.";
            case "quality_failed" -> "Retake the photo: hold steady and focus on the skin, light it evenly without glare, and keep "
                    + "the grey card in view.";
            case "alignment_refused" -> "This photo could not be lined up with the baseline. Photograph the same area from the same "
                    + "distance and angle as the baseline.";
            case "gray_ref_outside_image", "roi_outside_image" -> "The grey card's or the area's rectangle lies outside this photo; "
                    + "correct it, or retake the photo with the card in view.";
            case "over_budget" -> "The photo is larger than the service analyses; upload it at 24 megapixels or fewer.";
            default -> "Ask your clinic's admin; the analysis' message above says what failed.";
        };
    }

    private void uploadPhoto(Context ctx, StaffService.Session s) throws IOException {
        Caller c = s.caller();
        String sessionId = ctx.pathParam("sessionId");
        records.photos().uploadTarget(c, sessionId);
        requests.requireMultipart(ctx);
        String[] photoId = new String[1];
        requests.withStoredUpload(ctx, body -> {
            requireCsrf(s, Requests.field(body, "_csrf"));
            byte[] bytes = Requests.file(body, "photo");
            PhotoService.Uploaded up = records.photos().upload(c, sessionId, new PhotoService.Upload(bytes, Requests.field(body, "areaId"),
                    null, null, false));
            Audit.subject(ctx, "photo", up.photo().id(), null);
            photoId[0] = up.photo().id();
        });
        ctx.redirect("/photos/" + photoId[0] + "/gray-card?uploaded=1", HttpStatus.SEE_OTHER);
    }

    private void createSessionWithPhoto(Context ctx, StaffService.Session s) throws IOException {
        Caller c = s.caller();
        String areaId = ctx.pathParam("areaId");
        Area area = records.areas().area(c, areaId);
        requests.requireMultipart(ctx);
        String[] error = new String[1];
        String[] photoId = new String[1];
        requests.withStoredUpload(ctx, body -> {
            requireCsrf(s, Requests.field(body, "_csrf"));
            byte[] bytes = Requests.file(body, "photo");
            SessionService.SessionInput input = sessionInput(name -> body.field(name, 4000));
            TreatmentSession ts = records.sessions().createSession(c, area.patientId(), input);
            try {
                PhotoService.Uploaded up = records.photos().upload(c, ts.id(), new PhotoService.Upload(bytes, area.id(), null, null, false));
                Audit.subject(ctx, "photo", up.photo().id(), area.patientId());
                photoId[0] = up.photo().id();
            } catch (Failure f) {
                // The photo was refused: the session it was for goes too, so that the timeline shows no empty session.
                records.sessions().deleteSession(c, ts.id());
                ctx.status(Problems.status(f.kind()));
                error[0] = "The photo was not accepted, so no session was added: " + f.getMessage();
            } catch (IOException | RuntimeException e) {
                records.sessions().deleteSession(c, ts.id());
                throw e;
            }
        });
        if (error[0] != null) {
            render(ctx, "area.jte", timeline(s, areaId, null, error[0]));
            return;
        }
        ctx.redirect("/photos/" + photoId[0] + "/gray-card?uploaded=1", HttpStatus.SEE_OTHER);
    }

    // --- the grey card and the scale, marked on the photo ---

    private void grayCardPage(Context ctx, StaffService.Session s, String photoId, PixelRect typed, boolean uploaded, String error)
            throws IOException {
        Caller c = s.caller();
        Photo p = records.photos().photo(c, photoId);
        Area area = records.areas().area(c, p.areaId());
        Patient patient = records.patients().patient(c, area.patientId());
        TreatmentSession session = records.sessions().session(c, p.sessionId());
        PixelRect rect = typed != null ? typed : p.grayRef();
        String found = typed != null || p.grayRef() != null ? "marked" : "none";
        if (rect == null) {
            Optional<PixelRect> proposed = records.photos().proposeGrayCard(c, photoId);
            if (proposed.isPresent()) {
                rect = proposed.get();
                found = "proposed";
            } else {
                int side = Math.max(8, Math.min(p.width(), p.height()) / 8);
                rect = new PixelRect((p.width() - side) / 2, (p.height() - side) / 2, side, side);
            }
        }
        render(ctx, "graycard.jte", new WebViews.GrayCard(frame(s, "Grey card", "patients"), p.id(), area.id(), area.name(),
                patient.reference(), day(session.date()), p.width(), p.height(), rect.x(), rect.y(), rect.width(), rect.height(), found,
                uploaded, error));
    }

    private void setGrayCard(Context ctx, StaffService.Session s) throws IOException {
        String photoId = ctx.pathParam("photoId");
        try {
            PixelRect rect = Requests.rect("grayRef", new int[] {intField(ctx, "x"), intField(ctx, "y"), intField(ctx, "w"),
                    intField(ctx, "h")});
            Photo updated = records.photos().updatePhoto(s.caller(), photoId, new PhotoService.PhotoChange(Change.keep(), Change.to(rect)));
            ctx.redirect("/areas/" + updated.areaId(), HttpStatus.SEE_OTHER);
        } catch (Failure f) {
            ctx.status(Problems.status(f.kind()));
            grayCardPage(ctx, s, photoId, null, false, f.getMessage());
        }
    }

    private void scalePage(Context ctx, StaffService.Session s, String areaId, double[] typed, String error) throws IOException {
        Caller c = s.caller();
        Area area = records.areas().area(c, areaId);
        Patient patient = records.patients().patient(c, area.patientId());
        Photo baseline = baselinePhoto(c, areaId).orElse(null);
        int w = baseline == null ? 0 : baseline.width();
        int h = baseline == null ? 0 : baseline.height();
        int[] line = typed != null ? new int[] {(int) typed[0], (int) typed[1], (int) typed[2], (int) typed[3]}
                : new int[] {w / 3, h / 2, 2 * w / 3, h / 2};
        String length = typed != null ? number(typed[4], null) : "10";
        render(ctx, "scale.jte", new WebViews.Scale(frame(s, "Scale", "patients"), area.id(), area.name(), patient.reference(),
                baseline == null ? null : baseline.id(), w, h, line[0], line[1], line[2], line[3], length, scale(area), error));
    }

    private void setScale(Context ctx, StaffService.Session s) throws IOException {
        String areaId = ctx.pathParam("areaId");
        double[] typed = null;
        try {
            typed = new double[] {intField(ctx, "x1"), intField(ctx, "y1"), intField(ctx, "x2"), intField(ctx, "y2"), 0};
            Double mm = Requests.doubleParam("lengthMm", blankToNull(ctx.formParam("lengthMm"), true));
            if (mm == null || !(mm > 0) || mm > 1000) {
                throw Failure.invalid("lengthMm", "Give the line's length on the ruler in millimetres, like 10.");
            }
            typed[4] = mm;
            double px = Math.hypot(typed[2] - typed[0], typed[3] - typed[1]);
            if (px < 20) {
                throw Failure.invalid("line", "The line is only " + Math.round(px) + " pixels long; draw it over at least a few "
                        + "millimetres of the ruler (20 pixels or more) for a scale worth having.");
            }
            records.areas().updateArea(s.caller(), areaId, new org.dermatrend.service.AreaService.AreaChange(Change.keep(), Change.keep(),
                    Change.to(mm / px)));
            ctx.redirect("/areas/" + areaId, HttpStatus.SEE_OTHER);
        } catch (Failure f) {
            ctx.status(Problems.status(f.kind()));
            scalePage(ctx, s, areaId, typed, f.getMessage());
        }
    }

    private static int intField(Context ctx, String name) {
        String text = Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Failure.invalid(name, "'" + name + "' must be a whole number of pixels, got '" + text + "'.");
        }
    }

    // --- guided capture ---

    /**
     * The photo the area's follow-ups are measured against, as the trend has it (the first whose analysis passed as a
     * baseline), or, while none has, the area's first photo: what the scale is drawn on and the camera lines up with.
     */
    private Optional<Photo> baselinePhoto(Caller c, String areaId) throws IOException {
        TrendInfo trend = records.trends().trend(c, areaId, false);
        String id = trend.baselinePhoto() != null ? trend.baselinePhoto()
                : trend.sessions().stream().map(TrendInfo.Session::photo).findFirst().orElse(null);
        return id == null ? Optional.empty() : Optional.of(records.photos().photo(c, id));
    }

    private void capturePage(Context ctx, StaffService.Session s) throws IOException {
        Caller c = s.caller();
        Area area = records.areas().area(c, ctx.pathParam("areaId"));
        c.require("take photos", Role.ADMIN, Role.CLINICIAN);
        Patient patient = records.patients().patient(c, area.patientId());
        Optional<Photo> base = baselinePhoto(c, area.id());
        String baseline = base.map(Photo::id).orElse(null);
        String tolerance = String.format(Locale.ROOT, "within %.0f %% of the frame in position, %.0f %% in distance and %.0f° in rotation",
                100 * org.dermatrend.align.PoseGuide.MAX_SHIFT, 100 * org.dermatrend.align.PoseGuide.MAX_SCALE_CHANGE,
                org.dermatrend.align.PoseGuide.MAX_ROTATION_DEG);
        render(ctx, "capture.jte", new WebViews.Capture(frame(s, "Guided photo", "patients"), area.id(), area.name(), patient.reference(),
                baseline, today().toString(), tolerance, base.map(Photo::width).orElse(4), base.map(Photo::height).orElse(3)));
    }

    private void checkFrame(Context ctx, StaffService.Session s) throws IOException {
        String type = ctx.contentType();
        if (type == null || !(type.startsWith("image/jpeg") || type.startsWith("image/png"))) {
            throw Failure.unsupportedMediaType("Send the camera frame as image/jpeg.");
        }
        org.dermatrend.align.PoseGuide.Guidance g = capture.check(s.caller(), ctx.pathParam("areaId"), ctx.queryParam("baseline"),
                ctx.bodyAsBytes());
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("state", g.state());
        answer.put("hints", g.hints());
        answer.put("shiftX", finite(g.shiftX()));
        answer.put("shiftY", finite(g.shiftY()));
        answer.put("scale", finite(g.scale()));
        answer.put("rotationDeg", finite(g.rotationDeg()));
        answer.put("tilt", finite(g.tilt()));
        answer.put("cornerError", finite(g.cornerError()));
        answer.put("ms", Math.round(g.ms()));
        ctx.header("Cache-Control", "no-store");
        ctx.json(answer);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : null;
    }

    private void report(Context ctx, StaffService.Session s) throws Exception {
        String areaId = ctx.pathParam("areaId");
        String format = ctx.queryParam("format");
        ctx.header("Cache-Control", "private, no-store");
        // The report is one self-contained page with its own inline script and styles: the API's policy, not the pages'.
        ctx.header("Content-Security-Policy", ApiServer.CONTENT_POLICY);
        if ("pdf".equals(format)) {
            ctx.header("Content-Disposition", "attachment; filename=\"report.pdf\"");
            ctx.contentType("application/pdf").result(reports.pdf(s.caller(), areaId));
        } else {
            ctx.contentType("text/html; charset=utf-8").result(reports.html(s.caller(), areaId));
        }
    }

    private void share(Context ctx, StaffService.Session s) throws Exception {
        String areaId = ctx.pathParam("areaId");
        Integer hours;
        try {
            hours = Integer.valueOf(Optional.ofNullable(ctx.formParam("hours")).orElse("168").strip());
        } catch (NumberFormatException e) {
            throw Failure.invalid("hours", "Choose how long the link works.");
        }
        String url;
        try {
            ReportService.NewLink made = reports.link(s.caller(), areaId, hours);
            Audit.subject(ctx, "report_link", made.link().id(), null);
            url = ReportController.base(ctx, publicUrl) + "/shared/reports/" + made.token();
        } catch (Failure f) {
            ctx.status(Problems.status(f.kind()));
            render(ctx, "area.jte", timeline(s, areaId, null, f.getMessage()));
            return;
        }
        render(ctx, "area.jte", timeline(s, areaId, url, null));
    }

    // --- admin ---

    private void staffPage(Context ctx, StaffService.Session s, StaffService.Invitation made, String error) {
        List<WebViews.StaffRow> rows = staff.list(s.caller()).stream().map(p -> new WebViews.StaffRow(p.id(), p.displayName(), p.email(),
                p.role().label(), p.disabledAt() != null ? "disabled " + day(p.disabledAt()) : p.invited()
                ? (p.invitationExpiresAt() != null && p.invitationExpiresAt().isAfter(clock.instant()) ? "invited, not yet joined"
                : "invitation expired") : "active",
                p.disabledAt() == null && !p.id().equals(s.staff().id()), p.invited() && p.disabledAt() == null)).toList();
        String link = made == null ? null : ReportController.base(ctx, publicUrl) + "/invitations/" + made.token();
        render(ctx, "staff.jte", new WebViews.StaffAdmin(frame(s, "Staff", "staff"), rows, link, made == null ? null : made.staff().email(),
                error));
    }

    private void invite(Context ctx, StaffService.Session s) {
        StaffService.Invitation made;
        try {
            made = staff.invite(s.caller(), ctx.formParam("email"), ctx.formParam("role"));
        } catch (Failure f) {
            staffPage(ctx.status(Problems.status(f.kind())), s, null, f.getMessage());
            return;
        }
        staffPage(ctx, s, made, null);
    }

    private void keysPage(Context ctx, StaffService.Session s, AccessService.NewKey made, String label, String error) {
        Instant now = clock.instant();
        List<WebViews.KeyRow> rows = access.listKeys(s.caller()).stream().sorted(Comparator.comparing(ApiKey::createdAt).reversed())
                .map(k -> new WebViews.KeyRow(k.id(), k.label() == null ? "(no label)" : k.label(), k.role().label(), day(k.createdAt()),
                        k.lastUsedAt() == null ? "never" : minute(k.lastUsedAt()), k.revokedAt() != null ? "revoked"
                        : k.usableAt(now) ? (k.expiresAt() == null ? "active" : "active until " + day(k.expiresAt())) : "expired",
                        k.usableAt(now))).toList();
        render(ctx, "keys.jte", new WebViews.KeyAdmin(frame(s, "API keys", "keys"), rows, made == null ? null : made.secret(), label,
                error));
    }

    private void createKey(Context ctx, StaffService.Session s) {
        String label = Optional.ofNullable(ctx.formParam("label")).orElse("").strip();
        String days = Optional.ofNullable(ctx.formParam("expiresInDays")).orElse("").strip();
        AccessService.NewKey made;
        try {
            Integer expires;
            try {
                expires = days.isEmpty() ? null : Integer.valueOf(days);
            } catch (NumberFormatException e) {
                throw Failure.invalid("expiresInDays", "The expiry must be a whole number of days, or empty for none.");
            }
            if (label.isEmpty()) {
                throw Failure.invalid("label", "Give the key a label saying which program uses it.");
            }
            made = access.createKey(s.caller(), ctx.formParam("role"), label, expires);
        } catch (Failure f) {
            keysPage(ctx.status(Problems.status(f.kind())), s, null, null, f.getMessage());
            return;
        }
        keysPage(ctx, s, made, label, null);
    }

    private void accountPage(Context ctx, StaffService.Session s, String error, String done) {
        render(ctx, "account.jte", new WebViews.Account(frame(s, "Your account", "account"), s.staff().email(), s.staff().role().label(),
                error, done, StaffService.MIN_PASSWORD));
    }

    // --- answers ---

    /** The page answering a failure of a page's request (called by the server's exception handler). */
    void failure(Context ctx, Failure f) {
        ctx.attribute(Problems.CODE, f.code());
        Object retry = f.details().get("retryAfterSeconds");
        if (retry != null) {
            ctx.header("Retry-After", retry.toString());
        }
        StaffService.Session s = sessionOf(ctx);
        int status = Problems.status(f.kind());
        String heading = switch (status) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Cannot do that now";
            case 413 -> "Too large";
            case 429 -> "Too many requests";
            case 503 -> "Busy";
            default -> status >= 500 ? "Something went wrong" : "Please check what you sent";
        };
        problem(ctx, s, status, heading, f.getMessage(), s == null ? "/sign-in" : "/patients", s == null ? "Sign in" : "Patients");
    }

    /** The page answering an unexpected error (logged by the server's handler). */
    void internalError(Context ctx) {
        ctx.attribute(Problems.CODE, "internal-error");
        StaffService.Session s = sessionOf(ctx);
        problem(ctx, s, 500, "Something went wrong", "The page failed on an internal error; it has been logged. Try again, and tell "
                + "your clinic's admin if it keeps happening.", s == null ? "/sign-in" : "/patients", s == null ? "Sign in" : "Patients");
    }

    /** The page for an address that names no page. */
    void notFound(Context ctx) {
        page(ctx);
        StaffService.Session s = sessionOf(ctx);
        problem(ctx, s, 404, "Not found", "There is no page at this address. It may have been erased, or the link is mistyped.",
                s == null ? "/sign-in" : "/patients", s == null ? "Sign in" : "Patients");
    }

    /** The request's sign-in: the one the wrapper found, or (a request no wrapper handled) looked up. */
    private StaffService.Session sessionOf(Context ctx) {
        StaffService.Session known = ctx.attribute(SESSION);
        return known != null ? known : staff.session(ctx.cookie(COOKIE)).orElse(null);
    }

    private void problem(Context ctx, StaffService.Session s, int status, String heading, String message, String back, String label) {
        ctx.status(status);
        render(ctx, "problem.jte", new WebViews.Problem(s == null ? null : frame(s, heading, ""), status, heading, message, back, label));
    }

    private void render(Context ctx, String template, Object view) {
        StringOutput out = new StringOutput();
        templates.render(template, view, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** Marks the request as a page's: its own content policy, never cached, failures answered as pages. */
    private static void page(Context ctx) {
        ctx.attribute(WEB, true);
        ctx.attribute(ApiServer.PAGE, true);
        ctx.header("Content-Security-Policy", PAGE_POLICY);
        ctx.header("Cache-Control", "no-store");
        // Our own pages may know where a request came from (browsers then send a real Origin with a form); other sites never.
        ctx.header("Referrer-Policy", "same-origin");
    }

    static boolean isPage(Context ctx) {
        return ctx.attribute(WEB) != null;
    }

    private WebViews.Frame frame(StaffService.Session s, String title, String section) {
        Role role = s.staff().role();
        return new WebViews.Frame(title, s.staff().displayName(), role.label(), role == Role.ADMIN,
                role == Role.ADMIN || role == Role.CLINICIAN, s.csrfToken(), section);
    }

    private Cookie cookie(Context ctx, String name, String value, int maxAge) {
        boolean secure = "https".equals(ctx.scheme()) || (publicUrl != null && publicUrl.startsWith("https://"));
        return new Cookie(name, value, "/", maxAge, secure, true, null, SameSite.STRICT);
    }

    /** A POST from a page of another site is refused (SameSite=Strict keeps the cookie away too; this also covers sign-in). */
    private void checkOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            throw Failure.forbidden("This form was sent from another site; open dermatrend's own page and send it there.");
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return; // older browsers and non-browser clients send none; the CSRF token still has to match
        }
        if (origin.equals("null")) {
            // Our pages send their Origin (Referrer-Policy: same-origin); "null" comes from a sandboxed or privacy-stripped
            // context, which is not one of our pages.
            throw Failure.forbidden("This form was sent from a page whose origin is hidden; open dermatrend's own page and send it there.");
        }
        String own = ctx.scheme() + "://" + ctx.host();
        if (!origin.equals(own) && !origin.equals(publicUrl)) {
            throw Failure.forbidden("This form was sent from another site (" + origin + "); open dermatrend's own page and send it there.");
        }
    }

    private static void requireCsrf(StaffService.Session s, String presented) {
        if (!equal(s.csrfToken(), presented)) {
            throw Failure.forbidden("This form had expired (or came from another site). Go back, reload the page and send it again.");
        }
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private static boolean equal(String expected, String presented) {
        return expected != null && presented != null && !expected.isEmpty()
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Where to go after signing in: a path of ours, never another site's address. */
    static String nextPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.length() > 500
                || next.startsWith("/sign-in") || next.chars().anyMatch(ch -> ch < 0x20)) {
            return "/patients";
        }
        return next;
    }

    private String token() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static List<TreatmentSession> sorted(List<TreatmentSession> sessions) {
        return sessions.stream().sorted(Comparator.comparing(TreatmentSession::date).thenComparing(TreatmentSession::createdAt)).toList();
    }

    private static String treatment(TreatmentSession ts) {
        List<String> parts = new ArrayList<>();
        if (ts.device() != null) {
            parts.add(ts.device());
        }
        if (ts.needleDepthMm() != null) {
            parts.add(String.format(Locale.ROOT, "%.2f mm", ts.needleDepthMm()).replaceAll("0+ mm$", " mm").replace(". mm", " mm"));
        }
        if (ts.passes() != null) {
            parts.add(ts.passes() + (ts.passes() == 1 ? " pass" : " passes"));
        }
        return parts.isEmpty() ? "No treatment recorded" : String.join(" · ", parts);
    }

    private static String scale(Area a) {
        return a.mmPerPx() == null ? "no scale set (sizes in pixels)" : String.format(Locale.ROOT, "%.4f mm per pixel", a.mmPerPx());
    }

    private static String change(TrendInfo.Metric m) {
        if (m.change() == null) {
            return "–";
        }
        String text = (m.change() > 0 ? "+" : "") + number(m.change(), m.unit());
        if (m.changePercent() == null) {
            return text;
        }
        double pct = m.changePercent();
        return text + String.format(Locale.ROOT, Math.abs(pct) < 9.95 ? " (%+.1f %%)" : " (%+.0f %%)", pct);
    }

    private static String number(Double v, String unit) {
        if (v == null) {
            return "–";
        }
        double a = Math.abs(v);
        String digits = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, digits, v) + (unit == null || unit.isEmpty() ? "" : " " + unit);
    }

    /** A machine code in words: {@code quality_failed:blurred} → "quality failed: blurred", {@code uneven_for_a_star} → "uneven for a*". */
    static String words(String code) {
        if (code == null) {
            return "";
        }
        return code.replace("a_star", "a*").replace('_', ' ').replace(":", ": ");
    }

    private static String day(LocalDate d) {
        return DAY.format(d);
    }

    private static String day(Instant t) {
        return DAY.format(LocalDate.ofInstant(t, ZoneOffset.UTC));
    }

    private static String minute(Instant t) {
        return MINUTE.format(t);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
