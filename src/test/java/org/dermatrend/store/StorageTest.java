package org.dermatrend.store;

import org.dermatrend.domain.Role;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.AnalysisState;
import org.dermatrend.domain.Records.ApiKey;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Clinic;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.domain.Records.TreatmentSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Repositories and the analysis queue, on SQLite, H2 and PostgreSQL alike. */
class StorageTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path temp;

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /** A clinic with one patient, area and session, ready for photos. */
    private record World(String clinic, String patient, String area, String session) {
    }

    private static World world(Database db, String name) {
        String clinic = id();
        new ClinicRepository(db).insertWithKey(new Clinic(clinic, name, false, T0),
                new ApiKey(id(), clinic, Role.ADMIN, "first", T0, null, null, null), PhotoStore.sha256(clinic.getBytes()));
        PatientRepository patients = new PatientRepository(db);
        String patient = id();
        assertTrue(patients.insertPatient(new Patient(patient, clinic, "P-001", T0)));
        String area = id();
        assertTrue(patients.insertArea(new Area(area, clinic, patient, "left-cheek", new PixelRect(10, 20, 300, 200), 0.025, T0)));
        String session = id();
        patients.insertSession(new TreatmentSession(session, clinic, patient, LocalDate.of(2026, 3, 1), "Dermapen 4", 1.5, 3,
                "first session", T0));
        return new World(clinic, patient, area, session);
    }

    /** A photo (its own bytes, in a session of its own: one photo per session and area) and its queued analysis. */
    private Analysis queuePhoto(Database db, World w, Instant at, String idempotencyKey) {
        String photo = id();
        String session = id();
        new PatientRepository(db).insertSession(new TreatmentSession(session, w.clinic(), w.patient(), LocalDate.of(2026, 3, 1),
                null, null, null, null, T0));
        byte[] bytes = ("photo " + photo).getBytes();
        Analysis a = new Analysis(id(), w.clinic(), photo, AnalysisState.QUEUED, 0, null, null, at, null, null, null, null, null, null);
        try {
            RecordEdits.Inserted r = new RecordEdits(db, new FilePhotoStore(temp.resolve("photos"))).insertPhoto(new Photo(photo,
                    w.clinic(), session, w.area(), PhotoStore.sha256(bytes), bytes.length, "jpeg", 800, 600, null, idempotencyKey,
                    idempotencyKey == null ? null : "h", at), a, bytes, Optional.empty(), List.of(), at);
            return r == RecordEdits.Inserted.NEW ? a : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void recordsRoundTripAndStayInsideTheirClinic(String kind) {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            Database db = o.db();
            World a = world(db, "Clinic A");
            World b = world(db, "Clinic B");
            PatientRepository patients = new PatientRepository(db);
            Area area = patients.findArea(a.clinic(), a.area()).orElseThrow();
            assertEquals(new PixelRect(10, 20, 300, 200), area.roi());
            assertEquals(0.025, area.mmPerPx());
            TreatmentSession s = patients.findSession(a.clinic(), a.session()).orElseThrow();
            assertEquals(LocalDate.of(2026, 3, 1), s.date());
            assertEquals(1.5, s.needleDepthMm());
            assertEquals(T0, s.createdAt());
            // Same reference in another clinic is another patient; in the same clinic it is refused.
            assertFalse(patients.insertPatient(new Patient(id(), a.clinic(), "P-001", T0)));
            assertFalse(patients.insertArea(new Area(id(), a.clinic(), a.patient(), "left-cheek", null, null, T0)));
            // Every lookup with the other clinic's id finds nothing.
            assertEquals(Optional.empty(), patients.findPatient(b.clinic(), a.patient()));
            assertEquals(Optional.empty(), patients.findArea(b.clinic(), a.area()));
            assertEquals(Optional.empty(), patients.findSession(b.clinic(), a.session()));
            Analysis queued = queuePhoto(db, a, T0, null);
            assertEquals(Optional.empty(), new PhotoRepository(db).find(b.clinic(), queued.photoId()));
            assertEquals(Optional.empty(), new AnalysisQueue(db).find(b.clinic(), queued.id()));
            assertTrue(new AnalysisQueue(db).find(a.clinic(), queued.id()).isPresent());
            assertEquals(1, patients.listPatients(a.clinic(), 10, 0).size());
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void anIdempotencyKeyHoldsOnePhotoPerClinic(String kind) {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            World a = world(o.db(), "A");
            World b = world(o.db(), "B");
            assertTrue(queuePhoto(o.db(), a, T0, "upload-1") != null);
            assertEquals(null, queuePhoto(o.db(), a, T0, "upload-1"), "the second photo with the key is not stored");
            assertTrue(queuePhoto(o.db(), b, T0, "upload-1") != null, "keys are per clinic");
            assertEquals(1, new AnalysisQueue(o.db()).countByState().get(AnalysisState.QUEUED) - 1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void concurrentWorkersClaimEveryJobExactlyOnce(String kind) throws Exception {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            World w = world(o.db(), "A");
            int jobs = 40;
            for (int i = 0; i < jobs; i++) {
                queuePhoto(o.db(), w, T0.plusSeconds(i), null);
            }
            AnalysisQueue queue = new AnalysisQueue(o.db());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    Optional<Analysis> job;
                    while ((job = queue.claim(worker, T0.plusSeconds(100), Duration.ofMinutes(5), 3)).isPresent()) {
                        mine.add(job.get().id());
                        assertTrue(queue.complete(job.get().id(), worker, "{}", T0.plusSeconds(101)));
                    }
                    return mine;
                }));
            }
            List<String> all = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<String>> f : futures) {
                all.addAll(f.get());
            }
            pool.shutdown();
            assertEquals(jobs, all.size(), "every job claimed");
            assertEquals(jobs, new HashSet<>(all).size(), "no job claimed twice");
            assertEquals(jobs, queue.countByState().get(AnalysisState.DONE));
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void aDeadWorkersJobIsRetriedThenAbandoned(String kind) {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            World w = world(o.db(), "A");
            Analysis a = queuePhoto(o.db(), w, T0, null);
            AnalysisQueue queue = new AnalysisQueue(o.db());
            Duration lease = Duration.ofSeconds(30);
            Analysis first = queue.claim("dead", T0, lease, 2).orElseThrow();
            assertEquals(1, first.attempts());
            assertEquals(AnalysisState.RUNNING, first.state());
            assertTrue(queue.claim("other", T0.plusSeconds(10), lease, 2).isEmpty(), "a held lease is respected");
            Analysis second = queue.claim("other", T0.plusSeconds(31), lease, 2).orElseThrow();
            assertEquals(a.id(), second.id());
            assertEquals(2, second.attempts());
            assertFalse(queue.complete(a.id(), "dead", "{\"stale\":true}", T0.plusSeconds(32)), "the old worker lost it");
            // The second worker dies too: after its lease the job has used its attempts and is failed.
            assertTrue(queue.claim("third", T0.plusSeconds(62), lease, 2).isEmpty());
            assertEquals(1, queue.failExhausted(T0.plusSeconds(62), 2));
            Analysis failed = queue.find(w.clinic(), a.id()).orElseThrow();
            assertEquals(AnalysisState.FAILED, failed.state());
            assertEquals("analysis_abandoned", failed.failureCode());
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void releasedJobsGoBackToTheQueueWithoutSpendingAnAttempt(String kind) {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            World w = world(o.db(), "A");
            queuePhoto(o.db(), w, T0, null);
            AnalysisQueue queue = new AnalysisQueue(o.db());
            queue.claim("stopping", T0, Duration.ofMinutes(5), 3).orElseThrow();
            assertEquals(1, queue.countPending());
            assertEquals(1, queue.release("stopping"));
            Analysis again = queue.claim("next", T0.plusSeconds(1), Duration.ofMinutes(5), 3).orElseThrow();
            assertEquals(1, again.attempts());
            assertTrue(queue.fail(again.id(), "next", "quality_failed", "blurred", "{\"issues\":[]}", T0.plusSeconds(2)));
            assertEquals(0, queue.countPending());
        }
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void racingInsertsOfOneReferenceMakeOnePatient(String kind) throws Exception {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            World w = world(o.db(), "A");
            PatientRepository patients = new PatientRepository(o.db());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                String reference = "RACE-" + round;
                for (int t = 0; t < 4; t++) {
                    tries.add(pool.submit(() -> patients.insertPatient(new Patient(id(), w.clinic(), reference, T0))));
                }
            }
            int made = 0;
            for (Future<Boolean> f : tries) {
                made += f.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(10, made, "one patient per reference, the other inserts answered 'exists' without an error");
        }
    }

    /** Both stores: content-addressed, idempotent, per clinic, nothing left over; a missing photo is empty, not an error. */
    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestStores#kinds")
    void photoStoreWritesAtomicallyByContent(String storeKind) throws Exception {
        try (PhotoStore store = TestStores.open(storeKind, temp)) {
            byte[] bytes = "not really a photo".getBytes();
            String clinic = id();
            String sha = store.put(clinic, bytes);
            assertEquals(PhotoStore.sha256(bytes), sha);
            assertEquals(sha, store.put(clinic, bytes), "same bytes, same address");
            assertEquals(new String(bytes), new String(store.get(clinic, sha).orElseThrow()));
            assertTrue(store.exists(clinic, sha));
            assertTrue(store.get(clinic, "00".repeat(32)).isEmpty());
            assertFalse(store.exists(clinic, "00".repeat(32)));
            assertTrue(store.get(id(), sha).isEmpty(), "another clinic's bytes are not this clinic's");
            List<PhotoStore.Stored> listed = store.list();
            assertEquals(1, listed.size(), "one object, no temporary left behind: " + listed);
            assertEquals(clinic, listed.get(0).clinicId());
            assertEquals(sha, listed.get(0).sha());
            assertTrue(listed.get(0).name().endsWith(clinic + "/" + sha.substring(0, 2) + "/" + sha.substring(2)), listed.get(0).name());
            assertFalse(listed.get(0).temporary());
            assertTrue(store.delete(clinic, sha));
            assertFalse(store.delete(clinic, sha), "gone already");
            assertTrue(store.get(clinic, sha).isEmpty());
            assertThrows(IllegalArgumentException.class, () -> store.get("../x", sha), "a clinic id is an id");
            assertThrows(IllegalArgumentException.class, () -> store.get(clinic, "../" + sha.substring(3)), "a digest is a digest");
        }
    }

    /**
     * Erasure on every database: the rows go in one transaction, the bytes are listed and then removed unless
     * another record of the clinic has them; a correction's redo is queued after the analysis it supersedes.
     */
    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestStores#databasesAndStores")
    void erasureRemovesRowsThenBytesKeepingSharedOnes(String kind, String storeKind) throws Exception {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp); PhotoStore store = TestStores.open(storeKind, temp)) {
            World w = world(o.db(), "Erase");
            RecordEdits edits = new RecordEdits(o.db(), store);
            byte[] same = ("the same bytes " + kind).getBytes();
            List<String> photos = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String session = id();
                new PatientRepository(o.db()).insertSession(new TreatmentSession(session, w.clinic(), w.patient(),
                        LocalDate.of(2026, 3, 1 + i), null, null, null, null, T0));
                byte[] bytes = i < 2 ? same : ("other " + kind).getBytes();
                Photo p = new Photo(id(), w.clinic(), session, w.area(), PhotoStore.sha256(bytes), bytes.length, "jpeg", 800, 600, null,
                        null, null, T0);
                assertEquals(RecordEdits.Inserted.NEW, edits.insertPhoto(p, new Analysis(id(), w.clinic(), p.id(), AnalysisState.QUEUED,
                        0, null, null, T0, null, null, null, null, null, null), bytes, Optional.empty(), List.of(), T0));
                photos.add(p.id());
            }
            // A second photo in a session's slot is refused, and stores nothing new.
            Photo twin = new Photo(id(), w.clinic(), new PhotoRepository(o.db()).find(w.clinic(), photos.get(0)).orElseThrow().sessionId(),
                    w.area(), PhotoStore.sha256("twin".getBytes()), 4, "jpeg", 8, 6, null, null, null, T0);
            assertEquals(RecordEdits.Inserted.SLOT_TAKEN, edits.insertPhoto(twin, new Analysis(id(), w.clinic(), twin.id(),
                    AnalysisState.QUEUED, 0, null, null, T0, null, null, null, null, null, null), "twin".getBytes(), Optional.empty(),
                    List.of(), T0));
            assertFalse(store.exists(w.clinic(), twin.sha256()), "a refused upload leaves no bytes");

            RecordEdits.Erased e = edits.deletePhotos(w.clinic(), List.of(photos.get(0)), List.of(new RecordEdits.Redo(photos.get(2),
                    "baseline_changed")), T0.plusSeconds(10));
            assertEquals(List.of(photos.get(0)), e.photoIds());
            assertEquals(1, edits.pendingErasures());
            assertEquals(0, edits.finishErasures(), "the other photo has the same bytes: the file stays");
            assertTrue(store.exists(w.clinic(), PhotoStore.sha256(same)));
            assertEquals(0, edits.pendingErasures());
            Analysis redone = new AnalysisQueue(o.db()).findByPhoto(w.clinic(), photos.get(2)).orElseThrow();
            assertEquals(AnalysisState.QUEUED, redone.state());
            assertEquals(null, redone.redoReason(), "still queued: it keeps its analysis, which will read the corrected records");

            edits.deletePatient(w.clinic(), w.patient(), T0.plusSeconds(20));
            assertEquals(2, edits.finishErasures());
            assertFalse(store.exists(w.clinic(), PhotoStore.sha256(same)));
            assertTrue(new PatientRepository(o.db()).findPatient(w.clinic(), w.patient()).isEmpty());
            StoreCheck.Report r = new StoreCheck(o.db(), store).check();
            assertTrue(r.consistent(), r::toString);
        }
    }

    /**
     * Two service processes on one PostgreSQL and one photo store (a shared folder, a shared bucket): one uploads the
     * bytes of a photo the other is erasing, round after round, each with its own database pool and its own store (so
     * neither shares the other's in-process lock). Whichever order they take, every photo record that is committed has
     * its bytes: the advisory lock and the re-check under it are the whole cross-process guarantee, for S3 as for a folder.
     */
    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestStores#kinds")
    void anUploadRacingAnotherProcesssErasureOfTheSameBytesNeverLosesThem(String storeKind) throws Exception {
        try (TestDatabases.Opened o = TestDatabases.open("postgresql", temp);
             Database other = Database.open(o.url(), o.schema(), 6);
             PhotoStore mine = TestStores.open(storeKind, temp);
             PhotoStore theirs = storeKind.equals("s3") ? S3PhotoStore.open(S3PhotoStore.Location.parse(mine.location()))
                     : new FilePhotoStore(java.nio.file.Path.of(mine.location()))) {
            World w = world(o.db(), "Race");
            RecordEdits uploader = new RecordEdits(o.db(), mine);
            RecordEdits eraser = new RecordEdits(other, theirs);
            byte[] bytes = ("the same photo " + storeKind).getBytes();
            String sha = PhotoStore.sha256(bytes);
            int rounds = 30;
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i <= rounds; i++) {
                String session = id();
                new PatientRepository(o.db()).insertSession(new TreatmentSession(session, w.clinic(), w.patient(),
                        LocalDate.of(2026, 1, 1).plusDays(i), null, null, null, null, T0));
                sessions.add(session);
            }
            java.util.function.IntFunction<Photo> photo = i -> new Photo(id(), w.clinic(), sessions.get(i), w.area(), sha, bytes.length,
                    "jpeg", 800, 600, null, null, null, T0);
            Photo previous = photo.apply(0);
            assertEquals(RecordEdits.Inserted.NEW, uploader.insertPhoto(previous, new Analysis(id(), w.clinic(), previous.id(),
                    AnalysisState.QUEUED, 0, null, null, T0, null, null, null, null, null, null), bytes, Optional.empty(), List.of(), T0));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            int removedFirst = 0;
            try {
                for (int i = 1; i <= rounds; i++) {
                    Photo next = photo.apply(i);
                    String doomed = previous.id();
                    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                    Future<RecordEdits.Inserted> up = pool.submit(() -> {
                        start.await();
                        return uploader.insertPhoto(next, new Analysis(id(), w.clinic(), next.id(), AnalysisState.QUEUED, 0, null, null,
                                T0, null, null, null, null, null, null), bytes, Optional.empty(), List.of(), T0);
                    });
                    Future<Integer> erase = pool.submit(() -> {
                        start.await();
                        eraser.deletePhotos(w.clinic(), List.of(doomed), List.of(), T0);
                        return eraser.finishErasures();
                    });
                    assertEquals(RecordEdits.Inserted.NEW, up.get());
                    // 1: the erasure removed the bytes before the upload's commit, which then wrote them again under the lock.
                    removedFirst += erase.get();
                    assertTrue(mine.exists(w.clinic(), sha) && theirs.exists(w.clinic(), sha), "round " + i + ": the committed photo "
                            + "has its bytes");
                    previous = next;
                }
            } finally {
                pool.shutdown();
            }
            System.err.printf("race on %s: in %d of %d rounds the erasure removed the bytes first and the upload wrote them again%n",
                    storeKind, removedFirst, rounds);
            eraser.deletePhotos(w.clinic(), List.of(previous.id()), List.of(), T0);
            assertEquals(1, eraser.finishErasures(), "the last photo erased: its bytes go");
            assertFalse(mine.exists(w.clinic(), sha));
            StoreCheck.Report r = new StoreCheck(o.db(), mine).check();
            assertTrue(r.consistent(), r::toString);
        }
    }

    /** Two photos of a session and area stored before the one-photo rule: erasing the slot's holder gives the slot to the other. */
    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void aTwinFromBeforeTheOnePhotoRuleTakesTheSlotWhenTheOtherGoes(String kind) throws Exception {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            World w = world(o.db(), "Twins");
            String first = id();
            String second = id();
            for (String p : List.of(first, second)) {
                o.db().jdbi().useHandle(h -> h.createUpdate("INSERT INTO photos (id, clinic_id, session_id, area_id, sha256, byte_size, "
                                + "format, width, height, created_at, slot) VALUES (:id, :clinic, :session, :area, :sha, 1, 'jpeg', 8, 6, :at, :slot)")
                        .bind("id", p).bind("clinic", w.clinic()).bind("session", w.session()).bind("area", w.area())
                        .bind("sha", "cd".repeat(32)).bind("at", Database.utc(p.equals(first) ? T0 : T0.plusSeconds(1)))
                        .bind("slot", p.equals(first) ? w.session() + "|" + w.area() : null).execute());
            }
            RecordEdits edits = new RecordEdits(o.db(), new FilePhotoStore(temp.resolve("photos")));
            edits.deletePhotos(w.clinic(), List.of(first), List.of(), T0.plusSeconds(5));
            String holder = o.db().jdbi().withHandle(h -> h.createQuery("SELECT id FROM photos WHERE slot IS NOT NULL").mapTo(String.class).one());
            assertEquals(second, holder, "the remaining twin holds the slot");
            byte[] bytes = "third".getBytes();
            Photo third = new Photo(id(), w.clinic(), w.session(), w.area(), PhotoStore.sha256(bytes), bytes.length, "jpeg", 8, 6, null,
                    null, null, T0);
            assertEquals(RecordEdits.Inserted.SLOT_TAKEN, edits.insertPhoto(third, new Analysis(id(), w.clinic(), third.id(),
                    AnalysisState.QUEUED, 0, null, null, T0, null, null, null, null, null, null), bytes, Optional.empty(), List.of(), T0));
        }
    }

    /** Sub-second timestamps keep time order in every database (SQLite compares them as text). */
    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void queueOrderAndLeasesFollowTimeBelowASecond(String kind) {
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            World w = world(o.db(), "Sub-second");
            Analysis later = queuePhoto(o.db(), w, T0.plusMillis(250), null);
            Analysis earlier = queuePhoto(o.db(), w, T0, null);
            AnalysisQueue queue = new AnalysisQueue(o.db());
            Analysis first = queue.claim("w", T0.plusSeconds(1), Duration.ofMillis(1500), 3).orElseThrow();
            assertEquals(earlier.id(), first.id(), "T0 comes before T0 + 250 ms");
            assertEquals(T0.plusMillis(2500), first.leaseUntil(), "the lease round-trips to the millisecond");
            Analysis second = queue.claim("w", T0.plusSeconds(1), Duration.ofMillis(1500), 3).orElseThrow();
            assertEquals(later.id(), second.id());
            // 1 ms before the lease ends it is held; 1 ms after, it can be claimed again.
            assertTrue(queue.claim("x", T0.plusMillis(2499), Duration.ofSeconds(1), 3).isEmpty());
            assertEquals(earlier.id(), queue.claim("x", T0.plusMillis(2501), Duration.ofSeconds(1), 3).orElseThrow().id());
        }
    }

    @Test
    void theEmbeddedDefaultIsSqliteWithADurableWriteAheadLog() {
        try (TestDatabases.Opened o = TestDatabases.open("sqlite", temp)) {
            assertEquals(Dialect.SQLITE, o.db().dialect());
            o.db().jdbi().useHandle(h -> {
                assertEquals("wal", h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
                assertEquals(2, h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one(), "2 = FULL: fsync at every commit");
                assertEquals(1, h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
                assertEquals(1, h.createQuery("PRAGMA secure_delete").mapTo(Integer.class).one(), "erased rows are zeroed");
            });
            // Foreign keys hold: a patient of a clinic that does not exist is refused.
            assertThrows(RuntimeException.class, () -> new PatientRepository(o.db()).insertPatient(new Patient(id(), id(), "P-9", T0)));
        }
    }

    @Test
    void aDataDirectoryWithOnlyAnOldH2DatabaseIsNotSilentlyReplaced() throws Exception {
        Path data = temp.resolve("old");
        Files.createDirectories(data.resolve("db"));
        Files.write(data.resolve("db/dermatrend.mv.db"), new byte[] {1});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Database.embeddedUrl(data));
        assertTrue(e.getMessage().contains("--db-url 'jdbc:h2:file:"), e.getMessage());
        Files.write(data.resolve("db/dermatrend.sqlite"), new byte[0]);
        assertTrue(Database.embeddedUrl(data).startsWith("jdbc:sqlite:"), "both present: the SQLite one is in use");
    }
}
