package org.dermatrend.service;

import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.RecordEdits;

/** Where a clinic's records live: the repositories, the queue, the photo store and the edits across them. */
public record RecordStores(PatientRepository patients, PhotoRepository photos, AnalysisQueue queue, PhotoStore store,
                           RecordEdits edits) {
}
