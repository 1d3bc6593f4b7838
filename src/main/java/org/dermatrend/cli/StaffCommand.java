package org.dermatrend.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dermatrend.domain.Records.Clinic;
import org.dermatrend.domain.Role;
import org.dermatrend.service.Caller;
import org.dermatrend.service.Failure;
import org.dermatrend.service.StaffService;
import org.dermatrend.store.ClinicRepository;
import org.dermatrend.store.Database;
import org.dermatrend.store.StaffRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dermatrend staff invite}: an invitation link to the web app made on the service's database, for when nobody
 * can sign in to make one (the first start's link was missed or has expired, or the clinic's last admin left).
 */
@Command(name = "staff",
        mixinStandardHelpOptions = true,
        description = {
            "Makes an invitation link to the web app on a service's database (it may be running): for a given address and "
                    + "role, or, without --email, one at which the person gives their own address (as the first start's link). "
                    + "The link works once, for 7 days, and is printed once.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend staff invite --data-dir /var/lib/dermatrend --public-url https://dermatrend.example.org",
            "  dermatrend staff invite --db-url 'jdbc:postgresql://db:5432/dermatrend?user=dt' --email ana@clinic.example --role clinician "
                    + "--clinic 5b0c…",
            "",
            "Exit status: 0 the link was made, 2 bad usage (no such clinic, an address with an account), 5 the database cannot be opened."})
public final class StaffCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "invite", description = "The action: invite.")
    String action;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The service's data directory (its SQLite database).")
    Path dataDir;

    @Option(names = "--db-url", paramLabel = "JDBC-URL", description = "PostgreSQL, when the service uses it.")
    String dbUrl;

    @Option(names = "--clinic", paramLabel = "ID", description = "The clinic (default: the operator clinic, made at first start).")
    String clinicId;

    @Option(names = "--email", paramLabel = "ADDRESS", description = "The person's address (default: they give it when accepting).")
    String email;

    @Option(names = "--role", paramLabel = "ROLE", description = "admin, clinician or reviewer (default: ${DEFAULT-VALUE}).",
            defaultValue = "admin")
    String role;

    @Option(names = "--public-url", paramLabel = "URL", description = "The service's address as its users reach it, to print the "
            + "whole link (default: the path only).")
    String publicUrl;

    @Override
    public Integer call() {
        if (!"invite".equals(action)) {
            System.err.println("dermatrend staff: the only action is invite, got '" + action + "'");
            return 2;
        }
        if (dataDir == null && dbUrl == null) {
            System.err.println("dermatrend staff: give --data-dir (the SQLite database is there) or --db-url");
            return 2;
        }
        Database db;
        try {
            db = Database.open(dbUrl != null ? dbUrl : Database.embeddedUrl(dataDir), null, 2);
        } catch (RuntimeException e) {
            System.err.println("dermatrend staff: cannot open the database: " + e.getMessage());
            return 5;
        }
        try (db) {
            ClinicRepository clinics = new ClinicRepository(db);
            Optional<Clinic> clinic = clinicId != null ? clinics.findClinic(clinicId) : clinics.findOperator();
            if (clinic.isEmpty()) {
                System.err.println("dermatrend staff: " + (clinicId != null ? "no clinic " + clinicId
                        : "the database has no clinic yet; start the service once (serve) to make it"));
                return 2;
            }
            StaffService staff = new StaffService(new StaffRepository(db), StaffService.Settings.defaults(), Clock.systemUTC());
            StaffService.Invitation inv;
            try {
                inv = email == null
                        ? staff.inviteAnyAddress(clinic.get().id(), role)
                        : staff.invite(Caller.staff(clinic.get().id(), "cli", Role.ADMIN, clinic.get().operator()), email, role);
            } catch (Failure f) {
                System.err.println("dermatrend staff: " + f.getMessage());
                return 2;
            }
            String base = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
            System.out.println("Invitation to " + clinic.get().name() + " as " + inv.staff().role().label()
                    + (email == null ? " (the person gives their address)" : " for " + inv.staff().email())
                    + "; works once, for 7 days:");
            System.out.println("  " + base + "/invitations/" + inv.token());
            if (publicUrl == null) {
                System.out.println("  (open it on the service's address, e.g. https://dermatrend.example.org/invitations/…)");
            }
            return 0;
        }
    }
}
