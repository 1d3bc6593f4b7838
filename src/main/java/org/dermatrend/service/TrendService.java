package org.dermatrend.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.dermatrend.analysis.Outcome;
import org.dermatrend.analysis.Sessions;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.AnalysisState;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Records.TreatmentSession;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.trend.TrendBuilder;
import org.dermatrend.wire.AnalysisResult;
import org.dermatrend.wire.TrendInfo;

/** An area's trend, assembled from its photos' analyses. */
public final class TrendService {
    private final AreaService areas;
    private final PatientRepository patients;
    private final PhotoRepository photos;
    private final AnalysisQueue queue;
    private final ObjectMapper json;
    private final TrendBuilder trends;

    public TrendService(AreaService areas, PatientRepository patients, PhotoRepository photos, AnalysisQueue queue,
                        ObjectMapper json, TrendBuilder trends) {
        this.areas = areas;
        this.patients = patients;
        this.photos = photos;
        this.queue = queue;
        this.json = json;
        this.trends = trends;
    }

    /**
     * The area's trend (see {@link TrendBuilder}): every photo of the area in session order, its
     * analysis' values on the skin it shares with the baseline, and per metric the statistics and
     * verdict. A session with a recorded treatment (device, needle depth or passes) counts as a
     * treatment on its date for the post-treatment redness rule.
     */
    public TrendInfo trend(Caller caller, String areaId, boolean includePostTreatment) throws IOException {
        Area area = area(caller, areaId);
        Patient patient = patients.findPatient(caller.clinicId(), area.patientId()).orElseThrow();
        List<LocalDate> treatments = patients.listSessions(caller.clinicId(), patient.id()).stream()
                .filter(s -> s.device() != null || s.needleDepthMm() != null || s.passes() != null)
                .map(TreatmentSession::date).toList();
        List<Sessions.Entry> entries = new ArrayList<>();
        int redoing = 0;
        for (DatedPhoto dp : photos.listByArea(caller.clinicId(), area.id())) {
            Analysis a = queue.findByPhoto(caller.clinicId(), dp.photo().id()).orElseThrow();
            boolean post = TrendBuilder.postTreatment(dp.sessionDate(), treatments);
            AnalysisResult result = null;
            String reason = null;
            if (a.state() == AnalysisState.DONE) {
                result = AnalysisResult.read(json, a.resultJson());
            } else if (a.state() == AnalysisState.FAILED) {
                String detail = a.resultJson() == null ? null : json.readTree(a.resultJson()).path("detail").asText(null);
                reason = Outcome.reason(a.failureCode(), detail);
            } else if (a.redoReason() != null) {
                // Analysed again after a correction: its old values may be wrong, so it has none until this one ends.
                reason = "reanalysing:" + a.redoReason();
                redoing++;
            } else {
                reason = a.state().label();
            }
            entries.add(new Sessions.Entry(dp.sessionDate(), dp.photo().id(), dp.photo().sessionId(), a.id(), a.state().label(),
                    post, result, reason));
        }
        List<TrendInfo.Session> sessions = Sessions.assemble(entries);
        List<String> notes = redoing == 0 ? List.of() : List.of("reanalysing: " + redoing + " analys" + (redoing == 1 ? "is is" : "es are")
                + " being redone after a correction (their sessions say why); the trend changes when they finish.");
        return trends.build(patient.reference(), area.name(), area.id(), sessions, includePostTreatment, notes);
    }

    private Area area(Caller caller, String id) {
        return areas.area(caller, id);
    }
}
