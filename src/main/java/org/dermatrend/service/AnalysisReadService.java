package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;
import static org.dermatrend.service.RecordAccess.found;

import org.dermatrend.domain.Records;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.store.AnalysisQueue;

/** Reads the analyses that uploads queue (the workers write them; see {@link AnalysisWorkers}). */
public final class AnalysisReadService {
    private final AnalysisQueue queue;

    public AnalysisReadService(AnalysisQueue queue) {
        this.queue = queue;
    }

    public Analysis analysis(Caller caller, String id) {
        caller.require("read analyses", READERS);
        return found(queue.find(caller.clinicId(), id), "analysis", id);
    }

    /** A page of the clinic's analyses, newest first (each filter null for any). */
    public java.util.List<Analysis> listAnalyses(Caller caller, String state, String areaId, java.time.Instant since, int limit,
                                                 int offset) {
        caller.require("read analyses", READERS);
        Records.AnalysisState s = null;
        if (state != null) {
            s = java.util.Arrays.stream(Records.AnalysisState.values()).filter(v -> v.label().equals(state)).findFirst()
                    .orElseThrow(() -> Failure.invalid("state", "state must be queued, running, done or failed, got '" + state + "'"));
        }
        return queue.list(caller.clinicId(), s, areaId, since, limit, offset);
    }

    public Analysis analysisOfPhoto(Caller caller, Photo p) {
        return queue.findByPhoto(caller.clinicId(), p.id()).orElseThrow(() -> new IllegalStateException("photo " + p.id()
                + " has no analysis"));
    }
}
