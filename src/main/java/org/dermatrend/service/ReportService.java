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
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import org.dermatrend.store.LinkRepository;
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
 * scoring turn). Reports are cached per area until its analyses change, and dropped from the cache when
 * the area's records are erased.
 *
 * <p>Also the share links: a link is a record ({@link LinkRepository}) with a random 256-bit token, of
 * which only the SHA-256 is stored, and a snapshot of the report as it was when the link was made (what
 * was shared, not a live view). A link stops working when it expires, when it is revoked, when the key
 * that made it is revoked, and when a record it shows is erased (its snapshot is dropped then).
 */
public final class ReportService {
    private static final int CACHE = 16;
    /** Active share links one area may have (each holds a snapshot of 0.3 to 3 MB). */
    static final int MAX_ACTIVE_LINKS = 20;

    private final AreaService areas;
    private final TrendService trends;
    private final ScoringService scoring;
    private final Services services;
    private final PhotoRepository photos;
    private final PhotoStore store;
    private final LinkRepository links;
    private final ObjectMapper json;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE;
        }
    };

    private record Cached(String version, TrendInfo trend, Map<String, ReportVisuals.Frame> frames) {
    }

    public ReportService(AreaService areas, TrendService trends, ScoringService scoring, Services services, PhotoRepository photos,
                         PhotoStore store, LinkRepository links, Erasures erasures, ObjectMapper json, Clock clock) {
        this.areas = areas;
        this.trends = trends;
        this.scoring = scoring;
        this.services = services;
        this.photos = photos;
        this.store = store;
        this.links = links;
        this.json = json;
        this.clock = clock;
        erasures.onErased(e -> forget(e.areaIds()));
    }

    /** Drops the cached reports of these areas (their records changed or were erased). */
    void forget(List<String> areaIds) {
        synchronized (cache) {
            cache.keySet().removeIf(k -> areaIds.stream().anyMatch(a -> k.endsWith("/" + a)));
        }
    }

    public byte[] html(Caller caller, String areaId) throws IOException, InterruptedException {
        Cached c = build(caller, areaId);
        return ReportPage.html(c.trend(), c.frames(), today()).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] pdf(Caller caller, String areaId) throws IOException, InterruptedException {
        return pdfWithTrend(caller, areaId).pdf();
    }

    /** The area's PDF report and the trend it shows, from one reading of the records. */
    public record Pdf(TrendInfo trend, byte[] pdf) {
    }

    /** The PDF report with its trend (the FHIR export's numbers are exactly those the PDF prints). */
    public Pdf pdfWithTrend(Caller caller, String areaId) throws IOException, InterruptedException {
        Cached c = build(caller, areaId);
        return new Pdf(c.trend(), ReportPdf.pdf(c.trend(), c.frames(), today()));
    }

    /** A new link: the only time its token is known. */
    public record NewLink(LinkRepository.Link link, String token) {
    }

    /** What a share link shows: the report as it was when the link was made. */
    record Snapshot(String generatedOn, TrendInfo trend, Map<String, ReportVisuals.Frame> frames) {
    }

    /**
     * Shares the area's report for {@code hours} hours (default 72, at most 720): a snapshot of it now,
     * behind a new random token. Admins and clinicians (a reviewer reads, but does not give records away).
     */
    public NewLink link(Caller caller, String areaId, Integer hours) throws IOException, InterruptedException {
        caller.require("share reports", Role.ADMIN, Role.CLINICIAN);
        int h = hours == null ? 72 : hours;
        if (h < 1 || h > 720) {
            throw Failure.invalid("expiresInHours", "expiresInHours must be 1 to 720 (30 days), got " + h);
        }
        Area area = areas.area(caller, areaId);
        Instant started = clock.instant();
        links.dropExpiredSnapshots(started);
        if (links.countActive(caller.clinicId(), area.id(), started) >= MAX_ACTIVE_LINKS) {
            throw Failure.conflict("too-many-links", "Area " + area.id() + " already has " + MAX_ACTIVE_LINKS + " active share links; "
                    + "withdraw some (DELETE /v1/report-links/{id}) before making another.");
        }
        Cached c = build(caller, area.id());
        String snapshot = json.writeValueAsString(new Snapshot(today(), c.trend(), c.frames()));
        java.util.Set<String> shown = new java.util.HashSet<>();
        c.trend().sessions().forEach(s -> shown.add(s.photo()));
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LinkRepository.Link link = new LinkRepository.Link(UUID.randomUUID().toString(), caller.clinicId(), area.id(),
                caller.actorId(), now, now.plus(Duration.ofHours(h)), null, null);
        if (!links.insertIfUnchanged(link, tokenHash(token), snapshot, shown)) {
            throw Failure.conflict("records-changed", "The area's photos changed while its report was being prepared (one was "
                    + "added or erased); nothing was shared. Make the link again.");
        }
        return new NewLink(link, token);
    }

    /** The area's links, newest first, revoked and expired ones included. */
    public List<LinkRepository.Link> links(Caller caller, String areaId) {
        Area area = areas.area(caller, areaId);
        return links.listByArea(caller.clinicId(), area.id());
    }

    /** Revokes one link (it shows the "withdrawn" page from now on). */
    public LinkRepository.Link revokeLink(Caller caller, String linkId) {
        caller.require("withdraw shared reports", Role.ADMIN, Role.CLINICIAN);
        LinkRepository.Link l = RecordAccess.found(links.find(caller.clinicId(), linkId), "report link", linkId);
        links.revoke(caller.clinicId(), l.id(), "withdrawn", clock.instant());
        return links.find(caller.clinicId(), linkId).orElseThrow();
    }

    public LinkRepository.Link reportLink(Caller caller, String linkId) {
        caller.require("read report links", RecordAccess.READERS);
        return RecordAccess.found(links.find(caller.clinicId(), linkId), "report link", linkId);
    }

    /** A shared report, opened: the link (for the audit log) and the page. */
    public record Shared(LinkRepository.Link link, byte[] body, String mediaType) {
    }

    /**
     * The report a token opens, as HTML or PDF, from the link's snapshot; empty for a token that is
     * unknown, expired or withdrawn (all alike to the reader).
     */
    public java.util.Optional<Shared> shared(String token, boolean pdf) throws IOException {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return java.util.Optional.empty();
        }
        java.util.Optional<LinkRepository.Opened> opened = links.open(tokenHash(token), clock.instant());
        if (opened.isEmpty()) {
            return java.util.Optional.empty();
        }
        Snapshot s = json.readValue(opened.get().snapshot(), Snapshot.class);
        byte[] body = pdf ? ReportPdf.pdf(s.trend(), s.frames(), s.generatedOn())
                : ReportPage.html(s.trend(), s.frames(), s.generatedOn()).getBytes(StandardCharsets.UTF_8);
        return java.util.Optional.of(new Shared(opened.get().link(), body, pdf ? "application/pdf" : "text/html; charset=utf-8"));
    }

    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    private static String tokenHash(String token) {
        return org.dermatrend.util.Digest.sha256(token.getBytes(StandardCharsets.US_ASCII));
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
                // The pictures are the same photos'; the numbers, names and dates are read fresh (a correction of a
                // reference, name or date re-runs no analysis, and must still show).
                return new Cached(version, trend, hit.frames());
            }
        }
        List<SeriesMeasurer.Photo> series = new ArrayList<>();
        long largest = 0;
        for (DatedPhoto dp : photos.listByArea(caller.clinicId(), area.id())) {
            largest = Math.max(largest, (long) dp.photo().width() * dp.photo().height());
            byte[] bytes = store.get(dp.photo().clinicId(), dp.photo().sha256()).orElseThrow(() -> new IOException("photo " + dp.photo().id()
                    + " has no bytes in the store"));
            series.add(new SeriesMeasurer.Photo(dp.sessionDate(), dp.photo().id(), bytes, dp.photo().grayRef(), area.mmPerPx()));
        }
        ReportVisuals visuals = new ReportVisuals(services.overlays());
        // The series is measured a pair at a time (baseline and one follow-up decoded at once).
        scoring.asWorker(2 * largest, () -> new SeriesMeasurer(services.analyzer()).measure(series, area.roi(), List.of(), visuals));
        Cached built = new Cached(version, trend, visuals.frames());
        synchronized (cache) {
            cache.put(key, built);
        }
        return built;
    }
}
