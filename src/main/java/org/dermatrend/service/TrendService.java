package org.dermatrend.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.dermatrend.wire.ChangeInfo;
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
        List<TrendInfo.Session> entries = new ArrayList<>();
        Map<String, Double> baselineOwn = null;
        for (DatedPhoto dp : photos.listByArea(caller.clinicId(), area.id())) {
            Analysis a = queue.findByPhoto(caller.clinicId(), dp.photo().id()).orElseThrow();
            boolean post = TrendBuilder.postTreatment(dp.sessionDate(), treatments);
            Map<String, Double> values = null;
            String reason = null;
            List<String> warnings = null;
            if (a.state() != AnalysisState.DONE) {
                reason = a.state() == AnalysisState.FAILED ? a.failureCode() : a.state().label();
            } else {
                JsonNode result = json.readTree(a.resultJson());
                warnings = warnings(result.get("score"));
                Map<String, Double> own = ChangeInfo.metrics(result.get("score"));
                if (result.get("baseline").asBoolean()) {
                    if (baselineOwn == null) {
                        baselineOwn = own;
                        values = own;
                    } else {
                        reason = "second_baseline";
                    }
                } else if (baselineOwn == null) {
                    reason = "baseline_not_usable";
                } else {
                    values = TrendBuilder.anchored(baselineOwn, ChangeInfo.metrics(result.get("baselineScore")), own);
                }
            }
            entries.add(new TrendInfo.Session(dp.sessionDate(), dp.photo().id(), dp.photo().sessionId(), a.id(), a.state().label(),
                    values != null, reason, post, warnings, values));
        }
        return trends.build(patient.reference(), area.name(), area.id(), entries, includePostTreatment, List.of());
    }

    /** The codes of the quality gate's warnings (not failures) in a score. */
    public static List<String> warnings(JsonNode score) {
        List<String> out = new ArrayList<>();
        if (score != null && score.has("quality")) {
            for (JsonNode i : score.get("quality").get("issues")) {
                if ("warning".equals(i.get("severity").asText())) {
                    out.add(i.get("code").asText());
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    private Area area(Caller caller, String id) {
        return areas.area(caller, id);
    }
}
