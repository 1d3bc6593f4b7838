package org.dermatrend.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import org.dermatrend.service.AnalysisReadService;
import org.dermatrend.service.AreaService;
import org.dermatrend.service.Caller;
import org.dermatrend.service.Change;
import org.dermatrend.service.PatientService;
import org.dermatrend.service.PhotoService;
import org.dermatrend.service.RecordServices;
import org.dermatrend.service.SessionService;
import org.dermatrend.service.TrendService;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.Photo;

/** Patients, areas, sessions, photos, analyses and trends: parse, call the resource's service, map. */
final class RecordsController {
    private final PatientService patients;
    private final AreaService areas;
    private final SessionService sessions;
    private final PhotoService photos;
    private final AnalysisReadService analyses;
    private final TrendService trends;
    private final Requests requests;
    private final ObjectMapper json;

    RecordsController(RecordServices records, Requests requests, ObjectMapper json) {
        this.patients = records.patients();
        this.areas = records.areas();
        this.sessions = records.sessions();
        this.photos = records.photos();
        this.analyses = records.analyses();
        this.trends = records.trends();
        this.requests = requests;
        this.json = json;
    }

    void routes(RoutesConfig r) {
        r.post("/v1/patients", this::createPatient);
        r.get("/v1/patients", this::listPatients);
        r.get("/v1/patients/{patientId}", ctx -> ctx.json(ApiViews.PatientView.of(patients.patient(caller(ctx), ctx.pathParam("patientId")))));
        r.post("/v1/patients/{patientId}/areas", this::createArea);
        r.get("/v1/patients/{patientId}/areas", ctx -> ctx.json(new ApiViews.ListView<>(areas.listAreas(caller(ctx),
                ctx.pathParam("patientId")).stream().map(ApiViews.AreaView::of).toList())));
        r.get("/v1/areas/{areaId}", ctx -> ctx.json(ApiViews.AreaView.of(areas.area(caller(ctx), ctx.pathParam("areaId")))));
        r.get("/v1/areas/{areaId}/trend", ctx -> ctx.json(trends.trend(caller(ctx), ctx.pathParam("areaId"),
                "true".equalsIgnoreCase(ctx.queryParam("includePostTreatment")))));
        r.post("/v1/patients/{patientId}/sessions", this::createSession);
        r.get("/v1/patients/{patientId}/sessions", ctx -> ctx.json(new ApiViews.ListView<>(sessions.listSessions(caller(ctx),
                ctx.pathParam("patientId")).stream().map(ApiViews.SessionView::of).toList())));
        r.get("/v1/sessions/{sessionId}", ctx -> ctx.json(ApiViews.SessionView.of(sessions.session(caller(ctx), ctx.pathParam("sessionId")))));
        r.post("/v1/sessions/{sessionId}/photos", this::upload);
        r.get("/v1/sessions/{sessionId}/photos", ctx -> {
            Caller c = caller(ctx);
            ctx.json(new ApiViews.ListView<>(photos.listPhotos(c, ctx.pathParam("sessionId")).stream()
                    .map(p -> ApiViews.PhotoView.of(p, analyses.analysisOfPhoto(c, p).id())).toList()));
        });
        r.get("/v1/photos/{photoId}", ctx -> {
            Caller c = caller(ctx);
            Photo p = photos.photo(c, ctx.pathParam("photoId"));
            ctx.json(ApiViews.PhotoView.of(p, analyses.analysisOfPhoto(c, p).id()));
        });
        r.get("/v1/photos/{photoId}/image", ctx -> {
            PhotoService.Image image = photos.photoImage(caller(ctx), ctx.pathParam("photoId"));
            ctx.header("Cache-Control", "private, no-store").contentType(image.mediaType()).result(image.bytes());
        });
        r.get("/v1/analyses", ctx -> {
            int limit = Requests.intQuery(ctx, "limit", 100, 1, 500);
            int offset = Requests.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            String area = ctx.queryParam("areaId");
            java.util.List<ApiViews.AnalysisView> items = new java.util.ArrayList<>();
            for (Analysis a : analyses.listAnalyses(caller(ctx), ctx.queryParam("state"), area == null || area.isBlank() ? null : area,
                    Requests.instantQuery(ctx, "since"), limit, offset)) {
                items.add(view(a));
            }
            ctx.json(new ApiViews.PageView<>(items, limit, offset));
        });
        r.get("/v1/analyses/{analysisId}", ctx -> ctx.json(view(analyses.analysis(caller(ctx), ctx.pathParam("analysisId")))));

        // --- corrections (JSON merge patch) and erasure ---
        r.patch("/v1/patients/{patientId}", ctx -> {
            Requests.Patch<Bodies.PatientPatch> p = requests.patch(ctx, Bodies.PatientPatch.class);
            ctx.json(ApiViews.PatientView.of(patients.updatePatient(caller(ctx), ctx.pathParam("patientId"), p.value().reference())));
        });
        r.delete("/v1/patients/{patientId}", ctx -> ctx.json(ApiViews.ErasedView.of("patient", ctx.pathParam("patientId"),
                patients.deletePatient(caller(ctx), ctx.pathParam("patientId")))));
        r.patch("/v1/areas/{areaId}", ctx -> {
            Requests.Patch<Bodies.AreaPatch> p = requests.patch(ctx, Bodies.AreaPatch.class);
            Bodies.AreaPatch b = p.value();
            ctx.json(ApiViews.AreaView.of(areas.updateArea(caller(ctx), ctx.pathParam("areaId"), new AreaService.AreaChange(
                    change(p, "name", b.name()), change(p, "roi", Requests.rect("roi", b.roi())), change(p, "mmPerPx", b.mmPerPx())))));
        });
        r.delete("/v1/areas/{areaId}", ctx -> ctx.json(ApiViews.ErasedView.of("area", ctx.pathParam("areaId"),
                areas.deleteArea(caller(ctx), ctx.pathParam("areaId")))));
        r.patch("/v1/sessions/{sessionId}", ctx -> {
            Requests.Patch<Bodies.SessionPatch> p = requests.patch(ctx, Bodies.SessionPatch.class);
            Bodies.SessionPatch b = p.value();
            Bodies.Treatment t = b.treatment() == null ? new Bodies.Treatment(null, null, null, null) : b.treatment();
            boolean clearAll = p.has("treatment") && b.treatment() == null;
            ctx.json(ApiViews.SessionView.of(sessions.updateSession(caller(ctx), ctx.pathParam("sessionId"),
                    new SessionService.SessionChange(change(p, "date", b.date()),
                            clearAll ? Change.to(null) : change(p, "treatment.device", t.device()),
                            clearAll ? Change.to(null) : change(p, "treatment.needleDepthMm", t.needleDepthMm()),
                            clearAll ? Change.to(null) : change(p, "treatment.passes", t.passes()),
                            clearAll ? Change.to(null) : change(p, "treatment.notes", t.notes())))));
        });
        r.delete("/v1/sessions/{sessionId}", ctx -> ctx.json(ApiViews.ErasedView.of("session", ctx.pathParam("sessionId"),
                sessions.deleteSession(caller(ctx), ctx.pathParam("sessionId")))));
        r.patch("/v1/photos/{photoId}", ctx -> {
            Caller c = caller(ctx);
            Requests.Patch<Bodies.PhotoPatch> p = requests.patch(ctx, Bodies.PhotoPatch.class);
            Photo updated = photos.updatePhoto(c, ctx.pathParam("photoId"), new PhotoService.PhotoChange(
                    change(p, "sessionId", p.value().sessionId()), change(p, "grayRef", Requests.rect("grayRef", p.value().grayRef()))));
            ctx.json(ApiViews.PhotoView.of(updated, analyses.analysisOfPhoto(c, updated).id()));
        });
        r.delete("/v1/photos/{photoId}", ctx -> ctx.json(ApiViews.ErasedView.of("photo", ctx.pathParam("photoId"),
                photos.deletePhoto(caller(ctx), ctx.pathParam("photoId")))));
    }

    /** A merge-patch field: kept when the body leaves it out. */
    private static <T> Change<T> change(Requests.Patch<?> p, String field, T value) {
        return p.has(field) ? Change.to(value) : Change.keep();
    }

    private static Caller caller(Context ctx) {
        return ApiServer.caller(ctx);
    }

    private void createPatient(Context ctx) {
        Bodies.NewPatient body = requests.body(ctx, Bodies.NewPatient.class);
        var p = patients.createPatient(caller(ctx), body.reference());
        Audit.subject(ctx, "patient", p.id(), p.id());
        ctx.status(201).json(ApiViews.PatientView.of(p));
    }

    private void listPatients(Context ctx) {
        int limit = Requests.intQuery(ctx, "limit", 100, 1, 500);
        int offset = Requests.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ctx.json(new ApiViews.PageView<>(patients.listPatients(caller(ctx), ctx.queryParam("reference"), limit, offset).stream()
                .map(ApiViews.PatientView::of).toList(), limit, offset));
    }

    private void createArea(Context ctx) {
        Bodies.NewArea body = requests.body(ctx, Bodies.NewArea.class);
        var a = areas.createArea(caller(ctx), ctx.pathParam("patientId"), body.name(), Requests.rect("roi", body.roi()), body.mmPerPx());
        Audit.subject(ctx, "area", a.id(), a.patientId());
        ctx.status(201).json(ApiViews.AreaView.of(a));
    }

    private void createSession(Context ctx) {
        Bodies.NewSession body = requests.body(ctx, Bodies.NewSession.class);
        Bodies.Treatment t = body.treatment() == null ? new Bodies.Treatment(null, null, null, null) : body.treatment();
        var s = sessions.createSession(caller(ctx), ctx.pathParam("patientId"),
                new SessionService.SessionInput(body.date(), t.device(), t.needleDepthMm(), t.passes(), t.notes()));
        Audit.subject(ctx, "session", s.id(), s.patientId());
        ctx.status(201).json(ApiViews.SessionView.of(s));
    }

    private void upload(Context ctx) throws IOException {
        Caller c = caller(ctx);
        // Role and session are checked before the body is read: a refused caller does not get to stream a photo.
        photos.uploadTarget(c, ctx.pathParam("sessionId"));
        requests.requireMultipart(ctx);
        requests.withStoredUpload(ctx, body -> {
            byte[] bytes = Requests.file(body, "photo");
            PhotoService.Upload upload = new PhotoService.Upload(bytes, Requests.field(body, "areaId"),
                    Requests.rectParam("grayRef", Requests.field(body, "grayRef")), ctx.header("Idempotency-Key"),
                    Requests.booleanField("replace", Requests.field(body, "replace")));
            PhotoService.Uploaded up = photos.upload(c, ctx.pathParam("sessionId"), upload);
            Audit.subject(ctx, "photo", up.photo().id(), null);
            if (up.replayed()) {
                ctx.header("Idempotent-Replayed", "true");
            }
            ctx.header("Location", "/v1/analyses/" + up.analysis().id());
            ctx.status(up.replayed() ? 200 : 201).json(new ApiViews.UploadView(ApiViews.PhotoView.of(up.photo(), up.analysis().id()),
                    view(up.analysis())));
        });
    }

    private ApiViews.AnalysisView view(Analysis a) throws IOException {
        ApiViews.FailureView failure = null;
        com.fasterxml.jackson.databind.JsonNode result = null;
        if (a.failureCode() != null) {
            failure = new ApiViews.FailureView(a.failureCode(), a.failureMessage(), a.resultJson() == null ? null : json.readTree(a.resultJson()));
        } else if (a.resultJson() != null) {
            result = json.readTree(a.resultJson());
        }
        return new ApiViews.AnalysisView(a.id(), a.photoId(), a.state().label(), a.attempts(), a.queuedAt(), a.startedAt(),
                a.finishedAt(), a.redoReason(), failure, result);
    }
}
