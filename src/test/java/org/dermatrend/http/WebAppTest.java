package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dermatrend.domain.Role;
import org.dermatrend.service.StaffService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web app's security and rules over plain HTTP (no browser): cookie flags, CSRF and Origin checks, sign-in
 * lockout, sign-out, roles, clinics kept apart, no open redirect, the first admin's invitation, page-shaped errors
 * and the audit log naming the person.
 */
class WebAppTest {
    private static final String PUBLIC_URL = "https://dermatrend.example.org";
    @TempDir
    static Path temp;
    private static ApiHarness api;
    private static String clinicId;
    private static String adminPassword;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws IOException {
        api = ApiHarness.start("sqlite", temp, c -> c.withPublicUrl(PUBLIC_URL), false);
        clinicId = api.app().bootstrapped().orElseThrow().clinic().id();
        adminPassword = api.app().staff().createWithPassword(clinicId, "boss@clinic.example", "Boss", Role.ADMIN);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A browser: its cookies, and the last page's CSRF token. */
    private static final class Browser {
        final Map<String, String> cookies = new LinkedHashMap<>();
        String csrf;

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Accept", "text/html").GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form, String origin) throws Exception {
            String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path)).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
            if (origin != null) {
                b.header("Origin", origin);
            }
            return send(b);
        }

        HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            if (!cookies.isEmpty()) {
                b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("Set-Cookie")) {
                String[] kv = set.split(";", 2)[0].split("=", 2);
                if (kv[1].isEmpty()) {
                    cookies.remove(kv[0]);
                } else {
                    cookies.put(kv[0], kv[1]);
                }
            }
            Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(r.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return r;
        }

        HttpResponse<String> signIn(String email, String password) throws Exception {
            HttpResponse<String> page = get("/sign-in?next=/patients");
            Matcher m = Pattern.compile("name=\"_form\" value=\"([^\"]+)\"").matcher(page.body());
            assertTrue(m.find(), "the sign-in form carries its token");
            return post("/sign-in", Map.of("_form", m.group(1), "email", email, "password", password, "next", "/patients"), null);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String formToken(HttpResponse<String> page) {
        Matcher m = Pattern.compile("name=\"_form\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(m.find(), "the form carries its token");
        return m.group(1);
    }

    private static String setCookie(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndSecureBehindHttps() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> form = b.get("/sign-in");
        assertEquals(200, form.statusCode());
        assertTrue(form.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self';"),
                "no inline script on pages");
        HttpResponse<String> in = b.signIn("boss@clinic.example", adminPassword);
        assertEquals(303, in.statusCode(), in.body());
        assertEquals("/patients", in.headers().firstValue("Location").orElse(null));
        String cookie = setCookie(in, WebPages.COOKIE);
        assertNotNull(cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Secure"), "served as " + PUBLIC_URL + ": " + cookie);
        HttpResponse<String> patients = b.get("/patients");
        assertEquals(200, patients.statusCode());
        assertEquals("no-store", patients.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void aFormWithoutTheTokenOrFromAnotherSiteChangesNothing() throws Exception {
        Browser b = new Browser();
        b.signIn("boss@clinic.example", adminPassword);
        b.get("/patients");
        HttpResponse<String> noToken = b.post("/patients", Map.of("reference", "CSRF-1"), null);
        assertEquals(403, noToken.statusCode());
        assertTrue(noToken.body().contains("This form had expired"), "a page, not JSON: " + noToken.body());
        HttpResponse<String> otherSite = b.post("/patients", Map.of("_csrf", b.csrf, "reference", "CSRF-2"), "https://evil.example");
        assertEquals(403, otherSite.statusCode());
        assertFalse(b.get("/patients?q=CSRF").body().contains("CSRF-"), "neither made a patient");
        HttpResponse<String> ok = b.post("/patients", Map.of("_csrf", b.csrf, "reference", "CSRF-3"), PUBLIC_URL);
        assertEquals(303, ok.statusCode(), ok.body());
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountForAWhile() throws Exception {
        api.app().staff().createWithPassword(clinicId, "locked@clinic.example", "Locked", Role.CLINICIAN);
        Browser b = new Browser();
        for (int i = 0; i < StaffService.Settings.defaults().failuresPerAccount(); i++) {
            HttpResponse<String> wrong = b.signIn("locked@clinic.example", "wrong password " + i);
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.body().contains("The email address or the password is wrong."));
        }
        HttpResponse<String> locked = b.signIn("Locked@Clinic.example", "any password at all");
        assertEquals(429, locked.statusCode(), "the address is locked, whatever its case");
        assertTrue(locked.body().contains("Too many failed sign-ins"));
        HttpResponse<String> unknown = new Browser().signIn("nobody@clinic.example", "wrong password");
        assertEquals(401, unknown.statusCode(), "an unknown address gets the same answer as a wrong password");
        assertTrue(unknown.body().contains("The email address or the password is wrong."));
    }

    @Test
    void signingOutEndsTheSessionAndNextNeverLeavesTheSite() throws Exception {
        Browser b = new Browser();
        b.signIn("boss@clinic.example", adminPassword);
        String token = b.cookies.get(WebPages.COOKIE);
        b.get("/patients");
        assertEquals(303, b.post("/sign-out", Map.of("_csrf", b.csrf), null).statusCode());
        Browser replay = new Browser();
        replay.cookies.put(WebPages.COOKIE, token);
        HttpResponse<String> after = replay.get("/patients");
        assertEquals(303, after.statusCode(), "the old cookie opens nothing");
        assertTrue(after.headers().firstValue("Location").orElse("").startsWith("/sign-in?next="));

        for (String next : new String[] {"//evil.example/", "https://evil.example/", "/\\evil.example", "/sign-in"}) {
            assertEquals("/patients", WebPages.nextPath(next), next);
        }
        assertEquals("/areas/x?y=1", WebPages.nextPath("/areas/x?y=1"));
    }

    @Test
    void aReviewerReadsButChangesNothingAndClinicsStayApart() throws Exception {
        Browser admin = new Browser();
        admin.signIn("boss@clinic.example", adminPassword);
        admin.get("/patients");
        HttpResponse<String> made = admin.post("/patients", Map.of("_csrf", admin.csrf, "reference", "ROLE-1"), null);
        String patientPath = made.headers().firstValue("Location").orElseThrow();

        String readerPassword = "reviewer password 42";
        StaffService.Invitation inv = api.app().staff().invite(
                org.dermatrend.service.Caller.staff(clinicId, "test", Role.ADMIN, true), "reader2@clinic.example", "reviewer");
        api.app().staff().accept(inv.token(), null, "Reader Two", readerPassword);
        Browser reader = new Browser();
        assertEquals(303, reader.signIn("reader2@clinic.example", readerPassword).statusCode());
        HttpResponse<String> page = reader.get(patientPath);
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains("New area"), "no forms for a reviewer");
        HttpResponse<String> refused = reader.post(patientPath + "/areas", Map.of("_csrf", reader.csrf, "name", "cheek"), null);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("Your account's role is 'reviewer'"), refused.body());
        assertEquals(403, reader.get("/admin/staff").statusCode());

        // Another clinic's person does not find this clinic's patient.
        JsonNode other = api.postJson("/v1/clinics", ApiHarness.ADMIN_KEY, Map.of("name", "Other clinic")).expect(201).json();
        String otherPassword = api.app().staff().createWithPassword(other.get("clinic").get("id").asText(), "other@clinic.example",
                "Other", Role.ADMIN);
        Browser stranger = new Browser();
        stranger.signIn("other@clinic.example", otherPassword);
        HttpResponse<String> hidden = stranger.get(patientPath);
        assertEquals(404, hidden.statusCode());
        assertFalse(hidden.body().contains("ROLE-1"));
    }

    @Test
    void theFirstAdminsInvitationTakesTheirOwnAddressAndWorksOnce() throws Exception {
        StaffService.Invitation inv = api.app().staff().inviteFirstAdmin(clinicId);
        Browser b = new Browser();
        HttpResponse<String> page = b.get("/invitations/" + inv.token());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Your email address"), "the person gives their address");
        String form = formToken(page);
        HttpResponse<String> forged = new Browser().post("/invitations/" + inv.token(), Map.of("email", "first@clinic.example",
                "name", "First", "password", "a long enough password"), null);
        assertEquals(403, forged.statusCode(), "without the form's token nothing is accepted");
        HttpResponse<String> weak = b.post("/invitations/" + inv.token(), Map.of("_form", form, "email", "first@clinic.example",
                "name", "First", "password", "short"), null);
        assertEquals(400, weak.statusCode());
        assertTrue(weak.body().contains("at least " + StaffService.MIN_PASSWORD + " characters"));
        HttpResponse<String> ok = b.post("/invitations/" + inv.token(), Map.of("_form", formToken(weak), "email", "First@Clinic.example",
                "name", "First", "password", "a long enough password"), null);
        assertEquals(303, ok.statusCode(), ok.body());
        assertEquals(200, b.get("/admin/staff").statusCode(), "signed in as an admin");
        assertEquals(404, new Browser().get("/invitations/" + inv.token()).statusCode(), "spent");
        assertEquals(303, new Browser().signIn("first@clinic.example", "a long enough password").statusCode());
    }

    @Test
    void disablingAnAccountEndsItsSessionsAndTheLastAdminStays() throws Exception {
        StaffService.Invitation inv = api.app().staff().invite(
                org.dermatrend.service.Caller.staff(clinicId, "test", Role.ADMIN, true), "leaver@clinic.example", "clinician");
        api.app().staff().accept(inv.token(), null, "Leaver", "leaver password 123");
        Browser leaver = new Browser();
        leaver.signIn("leaver@clinic.example", "leaver password 123");
        assertEquals(200, leaver.get("/patients").statusCode());
        Browser admin = new Browser();
        admin.signIn("boss@clinic.example", adminPassword);
        admin.get("/admin/staff");
        assertEquals(303, admin.post("/admin/staff/" + inv.staff().id() + "/disable", Map.of("_csrf", admin.csrf), null).statusCode());
        assertEquals(303, leaver.get("/patients").statusCode(), "signed out at once");
        assertEquals(401, new Browser().signIn("leaver@clinic.example", "leaver password 123").statusCode());
    }

    @Test
    void pagesAreAuditedAsThePersonAndErrorsArePages() throws Exception {
        Browser b = new Browser();
        b.signIn("boss@clinic.example", adminPassword);
        b.get("/patients");
        String patientPath = b.post("/patients", Map.of("_csrf", b.csrf, "reference", "AUDIT-WEB"), null).headers()
                .firstValue("Location").orElseThrow();
        b.get(patientPath);
        String patientId = patientPath.substring(patientPath.lastIndexOf('/') + 1);
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode e : api.get("/v1/audit?limit=1000&patientId=" + patientId, ApiHarness.ADMIN_KEY).expect(200).json().get("items")) {
            if (e.get("actorType").asText().equals("staff")) {
                seen.merge(e.get("action").asText(), 1, Integer::sum);
            }
        }
        assertTrue(seen.getOrDefault("create", 0) >= 1 && seen.getOrDefault("read", 0) >= 1, "audited as the person: " + seen);

        HttpResponse<String> missing = b.get("/no/such/page");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), "a page for a browser");
        HttpResponse<String> api404 = b.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/no-such")).header("Accept", "text/html")
                .header("Authorization", "Bearer " + ApiHarness.ADMIN_KEY).GET());
        assertEquals(404, api404.statusCode());
        assertTrue(api404.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), "the API stays JSON");
        assertNull(setCookie(missing, WebPages.COOKIE));
    }

    @Test
    void anAdminErasesAPhotoAndAPatientFromThePages() throws Exception {
        ApiHarness.Patient p = api.patient(ApiHarness.ADMIN_KEY, "ERASE-WEB", 1);
        JsonNode up = api.upload(ApiHarness.ADMIN_KEY, p.sessionIds().get(0), p.areaId(), ApiHarness.demoPhoto(1), null).expect(201).json();
        String photoId = up.get("photo").get("id").asText();
        Browser b = new Browser();
        b.signIn("boss@clinic.example", adminPassword);
        assertTrue(b.get("/areas/" + p.areaId()).body().contains("/photos/" + photoId + "/erase"), "the timeline offers to erase it");
        HttpResponse<String> erased = b.post("/photos/" + photoId + "/erase", Map.of("_csrf", b.csrf), null);
        assertEquals(303, erased.statusCode());
        assertEquals("/areas/" + p.areaId(), erased.headers().firstValue("Location").orElse(null));
        assertEquals(404, api.get("/v1/photos/" + photoId, ApiHarness.ADMIN_KEY).status());

        b.get("/patients/" + p.id());
        HttpResponse<String> gone = b.post("/patients/" + p.id() + "/erase", Map.of("_csrf", b.csrf), null);
        assertEquals(303, gone.statusCode());
        assertTrue(b.get("/patients?erased=1").body().contains("are erased"));
        assertEquals(404, b.get("/patients/" + p.id()).statusCode());
        assertEquals(404, api.get("/v1/patients/" + p.id(), ApiHarness.ADMIN_KEY).status());
    }

    @Test
    void aMultipartBodyOrAForeignFetchCannotSkipTheToken() throws Exception {
        Browser b = new Browser();
        b.signIn("boss@clinic.example", adminPassword);
        b.get("/patients");
        String patientPath = b.post("/patients", Map.of("_csrf", b.csrf, "reference", "MULTIPART-1"), null).headers()
                .firstValue("Location").orElseThrow();
        String boundary = "dtboundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--" + boundary + "--\r\n";
        HttpResponse<String> multipart = b.send(HttpRequest.newBuilder(URI.create(api.base() + patientPath + "/erase"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(403, multipart.statusCode(), "a multipart body does not skip the CSRF token");
        HttpResponse<String> crossSite = b.send(HttpRequest.newBuilder(URI.create(api.base() + patientPath + "/erase"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "same-site")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + enc(b.csrf))));
        assertEquals(403, crossSite.statusCode(), "a request from another site (even with the token) is refused");
        HttpResponse<String> hidden = b.post(patientPath + "/erase", Map.of("_csrf", b.csrf), "null");
        assertEquals(403, hidden.statusCode(), "an origin-less context is refused");
        assertEquals(200, b.get(patientPath).statusCode(), "the patient is still there");

        HttpResponse<String> script = new Browser().send(HttpRequest.newBuilder(URI.create(api.base() + patientPath))
                .header("Sec-Fetch-Mode", "cors").GET());
        assertEquals(401, script.statusCode(), "a script's fetch without a sign-in is told so, not redirected");
    }

    @Test
    void anAddressWithAnAccountCannotBeInvitedOrTakenAgain() throws Exception {
        Browser b = new Browser();
        b.signIn("boss@clinic.example", adminPassword);
        b.get("/admin/staff");
        HttpResponse<String> taken = b.post("/admin/staff", Map.of("_csrf", b.csrf, "email", "Boss@clinic.example", "role", "clinician"),
                null);
        assertEquals(409, taken.statusCode(), "a page saying so, not an error: " + taken.statusCode());
        assertTrue(taken.body().contains("already has an account"), "says why");
        StaffService.Invitation open = api.app().staff().inviteAnyAddress(clinicId, "reviewer");
        Browser someone = new Browser();
        HttpResponse<String> page = someone.get("/invitations/" + open.token());
        HttpResponse<String> clash = someone.post("/invitations/" + open.token(), Map.of("_form", formToken(page), "email",
                "boss@clinic.example", "name", "Someone", "password", "a long enough password"), null);
        assertEquals(409, clash.statusCode());
        assertTrue(clash.body().contains("already has an account"));
        assertEquals(200, new Browser().get("/invitations/" + open.token()).statusCode(), "the invitation still works");
    }
}
