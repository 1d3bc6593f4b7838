package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dermatrend.client.ApiClient;
import org.dermatrend.client.ApiException;
import org.dermatrend.client.api.AccessApi;
import org.dermatrend.client.api.OperationsApi;
import org.dermatrend.client.api.RecordsApi;
import org.dermatrend.client.api.WebhooksApi;
import org.dermatrend.client.model.Analysis;
import org.dermatrend.client.model.Area;
import org.dermatrend.client.model.CreateAreaRequest;
import org.dermatrend.client.model.CreateClinicRequest;
import org.dermatrend.client.model.CreateKeyRequest;
import org.dermatrend.client.model.CreatePatientRequest;
import org.dermatrend.client.model.CreateReportLinkRequest;
import org.dermatrend.client.model.CreateSessionRequest;
import org.dermatrend.client.model.CreateWebhookRequest;
import org.dermatrend.client.model.EventType;
import org.dermatrend.client.model.FhirBundle;
import org.dermatrend.client.model.Key;
import org.dermatrend.client.model.Live200Response;
import org.dermatrend.client.model.NewClinic;
import org.dermatrend.client.model.Patient;
import org.dermatrend.client.model.Problem;
import org.dermatrend.client.model.ReportLink;
import org.dermatrend.client.model.Session;
import org.dermatrend.client.model.Treatment;
import org.dermatrend.client.model.Trend;
import org.dermatrend.client.model.TrendMetric;
import org.dermatrend.client.model.TrendSession;
import org.dermatrend.client.model.Upload;
import org.dermatrend.client.model.Webhook;
import org.dermatrend.client.model.WebhookDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec proven by a client nobody here wrote: openapi-generator's Java client (library native, made from
 * api-spec/openapi.yaml at generate-test-sources, see pom.xml) runs a clinic's whole flow against the real service
 * on port 0, and nothing else speaks to it. The client's JSON reader is made strict, so a field the server sends and
 * the spec lacks, an enum value it does not list or a number where it says string fails here.
 */
class GeneratedClientFlowTest {
    /** One analysis takes seconds on 2 cores; a queue behind other builds, a few minutes at worst. */
    private static final Duration ANALYSIS_WAIT = Duration.ofSeconds(240);

    @TempDir
    Path temp;

    /**
     * The generator's own mapper (its date handling), made strict: unknown fields, and values of the wrong JSON type
     * (a number for a string, a string for a number or a boolean, a fraction for an integer) fail.
     */
    static ObjectMapper strictMapper() {
        ObjectMapper mapper = ApiClient.createDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }

    /** A client of the service at {@code base} that sends {@code key} as its bearer token (none when null). */
    static ApiClient client(String base, String key) {
        ApiClient c = new ApiClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)), strictMapper(), base);
        c.setReadTimeout(Duration.ofSeconds(60));
        if (key != null) {
            c.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + key));
        }
        return c;
    }

    /**
     * Waits for the service's webhook telling that the analysis has ended (a verified Standard Webhooks delivery
     * to the test's receiver), then reads the analysis once through the client: the app never polls.
     */
    static Analysis awaitAnalysis(RecordsApi records, WebhookReceiver receiver, String analysisId, Duration timeout)
            throws ApiException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (receiver.received().stream().noneMatch(r -> r.type().startsWith("analysis.")
                && analysisId.equals(r.data().path("analysisId").asText()) && r.verifiedByLibrary() && r.verifiedByHand())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no verified webhook for analysis " + analysisId + " within " + timeout + "; it is "
                        + records.getAnalysis(analysisId).getState());
            }
            Thread.sleep(50);
        }
        Analysis a = records.getAnalysis(analysisId);
        assertTrue(a.getState() == Analysis.StateEnum.DONE || a.getState() == Analysis.StateEnum.FAILED,
                () -> "told before it ended: " + a.getState());
        return a;
    }

    private static File demoPhoto(int session) {
        return Path.of("datasets/demo/session-" + session + ".jpg").toFile();
    }

    @Test
    void aClinicsFlowRunsThroughTheGeneratedClient() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             ApiHarness api = ApiHarness.start("sqlite", temp, c -> c.withAllowPrivateWebhookTargets(true), true)) {
            String base = api.base();
            assertEquals(Live200Response.StatusEnum.UP, new OperationsApi(client(base, null)).live().getStatus());

            // The operator makes a clinic; its first admin makes the clinician key the flow uses.
            NewClinic made = new AccessApi(client(base, ApiHarness.ADMIN_KEY))
                    .createClinic(new CreateClinicRequest().name("Clinique du Parc"));
            assertEquals("Clinique du Parc", made.getClinic().getName());
            assertEquals(Boolean.FALSE, made.getClinic().getOperator());
            assertEquals(Key.RoleEnum.ADMIN, made.getAdminKey().getRole());
            AccessApi clinicAdmin = new AccessApi(client(base, made.getAdminKey().getKey()));
            assertEquals(made.getClinic().getId(), clinicAdmin.getClinic().getId());
            Key clinicianKey = clinicAdmin.createKey(
                    new CreateKeyRequest().role(CreateKeyRequest.RoleEnum.CLINICIAN).label("front desk"));
            assertEquals(Key.RoleEnum.CLINICIAN, clinicianKey.getRole());
            assertEquals("front desk", clinicianKey.getLabel());
            assertNotNull(clinicianKey.getKey(), "the secret, shown once");
            RecordsApi records = new RecordsApi(client(base, clinicianKey.getKey()));
            // The app is told of every analysis by a signed webhook (its secret is shown once, in this answer).
            WebhooksApi webhooks = new WebhooksApi(client(base, made.getAdminKey().getKey()));
            Webhook hook = webhooks.createWebhook(new CreateWebhookRequest().url(URI.create(receiver.url()))
                    .events(new java.util.LinkedHashSet<>(List.of(EventType.ANALYSIS_DONE, EventType.ANALYSIS_FAILED))));
            assertTrue(hook.getSecret().startsWith("whsec_"));
            assertTrue(hook.getEnabled());
            assertNull(webhooks.getWebhook(hook.getId()).getSecret(), "the secret is shown once");
            receiver.secret(hook.getSecret());

            // Patient → area → session, each read back as it was made.
            Patient patient = records.createPatient(new CreatePatientRequest().reference("GEN-001"));
            assertEquals("GEN-001", patient.getReference());
            assertEquals(patient, records.getPatient(patient.getId()));
            // A refusal is an RFC 9457 problem, read with the spec's Problem schema.
            ApiException twice = assertThrows(ApiException.class,
                    () -> records.createPatient(new CreatePatientRequest().reference("GEN-001")));
            assertEquals(409, twice.getCode());
            assertEquals("application/problem+json",
                    twice.getResponseHeaders().firstValue("Content-Type").orElseThrow().split(";")[0]);
            Problem problem = strictMapper().readValue(twice.getResponseBody(), Problem.class);
            assertEquals("patient-exists", problem.getCode());
            assertEquals("tag:dermatrend.org,2026:problem/patient-exists", problem.getType());
            assertEquals(409, problem.getStatus());
            Area area = records.createArea(patient.getId(),
                    new CreateAreaRequest().name("left-cheek").mmPerPx(new BigDecimal("0.025")));
            assertEquals(patient.getId(), area.getPatientId());
            assertEquals(0, new BigDecimal("0.025").compareTo(area.getMmPerPx()));
            assertEquals(area, records.getArea(area.getId()));
            Session first = records.createSession(patient.getId(), new CreateSessionRequest().date(LocalDate.of(2026, 1, 5))
                    .treatment(new Treatment().device("Dermapen 4").needleDepthMm(new BigDecimal("1.5")).passes(3)));
            assertEquals(LocalDate.of(2026, 1, 5), first.getDate());
            assertEquals(3, first.getTreatment().getPasses());
            assertEquals(first, records.getSession(first.getId()));

            // The first photo, as multipart; its analysis is queued, then done, as the area's baseline.
            Upload up1 = records.uploadPhoto(first.getId(), demoPhoto(1), area.getId(), null, null, null);
            assertEquals(first.getId(), up1.getPhoto().getSessionId());
            assertEquals(area.getId(), up1.getPhoto().getAreaId());
            assertEquals(up1.getAnalysis().getId(), up1.getPhoto().getAnalysisId());
            assertEquals(up1.getPhoto().getId(), up1.getAnalysis().getPhotoId());
            assertEquals(up1.getPhoto(), records.getPhoto(up1.getPhoto().getId()));
            Analysis a1 = awaitAnalysis(records, receiver, up1.getAnalysis().getId(), ANALYSIS_WAIT);
            assertEquals(Analysis.StateEnum.DONE, a1.getState(), () -> "failure: " + a1.getFailure());
            assertEquals(Boolean.TRUE, a1.getResult().getBaseline());
            assertEquals(up1.getPhoto().getId(), a1.getResult().getBaselinePhotoId());
            assertTrue(a1.getResult().getScore().getQuality().getOk());

            // A second session and photo: measured against the first.
            Session second = records.createSession(patient.getId(), new CreateSessionRequest().date(LocalDate.of(2026, 2, 5)));
            Upload up2 = records.uploadPhoto(second.getId(), demoPhoto(2), area.getId(), "gen-flow-2", null, null);
            // The same Idempotency-Key with the same photo is the first upload again, not a second photo.
            Upload replayed = records.uploadPhoto(second.getId(), demoPhoto(2), area.getId(), "gen-flow-2", null, null);
            assertEquals(up2.getPhoto().getId(), replayed.getPhoto().getId());
            Analysis a2 = awaitAnalysis(records, receiver, up2.getAnalysis().getId(), ANALYSIS_WAIT);
            assertEquals(Analysis.StateEnum.DONE, a2.getState(), () -> "failure: " + a2.getFailure());
            assertEquals(Boolean.FALSE, a2.getResult().getBaseline());
            assertEquals(up1.getPhoto().getId(), a2.getResult().getBaselinePhotoId());
            assertTrue(a2.getResult().getAlignment().getOk());
            assertFalse(a2.getResult().getChange().isEmpty(), "every metric's change from the baseline");

            assertEquals(List.of(a2.getId(), a1.getId()), records.listAnalyses("done", area.getId(), null, null, null).getItems()
                    .stream().map(Analysis::getId).toList(), "the area's analyses, newest first");

            // The trend: both sessions, usable, and every rated metric with a value for each.
            Trend trend = records.getTrend(area.getId(), null);
            assertEquals(area.getId(), trend.getAreaId());
            assertEquals("GEN-001", trend.getPatient());
            assertEquals(LocalDate.of(2026, 1, 5), trend.getBaselineDate());
            assertEquals(up1.getPhoto().getId(), trend.getBaselinePhoto());
            List<TrendSession> sessions = trend.getSessions();
            assertEquals(List.of(first.getId(), second.getId()), sessions.stream().map(TrendSession::getSessionId).toList());
            assertEquals(List.of(a1.getId(), a2.getId()), sessions.stream().map(TrendSession::getAnalysisId).toList());
            assertEquals(List.of(up1.getPhoto().getId(), up2.getPhoto().getId()),
                    sessions.stream().map(TrendSession::getPhoto).toList());
            for (TrendSession s : sessions) {
                assertEquals(TrendSession.StateEnum.DONE, s.getState());
                assertTrue(s.getUsable(), () -> "usable: " + s);
            }
            assertFalse(trend.getMetrics().isEmpty());
            for (Map.Entry<String, TrendMetric> m : trend.getMetrics().entrySet()) {
                assertEquals(List.of(LocalDate.of(2026, 1, 5), LocalDate.of(2026, 2, 5)), m.getValue().getDates(), m.getKey());
                assertEquals(2, m.getValue().getValues().stream().filter(Objects::nonNull).count(), m.getKey());
                assertNotNull(m.getValue().getVerdict(), m.getKey());
            }
            // The trend's values are the analyses' numbers: the baseline's pore density is the first value.
            TrendMetric density = trend.getMetrics().get("pores.densityPerCm2");
            assertNotNull(density, () -> "rated metrics: " + trend.getMetrics().keySet());
            assertEquals(a1.getResult().getScore().getPores().getDensityPerCm2().doubleValue(),
                    density.getValues().get(0).doubleValue(), 1e-6);

            // The delivery log, read through the client: both analyses delivered, their bodies ids only. (The receiver holds a
            // request a moment before the service records it: wait for the record.)
            long recorded = System.nanoTime() + 10_000_000_000L;
            while (webhooks.listWebhookDeliveries(hook.getId(), null, null).getItems().stream()
                    .anyMatch(d -> d.getState() == WebhookDelivery.StateEnum.PENDING) && System.nanoTime() < recorded) {
                Thread.sleep(50);
            }
            List<WebhookDelivery> log = webhooks.listWebhookDeliveries(hook.getId(), null, null).getItems();
            assertEquals(java.util.Set.of(a1.getId(), a2.getId()), log.stream().map(d -> d.getEvent().getData().getAnalysisId())
                    .collect(java.util.stream.Collectors.toSet()));
            for (WebhookDelivery d : log) {
                assertEquals(WebhookDelivery.StateEnum.DELIVERED, d.getState());
                assertEquals(200, d.getLastStatus());
                assertEquals(patient.getId(), d.getEvent().getData().getPatientId());
            }

            // The FHIR export of the patient, through the client: a collection with the patient and observations.
            FhirBundle bundle = records.getPatientFhir(patient.getId());
            assertEquals(FhirBundle.ResourceTypeEnum.BUNDLE, bundle.getResourceType());
            assertTrue(bundle.getEntry().size() > 2, "patient, observations, report, media: " + bundle.getEntry().size());

            // A share link: made, read back, and its url opens the report without a key.
            ReportLink link = records.createReportLink(area.getId(), new CreateReportLinkRequest().expiresInHours(2));
            assertEquals(area.getId(), link.getAreaId());
            assertEquals(ReportLink.StateEnum.ACTIVE, link.getState());
            assertEquals(clinicianKey.getId(), link.getCreatedBy());
            assertEquals(Duration.ofHours(2), Duration.between(link.getCreatedAt(), link.getExpiresAt()));
            String url = link.getUrl().toString();
            String prefix = base + "/shared/reports/";
            assertTrue(url.startsWith(prefix), url);
            ReportLink stored = records.getReportLink(link.getId());
            assertNull(stored.getUrl(), "the token is shown once");
            assertEquals(link.url(null), stored);
            File report = new RecordsApi(client(base, null)).getSharedReport(url.substring(prefix.length()), null);
            String html = Files.readString(report.toPath());
            Files.delete(report.toPath()); // the client's download lands in the system's temporary folder
            assertTrue(html.contains("Treatment progress: GEN-001, left-cheek"), "the shared report");
            assertTrue(html.contains("2026-02-05"), "with the second session");
        }
    }
}
