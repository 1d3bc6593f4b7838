package org.dermatrend.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dermatrend.analysis.Analyzer;
import org.dermatrend.analysis.Which;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.wire.AnalysisResult;

/**
 * Runs one queued analysis: the photo against its area's baseline, through {@link Analyzer#analyse} (the
 * same as {@code dermatrend trend} does). The baseline is the area's first photo by date that is usable,
 * judged as the trend judges it ({@link org.dermatrend.analysis.Sessions}): an earlier photo whose
 * analysis is done as a baseline is usable, one whose analysis failed (for any reason) or was measured
 * as a follow-up is not, and one still waiting is judged on the spot the same way its own analysis will
 * judge it (decode, rectangles, gate). With no usable earlier photo, this photo is scored as the
 * baseline. An expected failure is an {@link Outcome} with a code and the details a reviewer needs; a bug
 * propagates and the worker records it as {@code internal_error}.
 */
public final class AnalysisRunner {
    private final Analyzer analyzer;
    private final ScoringService scoring;
    private final PatientRepository patients;
    private final PhotoRepository photos;
    private final AnalysisQueue queue;
    private final PhotoStore store;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public AnalysisRunner(Analyzer analyzer, ScoringService scoring, PatientRepository patients, PhotoRepository photos,
                          AnalysisQueue queue, PhotoStore store, ObjectMapper json, MeterRegistry meters) {
        this.analyzer = analyzer;
        this.scoring = scoring;
        this.patients = patients;
        this.photos = photos;
        this.queue = queue;
        this.store = store;
        this.json = json;
        this.meters = meters;
    }

    /** How an analysis ended: {@code failureCode} null means done. */
    public record Outcome(String failureCode, String message, String json) {
        public boolean done() {
            return failureCode == null;
        }
    }

    /** The job's photo (or one it needs, its baseline) was erased while the job waited or ran: there is nothing to record. */
    public static final class Gone extends RuntimeException {
        Gone(String message) {
            super(message, null, false, false);
        }
    }

    public Outcome run(Analysis job) throws IOException, InterruptedException {
        Photo photo = photos.find(job.clinicId(), job.photoId()).orElseThrow(
                () -> new Gone("analysis " + job.id() + ": its photo was erased"));
        Area area = patients.findArea(job.clinicId(), photo.areaId()).orElseThrow(
                () -> new Gone("analysis " + job.id() + ": its area was erased"));
        Analysis latest = queue.findByPhoto(job.clinicId(), photo.id()).orElseThrow();
        if (!latest.id().equals(job.id())) {
            // A correction queued a newer analysis of the photo: this one's inputs are stale, and nothing reads it.
            return new Outcome("superseded", "A newer analysis of this photo (" + latest.id() + ") replaced this one after a "
                    + "correction.", "{\"code\":\"superseded\",\"analysisId\":\"" + latest.id() + "\"}");
        }
        Analyzer.AreaSettings settings = Analyzer.AreaSettings.of(area.mmPerPx(), area.roi());
        StageTimer timer = new StageTimer();
        // The pixels this analysis decodes: its photo and, as a follow-up, a baseline no larger than the area's largest photo.
        long largestOther = photos.listByArea(job.clinicId(), area.id()).stream().map(DatedPhoto::photo)
                .filter(p -> !p.id().equals(photo.id())).mapToLong(p -> (long) p.width() * p.height()).max().orElse(0);
        Outcome outcome = scoring.asWorker((long) photo.width() * photo.height() + largestOther, () -> {
            // Listed once the turn is ours: a photo added while this job waited is seen.
            timer.restart();
            List<DatedPhoto> series = photos.listByArea(job.clinicId(), area.id());
            Optional<Photo> baseline = baseline(job.clinicId(), series, photo, settings);
            timer.lap("baseline");
            return record(analyzer.analyse(source(photo), baseline.map(this::source), settings, timer, Analyzer.NONE), baseline);
        });
        for (Map.Entry<String, Double> lap : timer.millis().entrySet()) {
            Timer.builder("dermatrend.analysis.stage").description("Time an analysis spent in each stage")
                    .tag("stage", lap.getKey()).register(meters).record((long) (lap.getValue() * 1000), TimeUnit.MICROSECONDS);
        }
        return outcome;
    }

    /** The first usable photo of the area before {@code photo}; empty when there is none (it is the baseline candidate). */
    private Optional<Photo> baseline(String clinicId, List<DatedPhoto> series, Photo photo, Analyzer.AreaSettings settings)
            throws IOException {
        for (DatedPhoto dp : series) {
            Photo earlier = dp.photo();
            if (earlier.id().equals(photo.id())) {
                return Optional.empty();
            }
            if (usableAsBaseline(clinicId, earlier, settings)) {
                return Optional.of(earlier);
            }
        }
        throw new IllegalStateException("photo " + photo.id() + " is not among its area's photos");
    }

    private boolean usableAsBaseline(String clinicId, Photo p, Analyzer.AreaSettings settings) throws IOException {
        Analysis a = queue.findByPhoto(clinicId, p.id()).orElseThrow(
                () -> new IllegalStateException("photo " + p.id() + " has no analysis"));
        return switch (a.state()) {
            case DONE -> AnalysisResult.read(json, a.resultJson()).baseline();
            case FAILED -> false;
            case QUEUED, RUNNING -> analyzer.usableAsBaseline(source(p), settings);
        };
    }

    private Analyzer.Photo source(Photo p) {
        return Analyzer.Photo.of(p.id(), decoder -> decoder.decode(read(p)), p.grayRef());
    }

    /** The stored form of an outcome: the result, or the failure's code, message and details. */
    private Outcome record(org.dermatrend.analysis.Outcome<AnalysisResult> o, Optional<Photo> baseline) throws IOException {
        if (o.done()) {
            return new Outcome(null, null, json.writeValueAsString(o.valueOrNull()));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("detail", o.detail());
        String message = o.message();
        if (o instanceof org.dermatrend.analysis.Outcome.Refused<AnalysisResult> r) {
            if (r.which() == Which.BASELINE) {
                String id = baseline.orElseThrow().id();
                message = "The area's baseline photo " + id + " cannot be decoded: " + r.refusal().message();
                details.put("baselinePhotoId", id);
            } else {
                message = r.refusal().message();
                details.put("reason", r.refusal().code().code());
            }
        } else if (o instanceof org.dermatrend.analysis.Outcome.Invalid<AnalysisResult> i) {
            details.put("field", i.field());
        } else if (o instanceof org.dermatrend.analysis.Outcome.GateFailed<AnalysisResult> g) {
            message = g.which() == Which.BASELINE ? g.message()
                    : baseline.isEmpty() ? "The photo failed the quality gate, and the area has no earlier usable photo to "
                    + "compare it with: " + g.errors() : "The photo failed the quality gate: " + g.errors();
            details.put("issues", g.issues());
            details.put("result", g.value());
        } else if (o instanceof org.dermatrend.analysis.Outcome.NotAligned<AnalysisResult> n) {
            message = "The photo could not be shown to be the same skin as the area's baseline (" + n.alignment().reason() + "): "
                    + n.alignment().message();
            details.put("reason", n.alignment().reason());
            details.put("alignment", n.alignment());
            details.put("baselinePhotoId", baseline.orElseThrow().id());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", o.code().code());
        body.put("message", message);
        body.putAll(details);
        return new Outcome(o.code().code(), message, json.writeValueAsString(body));
    }

    /**
     * The photo store did not answer (an S3 outage, a timeout): nothing is wrong with the analysis, so it is not failed
     * but left to its lease, after which it is claimed again (up to the attempt limit).
     */
    public static final class StoreUnavailable extends IOException {
        StoreUnavailable(String message, IOException cause) {
            super(message, cause);
        }
    }

    private byte[] read(Photo p) throws IOException {
        java.util.Optional<byte[]> bytes;
        try {
            bytes = store.get(p.clinicId(), p.sha256());
        } catch (IOException e) {
            throw new StoreUnavailable("photo " + p.id() + " could not be read from the photo store " + store.location(), e);
        }
        if (bytes.isPresent()) {
            return bytes.get();
        }
        if (photos.find(p.clinicId(), p.id()).isEmpty()) {
            throw new Gone("photo " + p.id() + " was erased while it was being analysed");
        }
        throw new IOException("photo " + p.id() + " has no bytes in the photo store (sha256 " + p.sha256()
                + "); the store folder was moved or damaged");
    }
}
