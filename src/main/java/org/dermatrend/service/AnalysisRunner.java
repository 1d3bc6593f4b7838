package org.dermatrend.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.dermatrend.analysis.Services;
import org.dermatrend.compare.PairComparer;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.measure.SkinScore;
import org.dermatrend.prepare.PhotoContext;
import org.dermatrend.prepare.StageTimer;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.wire.AnalysisResult;
import org.dermatrend.wire.CompareInfo;
import org.dermatrend.wire.ScoreInfo;

/**
 * Runs one queued analysis: the photo against its area's baseline (see {@link AnalysisResult}).
 * An expected failure (photo refused, quality gate, alignment refused) is an {@link Outcome} with a
 * code and the details a reviewer needs; a bug propagates and the worker records it as
 * {@code internal_error}.
 */
public final class AnalysisRunner {
    private final Services services;
    private final ScoringService scoring;
    private final PatientRepository patients;
    private final PhotoRepository photos;
    private final PhotoStore store;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public AnalysisRunner(Services services, ScoringService scoring, PatientRepository patients, PhotoRepository photos,
                          PhotoStore store, ObjectMapper json, MeterRegistry meters) {
        this.services = services;
        this.scoring = scoring;
        this.patients = patients;
        this.photos = photos;
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

    public Outcome run(Analysis job) throws IOException, InterruptedException {
        Photo photo = photos.find(job.clinicId(), job.photoId()).orElseThrow(
                () -> new IllegalStateException("analysis " + job.id() + " names photo " + job.photoId() + ", which is gone"));
        Area area = patients.findArea(job.clinicId(), photo.areaId()).orElseThrow(
                () -> new IllegalStateException("photo " + photo.id() + " names area " + photo.areaId() + ", which is gone"));
        List<DatedPhoto> series = photos.listByArea(job.clinicId(), area.id());
        Photo baseline = series.get(0).photo();
        StageTimer timer = new StageTimer();
        Outcome outcome = scoring.asWorker(() -> {
            try {
                return baseline.id().equals(photo.id()) ? runBaseline(photo, area, timer) : runFollowUp(baseline, photo, area, timer);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (Map.Entry<String, Double> lap : timer.millis().entrySet()) {
            Timer.builder("dermatrend.analysis.stage").description("Time an analysis spent in each stage")
                    .tag("stage", lap.getKey()).register(meters).record((long) (lap.getValue() * 1000), TimeUnit.MICROSECONDS);
        }
        return outcome;
    }

    private Outcome runBaseline(Photo photo, Area area, StageTimer timer) throws IOException {
        byte[] bytes = read(photo);
        DecodeResult r = services.decoder().decode(bytes);
        timer.lap("decode");
        if (r.isRefused()) {
            return failed("image_refused", r.refusal().message(), Map.of("reason", r.refusal().code().code()));
        }
        PhotoContext context = new PhotoContext(area.mmPerPx() == null ? OptionalDouble.empty() : OptionalDouble.of(area.mmPerPx()),
                Optional.ofNullable(photo.grayRef()), Optional.ofNullable(area.roi()));
        try (DecodedPhoto decoded = r.photo()) {
            if (area.roi() != null && !area.roi().fitsIn(decoded.width(), decoded.height())) {
                return failed("roi_outside_image", "The area's region of interest " + area.roi() + " does not lie inside its "
                        + "baseline photo (" + decoded.width() + "x" + decoded.height() + " px).", Map.of());
            }
            if (photo.grayRef() != null && !photo.grayRef().fitsIn(decoded.width(), decoded.height())) {
                return failed("gray_ref_outside_image", "The grey card rectangle " + photo.grayRef() + " does not lie inside "
                        + "the photo (" + decoded.width() + "x" + decoded.height() + " px).", Map.of());
            }
            try (SkinScore score = services.scorer().score(decoded, context, timer)) {
                ScoreInfo info = ScoreInfo.of(photo.id(), decoded, score, context, false);
                AnalysisResult result = AnalysisResult.ofBaseline(photo.id(), info);
                if (!info.quality().ok()) {
                    return failed("quality_failed", "The photo failed the quality gate; it cannot serve as the area's baseline.",
                            Map.of("issues", info.quality().issues(), "result", result));
                }
                return new Outcome(null, null, json.writeValueAsString(result));
            }
        }
    }

    private Outcome runFollowUp(Photo baseline, Photo photo, Area area, StageTimer timer) throws IOException {
        DecodeResult rb = services.decoder().decode(read(baseline));
        if (rb.isRefused()) {
            return failed("baseline_refused", "The area's baseline photo " + baseline.id() + " cannot be decoded: "
                    + rb.refusal().message(), Map.of("baselinePhotoId", baseline.id()));
        }
        try (DecodedPhoto before = rb.photo()) {
            DecodeResult ra = services.decoder().decode(read(photo));
            timer.lap("decode");
            if (ra.isRefused()) {
                return failed("image_refused", ra.refusal().message(), Map.of("reason", ra.refusal().code().code()));
            }
            try (DecodedPhoto after = ra.photo()) {
                PairComparer.Request request = new PairComparer.Request(
                        area.mmPerPx() == null ? OptionalDouble.empty() : OptionalDouble.of(area.mmPerPx()),
                        Optional.ofNullable(baseline.grayRef()), Optional.ofNullable(photo.grayRef()), Optional.ofNullable(area.roi()));
                CompareInfo c;
                try {
                    c = scoring.compareDecoded(before, after, request, timer);
                } catch (Failure f) {
                    return failed(f.code().replace('-', '_'), f.getMessage(), f.details());
                }
                if (!c.alignment().ok()) {
                    return failed("alignment_refused", "The photo could not be shown to be the same skin as the area's baseline ("
                            + c.alignment().reason() + "): " + c.alignment().message(),
                            Map.of("reason", c.alignment().reason(), "alignment", c.alignment(), "baselinePhotoId", baseline.id()));
                }
                AnalysisResult result = AnalysisResult.ofFollowUp(baseline.id(), c);
                if (!c.after().quality().ok()) {
                    return failed("quality_failed", "The photo failed the quality gate.",
                            Map.of("issues", c.after().quality().issues(), "result", result));
                }
                if (!c.before().quality().ok()) {
                    return failed("baseline_quality_failed", "The area's baseline photo fails the quality gate on the "
                            + "region both photos share, so no change can be measured against it.",
                            Map.of("issues", c.before().quality().issues(), "result", result));
                }
                return new Outcome(null, null, json.writeValueAsString(result));
            }
        }
    }

    private byte[] read(Photo p) throws IOException {
        return store.get(p.sha256()).orElseThrow(() -> new IOException("photo " + p.id() + " has no bytes in the photo store "
                + "(sha256 " + p.sha256() + "); the store folder was moved or damaged"));
    }

    private Outcome failed(String code, String message, Map<String, ?> details) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.putAll(details);
        return new Outcome(code, message, json.writeValueAsString(body));
    }
}
