package org.dermatrend.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.dermatrend.ServiceApp;
import org.dermatrend.analysis.Services;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.domain.Records;
import org.dermatrend.domain.Role;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.ClinicRepository;
import org.dermatrend.store.FilePhotoStore;
import org.dermatrend.store.PatientRepository;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.PhotoStore;
import org.dermatrend.store.RecordEdits;
import org.dermatrend.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A photo store that does not answer (an S3 outage) delays an analysis instead of failing it: the job stays with its
 * worker until its lease ends, is claimed again, and is done at its second attempt.
 */
class StoreOutageTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path temp;

    /** A folder store whose first {@code failures} reads fail as an unreachable bucket's would. */
    private static final class Unanswering implements PhotoStore {
        private final PhotoStore inner;
        private final AtomicInteger failures;

        Unanswering(PhotoStore inner, int failures) {
            this.inner = inner;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public Optional<byte[]> get(String clinicId, String sha) throws IOException {
            if (failures.getAndDecrement() > 0) {
                throw new IOException("the photo store s3://test: get failed (SdkClientException: Connect timed out)");
            }
            return inner.get(clinicId, sha);
        }

        @Override
        public String put(String clinicId, byte[] bytes) throws IOException {
            return inner.put(clinicId, bytes);
        }

        @Override
        public boolean exists(String clinicId, String sha) throws IOException {
            return inner.exists(clinicId, sha);
        }

        @Override
        public boolean delete(String clinicId, String sha) throws IOException {
            return inner.delete(clinicId, sha);
        }

        @Override
        public <T> T locked(String clinicId, String sha, Supplier<T> action) {
            return inner.locked(clinicId, sha, action);
        }

        @Override
        public List<Stored> list() throws IOException {
            return inner.list();
        }

        @Override
        public void remove(Stored stored) throws IOException {
            inner.remove(stored);
        }

        @Override
        public boolean reachable() {
            return failures.get() <= 0;
        }

        @Override
        public String location() {
            return "s3://test";
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void anAnalysisWhosePhotoCannotBeReadIsTriedAgainAfterItsLease() throws Exception {
        OpenCvNatives.load();
        System.setProperty("ai.djl.offline", "true");
        try (TestDatabases.Opened o = TestDatabases.open("sqlite", temp);
             Services services = Services.create(ConfigIntake.defaults(), ReliefModel.loadPackaged(), 1);
             Unanswering store = new Unanswering(new FilePhotoStore(temp.resolve("photos")), 1)) {
            String clinic = UUID.randomUUID().toString();
            new ClinicRepository(o.db()).insertWithKey(new Records.Clinic(clinic, "c", false, T0),
                    new Records.ApiKey(UUID.randomUUID().toString(), clinic, Role.ADMIN, "k", T0, null, null, null), clinic);
            PatientRepository patients = new PatientRepository(o.db());
            String patient = UUID.randomUUID().toString();
            patients.insertPatient(new Records.Patient(patient, clinic, "P", T0));
            String area = UUID.randomUUID().toString();
            patients.insertArea(new Records.Area(area, clinic, patient, "cheek", null, 0.025, T0));
            String session = UUID.randomUUID().toString();
            patients.insertSession(new Records.TreatmentSession(session, clinic, patient, LocalDate.of(2026, 3, 1), null, null, null,
                    null, T0));
            byte[] bytes = Files.readAllBytes(Path.of("datasets/demo/session-1.jpg"));
            Records.Photo photo = new Records.Photo(UUID.randomUUID().toString(), clinic, session, area, PhotoStore.sha256(bytes),
                    bytes.length, "jpeg", 1000, 750, null, null, null, T0);
            Records.Analysis queued = new Records.Analysis(UUID.randomUUID().toString(), clinic, photo.id(),
                    Records.AnalysisState.QUEUED, 0, null, null, T0, null, null, null, null, null, null);
            new RecordEdits(o.db(), store).insertPhoto(photo, queued, bytes, Optional.empty(), List.of(), T0);

            AnalysisQueue queue = new AnalysisQueue(o.db());
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ScoringService scoring = new ScoringService(services.analyzer(), 24_000_000L, 26_000_000L, 10_000);
            AnalysisRunner runner = new AnalysisRunner(services.analyzer(), scoring, patients, new PhotoRepository(o.db()), queue, store,
                    ServiceApp.json(), meters);
            Duration lease = Duration.ofSeconds(2);
            try (AnalysisWorkers workers = new AnalysisWorkers(queue, runner, new AnalysisWorkers.Settings(1, lease, 3,
                    Duration.ofMillis(100)), Clock.systemUTC(), meters, EventLog.slf4j(Clock.systemUTC()))) {
                workers.start();
                long end = System.nanoTime() + 120_000_000_000L;
                Records.Analysis a = queue.find(clinic, queued.id()).orElseThrow();
                boolean seenHeld = false;
                while (a.state() != Records.AnalysisState.DONE && a.state() != Records.AnalysisState.FAILED && System.nanoTime() < end) {
                    // After the failed read and before its lease ends, the job is still its first worker's, not failed.
                    seenHeld |= store.reachable() && a.state() == Records.AnalysisState.RUNNING && a.attempts() == 1;
                    Thread.sleep(50);
                    a = queue.find(clinic, queued.id()).orElseThrow();
                }
                assertEquals(Records.AnalysisState.DONE, a.state(), () -> "analysis after the outage: " + queue.find(clinic, queued.id()));
                assertEquals(2, a.attempts(), "the first attempt's read failed; the second, after the lease, read the photo");
                assertTrue(seenHeld, "held by its first attempt after the read failed");
            }
        }
    }
}
