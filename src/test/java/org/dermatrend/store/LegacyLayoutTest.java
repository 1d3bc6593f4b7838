package org.dermatrend.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.domain.Records;
import org.dermatrend.domain.Role;
import org.dermatrend.service.StoredPhotos;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A photo store from before clinic folders and metadata removal: one shared file for two clinics' uploads,
 * with a camera serial in it. After the move each clinic has its own file, without the serial, the records
 * name the new bytes, the old file is gone, fsck is consistent, and a second run changes nothing.
 */
class LegacyLayoutTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path temp;

    private static String clinicWithPhoto(Database db, String sha, long size) {
        String clinic = UUID.randomUUID().toString();
        new ClinicRepository(db).insertWithKey(new Records.Clinic(clinic, "c", false, T0),
                new Records.ApiKey(UUID.randomUUID().toString(), clinic, Role.ADMIN, "k", T0, null, null, null), UUID.randomUUID().toString());
        PatientRepository patients = new PatientRepository(db);
        String patient = UUID.randomUUID().toString();
        patients.insertPatient(new Records.Patient(patient, clinic, "P", T0));
        String area = UUID.randomUUID().toString();
        patients.insertArea(new Records.Area(area, clinic, patient, "a", null, 0.025, T0));
        String session = UUID.randomUUID().toString();
        patients.insertSession(new Records.TreatmentSession(session, clinic, patient, LocalDate.of(2026, 3, 1), null, null, null, null, T0));
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO photos (id, clinic_id, session_id, area_id, sha256, byte_size, format, width, "
                        + "height, created_at) VALUES (:id, :clinic, :session, :area, :sha, :size, 'jpeg', 1000, 750, :at)")
                .bind("id", UUID.randomUUID().toString()).bind("clinic", clinic).bind("session", session).bind("area", area)
                .bind("sha", sha).bind("size", size).bind("at", Database.utc(T0)).execute());
        return clinic;
    }

    @ParameterizedTest
    @MethodSource("org.dermatrend.store.TestDatabases#kinds")
    void anOldSharedStoreMovesIntoClinicFoldersWithoutMetadata(String kind) throws Exception {
        OpenCvNatives.load();
        byte[] photo = org.dermatrend.fuzz.Jpegs.withSegment(Files.readAllBytes(Path.of("datasets/demo/session-1.jpg")), 0xFE,
                "SecretCam SN-123456789".getBytes(StandardCharsets.US_ASCII));
        String old = PhotoStore.sha256(photo);
        try (TestDatabases.Opened o = TestDatabases.open(kind, temp)) {
            FilePhotoStore store = new FilePhotoStore(temp.resolve("photos-" + kind));
            Path legacy = store.legacyPathOf(old);
            Files.createDirectories(legacy.getParent());
            Files.write(legacy, photo);
            String a = clinicWithPhoto(o.db(), old, photo.length);
            String b = clinicWithPhoto(o.db(), old, photo.length);

            assertEquals(2, LegacyLayout.migrate(o.db(), store, StoredPhotos.cleaner()));
            assertFalse(Files.exists(legacy), "the shared file is gone");
            String now = o.db().jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT sha256 FROM photos").mapTo(String.class).one());
            assertTrue(!now.equals(old), "the records name the stripped bytes");
            for (String clinic : new String[] {a, b}) {
                byte[] kept = store.get(clinic, now).orElseThrow();
                assertFalse(new String(kept, StandardCharsets.ISO_8859_1).contains("SN-123456789"), "the serial is gone");
            }
            StoreCheck.Report r = new StoreCheck(o.db(), store).check();
            assertTrue(r.consistent(), r::toString);
            assertEquals(2, r.files(), "one file per clinic");
            assertEquals(0, LegacyLayout.migrate(o.db(), store, StoredPhotos.cleaner()), "nothing left to move");
        }
    }
}
