package org.dermatrend.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dermatrend.analysis.Services;
import org.dermatrend.report.ReportPage;
import org.dermatrend.report.ReportPdf;
import org.dermatrend.report.ReportVisuals;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Role;
import org.dermatrend.analysis.SeriesMeasurer;
import org.dermatrend.wire.TrendInfo;

/**
 * An area's report, served: the numbers are the area's trend (from its analyses); the pictures are
 * drawn from the stored photos, aligned again to the baseline (a few seconds per session, under a
 * scoring turn). Reports are cached per area until its analyses change. Also makes the signed links.
 */
public final class ReportService {
    private static final int CACHE = 16;

    private final AreaService areas;
    private final TrendService trends;
    private final ScoringService scoring;
    private final Services services;
    private final PhotoRepository photos;
    private final PhotoStore store;
    private final ReportLinks links;
    private final Clock clock;
    private final Map<String, Cached> cache = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE;
        }
    };

    private record Cached(String version, TrendInfo trend, Map<String, ReportVisuals.Frame> frames) {
    }

    public ReportService(AreaService areas, TrendService trends, ScoringService scoring, Services services, PhotoRepository photos,
                         PhotoStore store, ReportLinks links, Clock clock) {
        this.areas = areas;
        this.trends = trends;
        this.scoring = scoring;
        this.services = services;
        this.photos = photos;
        this.store = store;
        this.links = links;
        this.clock = clock;
    }

    public byte[] html(Caller caller, String areaId) throws IOException, InterruptedException {
        Cached c = build(caller, areaId);
        return ReportPage.html(c.trend(), c.frames(), today()).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] pdf(Caller caller, String areaId) throws IOException, InterruptedException {
        Cached c = build(caller, areaId);
        return ReportPdf.pdf(c.trend(), c.frames(), today());
    }

    /** A link to the area's report for {@code hours} hours. */
    public ReportLinks.Link link(Caller caller, String areaId, Integer hours) {
        caller.require("share reports", Role.ADMIN, Role.CLINICIAN, Role.REVIEWER);
        int h = hours == null ? 72 : hours;
        if (h < 1 || h > 720) {
            throw Failure.invalid("expiresInHours", "expiresInHours must be 1 to 720 (30 days), got " + h);
        }
        Area area = areas.area(caller, areaId);
        return links.sign(caller.clinicId(), area.id(), Duration.ofHours(h));
    }

    /** The caller a valid link stands for: a reviewer of the link's clinic, for that area only. */
    public ReportLinks.Grant redeem(String token) {
        return links.verify(token).orElseThrow(() -> Failure.notFound("shared report", "link (it is invalid or has expired)"));
    }

    public static Caller callerOf(ReportLinks.Grant g) {
        return new Caller(g.clinicId(), "shared-link", Role.REVIEWER, false);
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    }

    private Cached build(Caller caller, String areaId) throws IOException, InterruptedException {
        caller.require("read reports", Role.ADMIN, Role.CLINICIAN, Role.REVIEWER);
        Area area = areas.area(caller, areaId);
        TrendInfo trend = trends.trend(caller, area.id(), false);
        String version = String.join(",", trend.sessions().stream().map(s -> s.analysisId() + ":" + s.state()).toList());
        String key = caller.clinicId() + "/" + area.id();
        synchronized (cache) {
            Cached hit = cache.get(key);
            if (hit != null && hit.version().equals(version)) {
                return hit;
            }
        }
        List<SeriesMeasurer.Photo> series = new ArrayList<>();
        for (DatedPhoto dp : photos.listByArea(caller.clinicId(), area.id())) {
            byte[] bytes = store.get(dp.photo().sha256()).orElseThrow(() -> new IOException("photo " + dp.photo().id()
                    + " has no bytes in the store"));
            series.add(new SeriesMeasurer.Photo(dp.sessionDate(), dp.photo().id(), bytes, dp.photo().grayRef(), area.mmPerPx()));
        }
        ReportVisuals visuals = new ReportVisuals(services.overlays());
        scoring.asWorker(() -> new SeriesMeasurer(services.analyzer()).measure(series, area.roi(), List.of(), visuals));
        Cached built = new Cached(version, trend, visuals.frames());
        synchronized (cache) {
            cache.put(key, built);
        }
        return built;
    }
}
