package org.dermatrend;

import org.dermatrend.analysis.Budgets;
import org.dermatrend.analysis.Services;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import ca.uhn.fhir.context.FhirContext;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.fhir.FhirExport;
import org.dermatrend.http.ApiServer;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.service.AccessService;
import org.dermatrend.service.AnalysisReadService;
import org.dermatrend.service.AnalysisRunner;
import org.dermatrend.service.AnalysisWorkers;
import org.dermatrend.service.AreaService;
import org.dermatrend.service.EventLog;
import org.dermatrend.service.FhirService;
import org.dermatrend.service.PatientService;
import org.dermatrend.service.PhotoService;
import org.dermatrend.service.RecordServices;
import org.dermatrend.service.AuditLog;
import org.dermatrend.service.Erasures;
import org.dermatrend.service.RecordStores;
import org.dermatrend.service.ReportService;
import org.dermatrend.service.ScoringService;
import org.dermatrend.service.SessionService;
import org.dermatrend.service.StaffService;
import org.dermatrend.service.TrendService;
import org.dermatrend.service.TrendWatch;
import org.dermatrend.service.WebhookDispatcher;
import org.dermatrend.service.WebhookService;
import org.dermatrend.service.WebhookTargets;
import org.dermatrend.store.TrendVerdicts;
import org.dermatrend.store.WebhookRepository;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.ClinicRepository;
import org.dermatrend.store.Database;
import org.dermatrend.store.Dialect;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.FilePhotoStore;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.S3PhotoStore;
import org.dermatrend.store.AuditRepository;
import org.dermatrend.store.LegacyLayout;
import org.dermatrend.store.LinkRepository;
import org.dermatrend.store.RecordEdits;
import org.dermatrend.store.StaffRepository;
import org.dermatrend.domain.Records.AnalysisState;
import org.dermatrend.trend.MdcRegistry;
import org.dermatrend.trend.TrendBuilder;

/**
 * The service's object graph, built in one place: database, photo store (a folder or an S3 bucket), imaging services (the model
 * is loaded once here), queue workers and the HTTP server. {@link #create} builds it without starting
 * anything; {@link #start} starts the workers and the server; {@link #close} stops them in order and
 * puts unfinished analyses back in the queue.
 */
public final class ServiceApp implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceApp.class);

    /**
     * The service's settings, validated when made.
     *
     * @param dataDir         the photo store ({@code photos/}) and, by default, the SQLite database ({@code db/})
     * @param dbUrl           a JDBC URL, or null for the embedded SQLite database in the data directory
     * @param dbSchema        the schema to use (created when missing), or null for the default
     * @param workers         analysis threads (default: the cores)
     * @param maxPending      queued + running analyses above which uploads get 503
     * @param maxUploadBytes  largest photo accepted
     * @param lease           how long a worker may hold an analysis before it counts as abandoned
     * @param adminKey        the first admin key (from DERMATREND_ADMIN_KEY), or null to generate one
     * @param syncMaxPixels   the largest photo, in pixels, the synchronous /v1/score and /v1/compare decode (default 24 MP)
     * @param keyRequestsPerMinute     requests one API key may make a minute, 1 to 1 000 000 (default 600), then 429
     * @param addressRequestsPerMinute requests one client address may make a minute, 1 to 1 000 000 (default 1200), then 429
     * @param photoStore      {@code s3://bucket[/prefix]} for photos in S3 or an S3-compatible store (endpoint, region and
     *                        credentials from the environment, {@link S3PhotoStore#open}), or null for {@code dataDir/photos}
     * @param decodeBudgetPixels pixels the analyses and the synchronous endpoints may hold decoded at once (an analysis of
     *                        a follow-up counts its photo and its baseline); work past it waits its turn (workers) or gets 503
     */
    public record Config(String host, int port, Path dataDir, String dbUrl, String dbSchema, int workers, int maxPending,
                         long maxUploadBytes, Duration lease, String adminKey, long syncMaxPixels,
                         int keyRequestsPerMinute, int addressRequestsPerMinute, String publicUrl, String corsOrigins,
                         boolean allowPrivateWebhookTargets, String webhookRetrySchedule, String photoStore,
                         long decodeBudgetPixels) {
        /** The default decode budget: one pair of 12-megapixel photos (about 1 GB while analysed), see {@link ScoringService}. */
        public static final long DEFAULT_DECODE_BUDGET_PIXELS = 26_000_000L;

        public Config {
            if (decodeBudgetPixels < 1_000_000L || decodeBudgetPixels > 1_000_000_000L) {
                throw new IllegalArgumentException("--decode-budget-megapixels must be 1 to 1000, got " + decodeBudgetPixels / 1e6);
            }
            if (photoStore != null) {
                photoStore = S3PhotoStore.Location.parse(photoStore).toString();
            }
            webhookRetryDelays(webhookRetrySchedule);
            if (corsOrigins != null) {
                corsOrigins = String.join(",", origins(corsOrigins));
            }
            if (publicUrl != null) {
                publicUrl = publicUrl(publicUrl);
            }
            requestRate("--rate-per-key", keyRequestsPerMinute);
            requestRate("--rate-per-address", addressRequestsPerMinute);
            if (syncMaxPixels < 1_000_000L || syncMaxPixels > ConfigIntake.DEFAULT_MAX_PIXELS) {
                throw new IllegalArgumentException("--sync-max-megapixels must be 1 to " + ConfigIntake.DEFAULT_MAX_PIXELS / 1_000_000
                        + ", got " + syncMaxPixels / 1e6);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("a data directory is required");
            }
            if (workers < 1 || workers > 64) {
                throw new IllegalArgumentException("--workers must be 1 to 64, got " + workers);
            }
            if (maxPending < 1) {
                throw new IllegalArgumentException("--max-queued must be at least 1, got " + maxPending);
            }
            if (maxUploadBytes < 1024 || maxUploadBytes > 512L * 1024 * 1024) {
                throw new IllegalArgumentException("--max-upload-mb must be 0.001 to 512, got " + maxUploadBytes / 1048576.0);
            }
            if (dbUrl != null) {
                try {
                    Dialect.of(dbUrl);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--db-url: " + e.getMessage(), e);
                }
            }
        }

        /** 0 would refuse everything and there is no "unlimited": a limit is 1 to 1 000 000 requests a minute. */
        private static void requestRate(String flag, int perMinute) {
            if (perMinute < 1 || perMinute > ApiServer.Settings.MAX_REQUESTS_PER_MINUTE) {
                throw new IllegalArgumentException(flag + " must be 1 to " + ApiServer.Settings.MAX_REQUESTS_PER_MINUTE
                        + " requests a minute, got " + perMinute + " (for no practical limit, give the largest)");
            }
        }

        /**
         * The defaults: all addresses, port 8080, SQLite in {@code dataDir}, a worker per core, 200 pending,
         * 40 MB uploads, a 10-minute lease, a generated admin key, 600 requests a minute per key and 1200 per address,
         * photos in {@code dataDir/photos}.
         */
        public static Config defaults(Path dataDir) {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Config("0.0.0.0", 8080, dataDir, null, null, cores, 200, 40L * 1024 * 1024, Duration.ofMinutes(10), null,
                    Budgets.DEFAULT_SYNC_MAX_PIXELS, ApiServer.Settings.DEFAULT_KEY_REQUESTS_PER_MINUTE,
                    ApiServer.Settings.DEFAULT_ADDRESS_REQUESTS_PER_MINUTE, null, null, false, DEFAULT_WEBHOOK_RETRY_SCHEDULE, null,
                    DEFAULT_DECODE_BUDGET_PIXELS);
        }

        /** A copy with another {@code port}: port to listen on, 0..65535 (0 picks a free one). */
        public Config withPort(int p) {
            return new Config(host, p, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code dbUrl} and {@code dbSchema} (null, null: the embedded SQLite database). */
        public Config withDatabase(String url, String schema) {
            return new Config(host, port, dataDir, url, schema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with other {@code workers}, {@code maxPending} and {@code lease}. */
        public Config withQueue(int w, int pending, Duration l) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, w, pending, maxUploadBytes, l, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code maxUploadBytes}: largest photo accepted, bytes. */
        public Config withMaxUploadBytes(long bytes) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, bytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code adminKey}: the first admin key, or null to generate one. */
        public Config withAdminKey(String key) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, key, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code host}: address to listen on. */
        public Config withHost(String host) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code dataDir}: the photo store and, without a dbUrl, the SQLite database. */
        public Config withDataDir(Path dataDir) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code dbUrl}: a JDBC URL, or null for the embedded SQLite database. */
        public Config withDbUrl(String dbUrl) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code dbSchema}: the schema to use (created when missing), or null for the default. */
        public Config withDbSchema(String dbSchema) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code workers}: analysis threads, 1..64. */
        public Config withWorkers(int workers) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code maxPending}: queued + running analyses above which uploads get 503. */
        public Config withMaxPending(int maxPending) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code lease}: how long a worker may hold an analysis before it counts as abandoned. */
        public Config withLease(Duration lease) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** The largest photo, in pixels, that {@code POST /v1/score} and {@code /v1/compare} decode. */
        public Config withSyncMaxPixels(long pixels) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, pixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** A copy with another {@code decodeBudgetPixels}: pixels held decoded at once by analyses and the synchronous endpoints. */
        public Config withDecodeBudgetPixels(long pixels) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, pixels);
        }

        /** A copy with another {@code keyRequestsPerMinute}: requests one API key may make a minute (--rate-per-key). */
        public Config withKeyRequestsPerMinute(int perMinute) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    perMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /**
         * A copy with another {@code publicUrl}: the service's address as its users reach it
         * ({@code https://dermatrend.example.org}), which share links are made absolute with; null: the address
         * each request reached.
         */
        public Config withPublicUrl(String url) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, url, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /**
         * A copy with other {@code corsOrigins}: the web origins (comma-separated, like
         * {@code https://app.example.org}) whose pages may call the API from a browser; null: none.
         */
        public Config withCorsOrigins(String origins) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, origins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /** The Standard Webhooks retry schedule: after a failed attempt, wait 5 s, then 5 min, … (27 h 35 min in all). */
        public static final String DEFAULT_WEBHOOK_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";

        /**
         * A copy with another {@code allowPrivateWebhookTargets}: whether webhooks may go to loopback and private
         * addresses and plain http ({@code --allow-private-webhook-targets}; off by default).
         */
        public Config withAllowPrivateWebhookTargets(boolean allow) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allow, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }

        /**
         * A copy with another {@code webhookRetrySchedule}: the waits after each failed delivery attempt, comma-separated,
         * each a number and s, m or h ({@code --webhook-retry-schedule}; default {@value #DEFAULT_WEBHOOK_RETRY_SCHEDULE}).
         */
        public Config withWebhookRetrySchedule(String schedule) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, schedule, photoStore,
                    decodeBudgetPixels);
        }

        /** The retry schedule as waits; an unreadable one is refused naming the flag. */
        public java.util.List<Duration> webhookRetryDelays() {
            return webhookRetryDelays(webhookRetrySchedule);
        }

        private static java.util.List<Duration> webhookRetryDelays(String schedule) {
            java.util.List<Duration> out = new java.util.ArrayList<>();
            if (schedule == null || schedule.isBlank()) {
                throw new IllegalArgumentException("--webhook-retry-schedule is empty; give waits like "
                        + DEFAULT_WEBHOOK_RETRY_SCHEDULE);
            }
            for (String part : schedule.split(",")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,4})([smh])").matcher(part.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException("--webhook-retry-schedule: '" + part.strip() + "' is not a wait like 5s, 30m "
                            + "or 2h (the default is " + DEFAULT_WEBHOOK_RETRY_SCHEDULE + ")");
                }
                long n = Long.parseLong(m.group(1));
                out.add(switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
            }
            try {
                new org.dermatrend.service.WebhookDispatcher.Settings(1, out, Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofSeconds(1), Duration.ofDays(30));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-retry-schedule: " + e.getMessage(), e);
            }
            return java.util.List.copyOf(out);
        }

        /** The allowed browser origins, each {@code scheme://host[:port]} and nothing else. */
        public java.util.List<String> corsOriginList() {
            return corsOrigins == null ? java.util.List.of() : java.util.List.of(corsOrigins.split(","));
        }

        private static java.util.List<String> origins(String list) {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (String o : list.split(",")) {
                String origin = o.strip();
                if (origin.isEmpty()) {
                    continue;
                }
                if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                    throw new IllegalArgumentException("--cors-origin must be a web origin like https://app.example.org (scheme, "
                            + "host and optional port; no path, no '*'), got '" + origin + "'");
                }
                out.add(origin);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("--cors-origin names no origin");
            }
            return out;
        }

        /** An absolute http(s) URL without query, fragment or trailing slash; anything else is refused naming the flag. */
        private static String publicUrl(String url) {
            try {
                java.net.URI u = new java.net.URI(url.strip());
                if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null || u.getQuery() != null
                        || u.getFragment() != null || u.getUserInfo() != null) {
                    throw new java.net.URISyntaxException(url, "not an absolute http(s) address without query");
                }
                String text = u.toString();
                return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("--public-url must be the service's address as its users reach it, like "
                        + "https://dermatrend.example.org (http or https, no query), got '" + url + "'");
            }
        }

        /**
         * A copy with another {@code photoStore}: {@code s3://bucket[/prefix]} for photos in S3 or an S3-compatible store,
         * or null for the data directory's {@code photos/} folder ({@code --photo-store}).
         */
        public Config withPhotoStore(String location) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, addressRequestsPerMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule,
                    location, decodeBudgetPixels);
        }

        /** A copy with another {@code addressRequestsPerMinute}: requests one client address may make a minute (--rate-per-address). */
        public Config withAddressRequestsPerMinute(int perMinute) {
            return new Config(host, port, dataDir, dbUrl, dbSchema, workers, maxPending, maxUploadBytes, lease, adminKey, syncMaxPixels,
                    keyRequestsPerMinute, perMinute, publicUrl, corsOrigins, allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, decodeBudgetPixels);
        }
    }

    private final Config config;
    private final Database db;
    private final PhotoStore store;
    private final Services services;
    private final AnalysisWorkers workers;
    private final WebhookDispatcher dispatcher;
    private final Javalin server;
    private final AccessService access;
    private final RecordServices records;
    private final Optional<AccessService.NewClinic> bootstrapped;
    private final StaffService staff;

    private ServiceApp(Config config, Database db, PhotoStore store, Services services, AnalysisWorkers workers, WebhookDispatcher dispatcher,
                       Javalin server, AccessService access, RecordServices records, Optional<AccessService.NewClinic> bootstrapped,
                       StaffService staff) {
        this.config = config;
        this.db = db;
        this.store = store;
        this.services = services;
        this.workers = workers;
        this.dispatcher = dispatcher;
        this.server = server;
        this.access = access;
        this.records = records;
        this.bootstrapped = bootstrapped;
        this.staff = staff;
    }

    /** The JSON mapper of the API: ISO-8601 times, records as objects. */
    public static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /**
     * Opens the database (migrating it), the photo store and the model, and makes the operator clinic
     * on first start. Nothing listens or runs until {@link #start}.
     */
    public static ServiceApp create(Config config, ReliefModel model) throws IOException {
        LOG.info("{}", org.dermatrend.util.NativeMemory.boundForService());
        Clock clock = Clock.systemUTC();
        String url = config.dbUrl() != null ? config.dbUrl() : Database.embeddedUrl(config.dataDir());
        Database db = Database.open(url, config.dbSchema(), config.workers() + 8);
        PhotoStore store = null;
        try {
            store = openStore(db, config); // first: a store that cannot be used stops the start before anything else is built
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            ObjectMapper json = json();
            EventLog events = EventLog.slf4j(clock);
            Services services = Services.create(new ConfigIntake(ConfigIntake.defaults().maxPixels(), config.maxUploadBytes(),
                    ConfigIntake.defaults().minShortSidePx()), model, 1);
            ScoringService scoring = new ScoringService(services.analyzer(), config.syncMaxPixels(), config.decodeBudgetPixels(), 10_000);
            PatientRepository patients = new PatientRepository(db);
            PhotoRepository photos = new PhotoRepository(db);
            AnalysisQueue queue = new AnalysisQueue(db);
            AnalysisRunner runner = new AnalysisRunner(services.analyzer(), scoring, patients, photos, queue, store, json, meters);
            AnalysisWorkers workers = new AnalysisWorkers(queue, runner,
                    new AnalysisWorkers.Settings(config.workers(), config.lease(), 3, Duration.ofSeconds(2)), clock, meters, events);
            queueGauges(queue, meters);
            AccessService access = new AccessService(new ClinicRepository(db), clock);
            Optional<AccessService.NewClinic> first = access.bootstrap("First clinic", config.adminKey());
            RecordEdits edits = new RecordEdits(db, store);
            Erasures erasures = new Erasures(edits);
            int finished = erasures.finish(); // an erasure a crash cut short: its bytes go now
            if (finished > 0) {
                LOG.info("finished {} erasure(s) interrupted before the last start", finished);
            }
            RecordStores stores = new RecordStores(patients, photos, queue, store, edits);
            PatientService patientService = new PatientService(stores, erasures, clock);
            AreaService areas = new AreaService(patientService, stores, erasures, clock);
            SessionService sessions = new SessionService(patientService, stores, erasures, clock);
            PhotoService photoService = new PhotoService(sessions, stores, erasures, services.decoder(), workers::wake,
                    config.maxPending(), clock);
            TrendService trends = new TrendService(areas, patients, photos, queue, json, new TrendBuilder(MdcRegistry.packaged()));
            RecordServices records = new RecordServices(patientService, areas, sessions, photoService, new AnalysisReadService(queue), trends);
            ReportService reports = new ReportService(areas, trends, scoring, services, photos, store, new LinkRepository(db), erasures,
                    json, clock);
            FhirService fhir = new FhirService(patientService, areas, photos, reports, new FhirExport(FhirContext.forR4()), clock);
            AuditLog audit = new AuditLog(new AuditRepository(db), clock);
            WebhookRepository webhookStore = new WebhookRepository(db);
            WebhookTargets targets = new WebhookTargets(config.allowPrivateWebhookTargets());
            WebhookDispatcher dispatcher = new WebhookDispatcher(webhookStore, targets,
                    new TrendWatch(new TrendVerdicts(db), trends, areas, clock), audit,
                    new WebhookDispatcher.Settings(2, config.webhookRetryDelays(), Duration.ofSeconds(10), Duration.ofSeconds(30),
                            Duration.ofSeconds(1), Duration.ofDays(30)), clock, meters);
            workers.afterEach(dispatcher::wake);
            Duration retrySpan = config.webhookRetryDelays().stream().reduce(Duration.ZERO, Duration::plus);
            if (retrySpan.compareTo(Duration.ofHours(24)) < 0) {
                LOG.warn("the webhook retry schedule gives up after {}; receivers down for longer lose events", retrySpan);
            }
            Gauge.builder("dermatrend.webhook.pending", webhookStore, w -> w.countPending())
                    .description("Webhook deliveries waiting to be sent").strongReference(true).register(meters);
            WebhookService webhookService = new WebhookService(webhookStore, targets, dispatcher::wake, clock);
            StaffService staff = new StaffService(new StaffRepository(db), StaffService.Settings.defaults(), clock);
            PhotoStore photoStore = store;
            ApiServer.Readiness readiness = () -> {
                Map<String, String> checks = new LinkedHashMap<>();
                checks.put("database", db.ping() ? "up" : "the database does not answer");
                checks.put("photoStore", photoStore.reachable() ? "up" : "the photo store does not answer");
                checks.put("model", "up");
                return checks;
            };
            // Stored uploads stream here before their intake; what a crash left is deleted now.
            java.nio.file.Path spool = config.dataDir().resolve("spool");
            int leftovers = org.dermatrend.http.Spool.prepare(spool);
            if (leftovers > 0) {
                LOG.info("deleted {} upload(s) a stop cut short from the spool folder", leftovers);
            }
            Javalin server = ApiServer.create(new ApiServer.Deps(access, records, scoring, reports, fhir, audit, readiness, meters, events,
                    json,
                    new ApiServer.Settings(config.maxUploadBytes(), 32, Math.max(2, 2 * config.workers()),
                            ApiServer.Settings.DEFAULT_AUTH_FAILURES_PER_MINUTE, config.keyRequestsPerMinute(),
                            config.addressRequestsPerMinute(), spool), config.publicUrl(), config.corsOriginList(), webhookService,
                    staff, new org.dermatrend.service.CaptureService(areas, photoService)));
            return new ServiceApp(config, db, store, services, workers, dispatcher, server, access, records, first, staff);
        } catch (RuntimeException | IOException e) {
            if (store != null) {
                store.close();
            }
            db.close();
            throw e;
        }
    }

    /**
     * The photo store: the bucket of {@code --photo-store s3://…} (checked to answer now, so a wrong endpoint, bucket or
     * credentials stop the start with a message naming them), or {@code DATA_DIR/photos}, with a store from before
     * clinic folders moved into them first (see {@link LegacyLayout}). The {@code link-secret} file of earlier versions
     * signed share links that no longer open (links are records now); it is removed.
     */
    private static PhotoStore openStore(Database db, Config config) throws IOException {
        java.nio.file.Files.deleteIfExists(config.dataDir().resolve("link-secret"));
        if (config.photoStore() != null) {
            S3PhotoStore store = S3PhotoStore.open(S3PhotoStore.Location.parse(config.photoStore()));
            LOG.info("photo store: {} at {}", store.location(), store.endpoint());
            return store;
        }
        FilePhotoStore store = new FilePhotoStore(config.dataDir().resolve("photos"));
        try {
            int moved = LegacyLayout.migrate(db, store, org.dermatrend.service.StoredPhotos.cleaner());
            if (moved > 0) {
                LOG.info("moved {} photo(s) into their clinic's folder of the photo store", moved);
            }
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The queue's size by state; one query serves the four gauges of a scrape (counts are at most 1 s old). */
    private static void queueGauges(AnalysisQueue queue, PrometheusMeterRegistry meters) {
        java.util.concurrent.atomic.AtomicReference<Map.Entry<Long, Map<AnalysisState, Long>>> last =
                new java.util.concurrent.atomic.AtomicReference<>(Map.entry(0L, Map.of()));
        java.util.function.Supplier<Map<AnalysisState, Long>> counts = () -> {
            Map.Entry<Long, Map<AnalysisState, Long>> seen = last.get();
            if (System.nanoTime() - seen.getKey() < 1_000_000_000L && !seen.getValue().isEmpty()) {
                return seen.getValue();
            }
            Map<AnalysisState, Long> fresh = queue.countByState();
            last.set(Map.entry(System.nanoTime(), fresh));
            return fresh;
        };
        for (AnalysisState state : AnalysisState.values()) {
            Gauge.builder("dermatrend.analysis.queue", counts, c -> {
                        try {
                            return c.get().get(state);
                        } catch (RuntimeException e) {
                            return Double.NaN;
                        }
                    }).description("Analyses in the shared queue, by state").tag("state", state.label())
                    // Micrometer holds a gauge's object weakly; nothing else holds this supplier, and once
                    // collected the gauge read NaN (found by the crash test on a long-running service).
                    .strongReference(true).register(meters);
        }
    }

    /** Starts the workers (which resume queued analyses) and the HTTP server. */
    public ServiceApp start() {
        return start(true);
    }

    /**
     * Starts the HTTP server, and the analysis workers when {@code withWorkers} (without them uploads
     * are queued and wait; tests use this to hold analyses in the queue across a restart).
     */
    public ServiceApp start(boolean withWorkers) {
        if (withWorkers) {
            workers.start();
        }
        dispatcher.start();
        server.start(config.host(), config.port());
        return this;
    }

    /** The port the server listens on (the real one when started on port 0). */
    public int port() {
        return server.port();
    }

    /** The operator clinic and its admin key, when this start made them. */
    public Optional<AccessService.NewClinic> bootstrapped() {
        return bootstrapped;
    }

    public AccessService access() {
        return access;
    }

    public RecordServices records() {
        return records;
    }

    public StaffService staff() {
        return staff;
    }

    @Override
    public void close() {
        server.stop();
        workers.close();
        dispatcher.close();
        services.close();
        store.close();
        db.close();
    }
}
