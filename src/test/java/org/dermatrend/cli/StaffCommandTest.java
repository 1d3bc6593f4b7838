package org.dermatrend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dermatrend.domain.Role;
import org.dermatrend.service.AccessService;
import org.dermatrend.service.StaffService;
import org.dermatrend.store.ClinicRepository;
import org.dermatrend.store.Database;
import org.dermatrend.store.StaffRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code staff invite} makes a working invitation on a service's database, for a given address or for any. */
class StaffCommandTest {
    @TempDir
    Path data;

    @Test
    void invitesToTheOperatorClinicOrAGivenOneAndRefusesWhatCannotWork() {
        assertEquals(2, Cli.run("staff", "invite").status(), "no database named");
        assertEquals(2, Cli.run("staff", "invite", "--data-dir", data.toString()).status(), "no clinic yet");
        String clinicId;
        try (Database db = Database.open(Database.embeddedUrl(data), null, 2)) {
            clinicId = new AccessService(new ClinicRepository(db), Clock.systemUTC()).bootstrap("Clinic A", null).orElseThrow().clinic().id();
        }

        Cli.Result any = Cli.run("staff", "invite", "--data-dir", data.toString(), "--public-url", "https://dt.example.org/");
        assertEquals(0, any.status(), any.out());
        Matcher m = Pattern.compile("https://dt\\.example\\.org/invitations/([A-Za-z0-9_-]{43})").matcher(any.out());
        assertTrue(m.find(), any.out());
        Cli.Result named = Cli.run("staff", "invite", "--data-dir", data.toString(), "--email", "Ana@Clinic.example", "--role", "clinician",
                "--clinic", clinicId);
        assertEquals(0, named.status(), named.out());
        assertTrue(named.out().contains("for ana@clinic.example"), named.out());
        assertEquals(2, Cli.run("staff", "invite", "--data-dir", data.toString(), "--email", "ana@clinic.example").status(),
                "one account per address");
        assertEquals(2, Cli.run("staff", "invite", "--data-dir", data.toString(), "--role", "app").status(), "app is for keys");
        assertEquals(2, Cli.run("staff", "invite", "--data-dir", data.toString(), "--clinic", "no-such-clinic").status());

        try (Database db = Database.open(Database.embeddedUrl(data), null, 2)) {
            StaffService staff = new StaffService(new StaffRepository(db), StaffService.Settings.defaults(), Clock.systemUTC());
            var accepted = staff.accept(m.group(1), "boss@clinic.example", "Boss", "a long enough password");
            assertEquals(Role.ADMIN, accepted.role());
            assertEquals(clinicId, accepted.clinicId(), "the operator clinic");
            assertEquals("boss@clinic.example", staff.signIn("boss@clinic.example", "a long enough password").staff().email());
        }
    }
}
