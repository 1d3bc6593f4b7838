package org.dermatrend.service;

/**
 * The services of a clinic's records, one per resource, as the HTTP API and the demo loader take
 * them. Built in {@code ServiceApp}.
 */
public record RecordServices(PatientService patients, AreaService areas, SessionService sessions, PhotoService photos,
                             AnalysisReadService analyses, TrendService trends) {
}
