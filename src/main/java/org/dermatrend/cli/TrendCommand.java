package org.dermatrend.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dermatrend.analysis.Services;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.trend.MdcRegistry;
import org.dermatrend.analysis.Budgets;
import org.dermatrend.analysis.SeriesMeasurer;
import org.dermatrend.trend.TrendBuilder;
import org.dermatrend.wire.TrendInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dermatrend trend MANIFEST.json}: is the skin improving, by more than the noise? */
@Command(name = "trend",
        mixinStandardHelpOptions = true,
        description = {
            "Measures one treated area across its sessions, as the service does: the first usable photo is the baseline, "
                    + "every later one is aligned to it and measured on the skin both show. Per metric: the series, baseline, "
                    + "latest, change, the least-squares slope per 30 days with its 95%% interval, the minimal detectable "
                    + "change (MDC95, from the repeatability study) and a verdict: improving, stable, worsening or "
                    + "insufficient-data (fewer than 3 usable sessions). A change within the MDC is 'stable'. Photos taken "
                    + "1-3 days after a treatment are flagged and their redness left out. docs/metrics.md section 10.",
            ""},
        footer = {"", "MANIFEST.json:",
            "  {\"patient\": \"P-001\", \"area\": \"left-cheek\", \"mmPerPx\": 0.025, \"roi\": [x,y,w,h],",
            "   \"sessions\": [{\"date\": \"2026-01-05\", \"photo\": \"s0.jpg\", \"grayRef\": [x,y,w,h], \"treatedOn\": \"2026-01-05\", \"mmPerPx\": 0.025}, ...]}",
            "  (roi, grayRef, treatedOn and a session's mmPerPx optional; photo paths relative to the manifest)",
            "",
            "Examples:",
            "  dermatrend trend datasets/demo/manifest.json",
            "  dermatrend trend --json patient-7/left-cheek.json > trend.json",
            "",
            "Exit status: 0 done, 1 a photo could not be read, 2 bad usage or manifest."})
public final class TrendCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MANIFEST.json", description = "The area's sessions.")
    Path manifest;

    @Option(names = "--json", description = "The trend as one JSON object (the same as GET /v1/areas/{id}/trend).")
    boolean json;

    @Option(names = "--include-post-treatment", description = "Keep the redness of photos taken 1-3 days after a treatment.")
    boolean includePostTreatment;

    @Mixin
    IntakeOptions intake;

    /** The manifest, read and checked. */
    record Manifest(String patient, String area, PixelRect roi, List<SeriesMeasurer.Photo> photos, List<LocalDate> treatments) {
    }

    /** A trend measured from a manifest, or the exit status that says why not. */
    record Outcome(TrendInfo trend, int status) {
    }

    /**
     * Reads the manifest, measures its photos (showing each usable one to the observer {@code visuals}
     * makes from the imaging services) and builds the trend; problems are printed as {@code dermatrend
     * COMMAND: …} with status 2 (usage, manifest) or 1 (a photo cannot be read).
     */
    static Outcome measure(String command, Path manifest, IntakeOptions intake, boolean includePostTreatment,
                           java.util.function.Function<Services, SeriesMeasurer.Observer> visuals) throws IOException {
        Manifest m;
        try {
            m = read(manifest);
        } catch (IllegalArgumentException e) {
            System.err.println("dermatrend " + command + ": " + e.getMessage());
            return new Outcome(null, 2);
        } catch (NoSuchFileException e) {
            System.err.println("dermatrend " + command + ": no such file: " + e.getFile());
            return new Outcome(null, e.getFile().equals(manifest.toString()) ? 2 : 1);
        }
        try (Services services = Services.create(intake.toConfig())) {
            List<TrendInfo.Session> sessions = new SeriesMeasurer(services.analyzer()).measure(m.photos(), m.roi(),
                    m.treatments(), visuals.apply(services));
            if (sessions.stream().noneMatch(TrendInfo.Session::usable)
                    && sessions.stream().anyMatch(s -> "roi_outside_image:roi".equals(s.reason()))) {
                System.err.println("dermatrend " + command + ": " + manifest + ": the roi " + m.roi() + " does not lie inside "
                        + "the photos; give x,y,w,h in the baseline's upright pixels.");
                return new Outcome(null, 2);
            }
            return new Outcome(new TrendBuilder(MdcRegistry.packaged()).build(m.patient(), m.area(), null, sessions,
                    includePostTreatment, List.of()), 0);
        }
    }

    @Override
    public Integer call() throws IOException {
        Outcome o = measure("trend", manifest, intake, includePostTreatment, services -> SeriesMeasurer.NONE);
        if (o.trend() == null) {
            return o.status();
        }
        TrendInfo trend = o.trend();
        if (json) {
            System.out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(trend));
        } else {
            print(trend);
        }
        return 0;
    }

    static Manifest read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.has("sessions") || !root.get("sessions").isArray()) {
            throw new IllegalArgumentException(file + ": expected {\"patient\", \"area\", \"mmPerPx\", \"sessions\": [...]}");
        }
        Double mm = root.has("mmPerPx") ? root.get("mmPerPx").asDouble() : null;
        Path base = file.toAbsolutePath().getParent();
        List<SeriesMeasurer.Photo> photos = new ArrayList<>();
        List<LocalDate> treatments = new ArrayList<>();
        int i = 0;
        for (JsonNode s : root.get("sessions")) {
            String where = file + " session " + (++i);
            if (!s.has("date") || !s.has("photo")) {
                throw new IllegalArgumentException(where + ": \"date\" and \"photo\" are required");
            }
            LocalDate date = date(s.get("date").asText(), where);
            if (s.has("treatedOn")) {
                treatments.add(date(s.get("treatedOn").asText(), where));
            }
            Double sessionMm = s.has("mmPerPx") ? s.get("mmPerPx").asDouble() : mm;
            Budgets.requireScale(where + ": mmPerPx", sessionMm);
            photos.add(new SeriesMeasurer.Photo(date, s.get("photo").asText(), Files.readAllBytes(base.resolve(s.get("photo").asText())),
                    rect(s.get("grayRef"), where + " grayRef"), sessionMm));
        }
        if (photos.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no sessions");
        }
        return new Manifest(text(root, "patient"), text(root, "area"), rect(root.get("roi"), file + " roi"), photos, treatments);
    }

    private static String text(JsonNode root, String field) {
        return root.has(field) ? root.get(field).asText() : null;
    }

    private static LocalDate date(String text, String where) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": dates are YYYY-MM-DD, got '" + text + "'");
        }
    }

    private static PixelRect rect(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.size() != 4) {
            throw new IllegalArgumentException(where + " must be [x, y, w, h]");
        }
        PixelRect r = new PixelRect(v.get(0).asInt(), v.get(1).asInt(), v.get(2).asInt(), v.get(3).asInt());
        if (r.x() < 0 || r.y() < 0 || r.width() < 1 || r.height() < 1) {
            throw new IllegalArgumentException(where + " must have x, y >= 0 and w, h >= 1");
        }
        return r;
    }

    private static void print(TrendInfo t) {
        System.out.printf("%s, %s: baseline %s, %d sessions (%d usable)%n", t.patient(), t.area(), t.baselineDate(),
                t.sessions().size(), t.sessions().stream().filter(TrendInfo.Session::usable).count());
        for (TrendInfo.Session s : t.sessions()) {
            if (!s.usable() || s.postTreatment()) {
                System.out.printf("  %s %s: %s%s%n", s.date(), s.photo(), s.usable() ? "used" : "left out (" + s.reason() + ")",
                        s.postTreatment() ? ", taken 1-3 days after a treatment (redness left out)" : "");
            }
        }
        System.out.printf("  %-26s %10s %10s %9s %12s %10s  %s%n", "metric", "baseline", "latest", "change", "per 30 days", "MDC95",
                "verdict");
        for (Map.Entry<String, TrendInfo.Metric> e : t.metrics().entrySet()) {
            TrendInfo.Metric m = e.getValue();
            System.out.printf("  %-26s %10.4g %10.4g %8s%% %12s %10s  %s%n", e.getKey(), m.baseline(), m.latest(),
                    m.changePercent() == null ? "-" : String.format("%+.1f", m.changePercent()),
                    m.slopePer30Days() == null ? "-" : String.format("%+.4g", m.slopePer30Days()),
                    m.mdc() == null ? "-" : String.format("%.4g", m.mdc()), m.verdict());
        }
        t.notes().forEach(n -> System.out.println("  note: " + n));
    }
}
