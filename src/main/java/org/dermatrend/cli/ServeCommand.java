package org.dermatrend.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.service.AccessService;
import org.dermatrend.service.Caller;
import org.dermatrend.service.PhotoService;
import org.dermatrend.service.RecordServices;
import org.dermatrend.service.SessionService;
import org.dermatrend.store.Dialect;
import org.dermatrend.domain.Records;
import org.dermatrend.domain.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dermatrend serve}: the HTTP service. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the HTTP API (api-spec/openapi.yaml, served at /openapi.yaml, interactive docs at /docs): clinics, "
                    + "patients, treatment areas, sessions and photos, each photo analysed in the background against its "
                    + "area's baseline; POST /v1/score and /v1/compare for apps that keep no records; /health/live, "
                    + "/health/ready and /metrics (Prometheus) for operations.",
            "",
            "Storage: a SQLite database and a content-addressed photo store in --data-dir, or PostgreSQL with --db-url "
                    + "(several service processes may share one PostgreSQL and its analysis queue) and photos in S3 with "
                    + "--photo-store. Both keep every acknowledged write when the process is killed.",
            "",
            "The first start makes the first clinic and an admin API key: the key is taken from the environment "
                    + "variable DERMATREND_ADMIN_KEY, or generated and printed once. Keep it.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend serve --demo",
            "  dermatrend serve --port 8080 --data-dir /var/lib/dermatrend",
            "  DERMATREND_ADMIN_KEY=$(openssl rand -base64 32) dermatrend serve --db-url 'jdbc:postgresql://db:5432/dermatrend?user=dt&password=...' --data-dir /srv/photos",
            "  AWS_ENDPOINT_URL_S3=https://minio.internal:9000 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... \\",
            "    dermatrend serve --db-url 'jdbc:postgresql://db:5432/dermatrend?user=dt' --photo-store s3://clinic-photos/dermatrend",
            "",
            "Exit status: 0 stopped cleanly (Ctrl-C), 2 bad usage or settings, 5 the database or data directory cannot be "
                    + "used, 6 the scar-relief model is missing or fails its checksum."})
public final class ServeCommand implements Callable<Integer> {

    /**
     * The serve flags as given. The service checks them when it is built: a bad one is an
     * {@link IllegalArgumentException} whose message names the flag.
     *
     * @param dataDir         the photo store and, without {@code dbUrl}, the SQLite database
     * @param dbUrl           a JDBC URL, or null for the embedded SQLite database
     * @param maxUploadBytes  largest photo accepted, bytes
     * @param lease           how long a worker may hold an analysis before another takes it over
     * @param adminKey        the first admin key (DERMATREND_ADMIN_KEY), or null to generate one
     * @param syncMaxPixels   the largest photo the synchronous /v1/score and /v1/compare decode, pixels
     * @param ratePerKey      requests one API key may make a minute
     * @param ratePerAddress  requests one client address may make a minute
     * @param publicUrl       the service's address as its users reach it (share links are made absolute with it), or null
     * @param corsOrigins     the web origins (comma-separated) whose pages may call the API from a browser, or null for none
     * @param allowPrivateWebhookTargets whether webhooks may go to loopback and private addresses, and over plain http
     * @param webhookRetrySchedule the waits after each failed webhook attempt, like {@code 5s,5m,30m,2h,5h,10h,10h}
     * @param photoStore      {@code s3://bucket[/prefix]} for photos in S3 or an S3-compatible store, or null for the data
     *                        directory's {@code photos/} folder
     * @param decodeBudgetPixels pixels analyses and the synchronous endpoints may hold decoded at once
     */
    public record Settings(String host, int port, Path dataDir, String dbUrl, int workers, int maxQueued,
                           long maxUploadBytes, Duration lease, String adminKey, long syncMaxPixels, int ratePerKey, int ratePerAddress,
                           String publicUrl, String corsOrigins, boolean allowPrivateWebhookTargets, String webhookRetrySchedule,
                           String photoStore, long decodeBudgetPixels) {
    }

    /** The service as serve drives it: built unstarted, started once, closed at shutdown. */
    public interface Server extends AutoCloseable {
        void start();

        /** The port it listens on (the real one when 0 was asked for); valid after {@link #start}. */
        int port();

        /** The clinic and admin key made on the first start of a new database, if this was one. */
        Optional<AccessService.NewClinic> bootstrapped();

        RecordServices records();

        /** The web app's staff accounts. */
        org.dermatrend.service.StaffService staff();

        @Override
        void close();
    }

    /**
     * Builds the (unstarted) service. Main supplies it from the service's wiring (ServiceApp): the
     * command line does not import the root package, which builds everything.
     */
    @FunctionalInterface
    public interface Launcher {
        /**
         * @throws IllegalArgumentException a setting is invalid (the message names the flag)
         * @throws ReliefModel.ModelLoadException the packaged model is missing or damaged
         * @throws IOException or another RuntimeException: the storage cannot be opened
         */
        Server create(Settings settings) throws IOException;
    }

    private final Launcher launcher;

    public ServeCommand(Launcher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).", defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Photo store and embedded database (default: ./dermatrend-data; "
            + "with --demo a new temporary folder).")
    Path dataDir;

    @Option(names = "--db-url", paramLabel = "JDBC-URL", description = "PostgreSQL instead of the embedded SQLite, e.g. "
            + "jdbc:postgresql://127.0.0.1:5432/dermatrend?user=dermatrend")
    String dbUrl;

    @Option(names = "--photo-store", paramLabel = "s3://BUCKET[/PREFIX]", description = "Keep photos in S3 or an S3-compatible "
            + "store instead of DATA_DIR/photos (default). Endpoint, region and credentials come from the environment, as for "
            + "the AWS SDK: AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL; unset: AWS S3 itself), AWS_REGION (any name for an "
            + "S3-compatible store), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or a container or instance "
            + "role). The bucket must exist and keep no versions; checked at start. Several services on one bucket need one "
            + "PostgreSQL (--db-url).")
    String photoStore;

    @Option(names = "--workers", description = "Analyses run at once (default: the cores, ${DEFAULT-VALUE}).",
            defaultValue = "${sys:dermatrend.cores}")
    Integer workers;

    @Option(names = "--max-queued", description = "Analyses waiting or running above which uploads get 503 (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int maxQueued;

    @Option(names = "--max-upload-mb", description = "Largest photo accepted, MB (default: ${DEFAULT-VALUE}).", defaultValue = "40")
    double maxUploadMb;

    @Option(names = "--sync-max-megapixels", description = "Largest photo POST /v1/score and /v1/compare decode, megapixels "
            + "(default: ${DEFAULT-VALUE}); larger ones are refused with 422 and belong in a session upload, analysed in the "
            + "background up to the intake limit of 50.", defaultValue = "24")
    double syncMaxMegapixels;

    @Option(names = "--decode-budget-megapixels", paramLabel = "MP", description = "Pixels the analyses and POST /v1/score and "
            + "/v1/compare may hold decoded at once, megapixels (default: ${DEFAULT-VALUE}: one pair of 12 MP photos, about 1 GB "
            + "while analysed). A follow-up counts its photo and its baseline; analyses past the budget wait their turn, the "
            + "synchronous endpoints answer 503 after 10 s. Raise it with memory to spare.", defaultValue = "26")
    double decodeBudgetMegapixels;

    @Option(names = "--lease-seconds", description = "How long an analysis may run before a crashed worker's job is taken "
            + "over by another (default: ${DEFAULT-VALUE}).", defaultValue = "600")
    int leaseSeconds;

    @Option(names = "--rate-per-key", paramLabel = "N", description = "Requests one API key may make a minute, 1 to 1000000 "
            + "(default: ${DEFAULT-VALUE}; all of them may come at once); past it the key gets 429 with Retry-After until its "
            + "minute is over.", defaultValue = "600")
    int ratePerKey;

    @Option(names = "--rate-per-address", paramLabel = "N", description = "Requests one client address may make a minute, with "
            + "or without a key, 1 to 1000000 (default: ${DEFAULT-VALUE}; /health/* is not counted); past it the address gets 429 "
            + "with Retry-After. Behind a reverse proxy every client has the proxy's address: raise it.", defaultValue = "1200")
    int ratePerAddress;

    @Option(names = "--public-url", paramLabel = "URL", description = "The service's address as its users reach it, e.g. "
            + "https://dermatrend.example.org: share links are made absolute with it (default: the address each request reached).")
    String publicUrl;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",", description = "A web origin, like "
            + "https://app.example.org, whose pages may call /v1 from a browser (repeat or comma-separate for several; default: "
            + "none, so no browser page elsewhere can).")
    java.util.List<String> corsOrigins;

    @Option(names = "--allow-private-webhook-targets", description = "Let webhooks go to loopback, private and link-local "
            + "addresses and over plain http (default: refused, so an endpoint cannot point the service at its own network). For "
            + "receivers inside your network, and tests.")
    boolean allowPrivateWebhookTargets;

    @Option(names = "--webhook-retry-schedule", paramLabel = "WAITS", description = "The waits after each failed webhook delivery "
            + "attempt, comma-separated, each a number and s, m or h (default: ${DEFAULT-VALUE}, the Standard Webhooks schedule: "
            + "8 attempts over 27 h 35 min). When it is spent the delivery fails and the endpoint is disabled.",
            defaultValue = "5s,5m,30m,2h,5h,10h,10h")
    String webhookRetrySchedule;

    @Option(names = "--demo", description = "Start on the embedded defaults with a demo clinic (its key is printed) and a demo "
            + "patient whose five synthetic sessions (datasets/demo) are analysed at once.")
    boolean demo;

    static {
        System.setProperty("dermatrend.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Integer call() throws Exception {
        if (demo && dbUrl != null) {
            System.err.println("dermatrend serve: --demo runs on the embedded database; leave out --db-url");
            return 2;
        }
        Path dir = dataDir != null ? dataDir : demo ? Files.createTempDirectory("dermatrend-demo-") : Path.of("dermatrend-data");
        Settings settings = new Settings(host, port, dir, dbUrl, workers, maxQueued, (long) (maxUploadMb * 1024 * 1024),
                Duration.ofSeconds(leaseSeconds), System.getenv("DERMATREND_ADMIN_KEY"), Math.round(syncMaxMegapixels * 1e6),
                ratePerKey, ratePerAddress, publicUrl, corsOrigins == null || corsOrigins.isEmpty() ? null : String.join(",", corsOrigins),
                allowPrivateWebhookTargets, webhookRetrySchedule, photoStore, Math.round(decodeBudgetMegapixels * 1e6));
        Server app;
        try {
            app = launcher.create(settings);
        } catch (IllegalArgumentException e) {
            System.err.println("dermatrend serve: " + e.getMessage());
            return 2;
        } catch (ReliefModel.ModelLoadException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            System.err.println("dermatrend serve: cannot open the storage (" + (dbUrl == null ? settings.dataDir() : "the --db-url database")
                    + (photoStore == null ? "" : ", photos in " + photoStore) + "): " + e.getMessage());
            return 5;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "dermatrend-shutdown"));
        app.start();
        String base = "http://localhost:" + app.port();
        System.out.println("dermatrend is listening on " + base + "  (API docs: " + base + "/docs)");
        Dialect dialect = dbUrl == null ? Dialect.SQLITE : Dialect.of(dbUrl);
        System.out.println("data: " + settings.dataDir().toAbsolutePath() + (photoStore == null ? "" : ", photos: " + photoStore) + ", database: "
                + (dbUrl == null ? "SQLite in the data directory" : dialect == Dialect.POSTGRESQL ? "PostgreSQL" : dbUrl.replaceAll("[?;].*", "")));
        if (dialect == Dialect.H2) {
            System.out.println("database: H2, which can lose its last seconds of acknowledged writes when the process is "
                    + "killed (measured: docs/api.md). Use the embedded SQLite default or PostgreSQL for patient records.");
        }
        app.bootstrapped().ifPresent(first -> {
            System.out.println();
            System.out.println("First start: made the clinic '" + first.clinic().name() + "' with an admin API key"
                    + (settings.adminKey() != null ? " (the one in DERMATREND_ADMIN_KEY)." : ". Shown once; keep it:"));
            if (settings.adminKey() == null) {
                System.out.println("  " + first.adminKey().secret());
            }
            if (!demo) {
                // The first person's way in: an invitation to the web app for the clinic's first admin account.
                org.dermatrend.service.StaffService.Invitation invitation = app.staff().inviteFirstAdmin(first.clinic().id());
                System.out.println("Web app: make the clinic's first admin account here (the link works once, for 7 days; "
                        + "invite colleagues from its Staff page):");
                System.out.println("  " + base + "/invitations/" + invitation.token());
            }
        });
        if (demo) {
            loadDemo(app, base);
        }
        stopped.await();
        return 0;
    }

    /** The demo clinic's admin account for the web app (its password is made anew at every demo start). */
    public static final String DEMO_STAFF_EMAIL = "admin@demo.clinic";

    private static void loadDemo(Server app, String base) throws IOException {
        AccessService.NewClinic first = app.bootstrapped().orElse(null);
        if (first == null) {
            System.out.println("The demo data is loaded on a new data directory only; this one already has clinics.");
            return;
        }
        Caller admin = new Caller(first.clinic().id(), first.adminKey().key().id(), Role.ADMIN, true);
        Demo demo = seedDemo(app.records(), admin);
        Records.Area area = demo.area();
        String key = first.adminKey().secret();
        System.out.println();
        System.out.println("Demo: patient " + demo.patient().reference() + ", area " + area.name() + " (" + area.id() + "), "
                + demo.sessions() + " sessions; their analyses are running now (a few seconds each).");
        String password = app.staff().createWithPassword(first.clinic().id(), DEMO_STAFF_EMAIL, "Demo admin", Role.ADMIN);
        System.out.println("Web app: " + base + "/");
        System.out.println("Staff login: " + DEMO_STAFF_EMAIL + " / " + password);
        System.out.println("API, try:");
        System.out.println("  export KEY=" + key);
        System.out.println("  curl -s -H \"Authorization: Bearer $KEY\" " + base + "/v1/areas/" + area.id() + "/trend");
        System.out.println("  curl -s -H \"Authorization: Bearer $KEY\" " + base + "/v1/patients");
        System.out.println("  curl -s -H \"Authorization: Bearer $KEY\" " + base + "/v1/patients/" + area.patientId() + "/fhir");
    }

    /** The demo as recorded: its patient, its one area and how many sessions it has. */
    public record Demo(Records.Patient patient, Records.Area area, int sessions) {
    }

    /**
     * Records the demo patient (datasets/demo, packaged at /demo): the patient, its area and its sessions with
     * their photos, whose analyses are queued. The tests load the same demo this way.
     */
    public static Demo seedDemo(RecordServices records, Caller admin) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(demoFile("manifest.json"));
        Records.Patient patient = records.patients().createPatient(admin, manifest.get("patient").asText());
        Records.Area area = records.areas().createArea(admin, patient.id(), manifest.get("area").asText(), null,
                manifest.get("mmPerPx").asDouble());
        for (JsonNode s : manifest.get("sessions")) {
            Records.TreatmentSession session = records.sessions().createSession(admin, patient.id(), new SessionService.SessionInput(
                    LocalDate.parse(s.get("date").asText()), "Demo microneedling pen", 1.5, 3, "synthetic demo session"));
            JsonNode g = s.get("grayRef");
            PixelRect gray = g == null ? null : new PixelRect(g.get(0).asInt(), g.get(1).asInt(), g.get(2).asInt(), g.get(3).asInt());
            records.photos().upload(admin, session.id(), new PhotoService.Upload(demoFile(s.get("photo").asText()), area.id(), gray,
                    "demo-" + s.get("date").asText(), false));
        }
        return new Demo(patient, area, manifest.get("sessions").size());
    }

    private static byte[] demoFile(String name) throws IOException {
        try (InputStream in = ServeCommand.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IOException("the demo series is missing from the jar (/demo/" + name + "); rebuild with mvn package");
            }
            return in.readAllBytes();
        }
    }
}
