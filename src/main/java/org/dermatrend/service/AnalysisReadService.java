package org.dermatrend.service;

import static org.dermatrend.service.RecordAccess.READERS;
import static org.dermatrend.service.RecordAccess.found;

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

    public Analysis analysisOfPhoto(Caller caller, Photo p) {
        return queue.findByPhoto(caller.clinicId(), p.id()).orElseThrow(() -> new IllegalStateException("photo " + p.id()
                + " has no analysis"));
    }
}
