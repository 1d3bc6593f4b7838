package org.dermatrend.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.dermatrend.service.FhirService;

/** The FHIR R4 export: a patient's or an area's records as one Bundle (application/fhir+json). */
final class FhirController {
    static final String FHIR_JSON = "application/fhir+json";

    private final FhirService fhir;
    private final String publicBaseUrl;

    /** @param publicBaseUrl the service's address as its users reach it (photo links are made absolute with it), or null */
    FhirController(FhirService fhir, String publicBaseUrl) {
        this.fhir = fhir;
        this.publicBaseUrl = publicBaseUrl;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/patients/{patientId}/fhir", ctx -> send(ctx, fhir.patientBundle(ApiServer.caller(ctx), ctx.pathParam("patientId"),
                ReportController.base(ctx, publicBaseUrl))));
        r.get("/v1/areas/{areaId}/fhir", ctx -> send(ctx, fhir.areaBundle(ApiServer.caller(ctx), ctx.pathParam("areaId"),
                ReportController.base(ctx, publicBaseUrl))));
    }

    private static void send(Context ctx, byte[] bundle) {
        ctx.header("Cache-Control", "private, no-store").contentType(FHIR_JSON).result(bundle);
    }
}
