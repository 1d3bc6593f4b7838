package org.dermatrend;

import java.io.IOException;
import java.util.Optional;
import org.dermatrend.cli.DecodeCommand;
import org.dermatrend.cli.EvalCommand;
import org.dermatrend.cli.CompareCommand;
import org.dermatrend.cli.EvalAlignCommand;
import org.dermatrend.cli.EvalScarsCommand;
import org.dermatrend.cli.QualityCommand;
import org.dermatrend.cli.ScoreCommand;

import org.dermatrend.cli.SynthCommand;
import org.dermatrend.cli.TrainCommand;
import org.dermatrend.cli.ServeCommand;
import org.dermatrend.cli.FsckCommand;
import org.dermatrend.cli.ReportCommand;
import org.dermatrend.cli.TrendCommand;
import org.dermatrend.cli.EvalRepeatabilityCommand;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.relief.ReliefModel;
import org.dermatrend.service.AccessService;
import org.dermatrend.service.RecordServices;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dermatrend} command line: loads the natives once, then hands over to a subcommand. */
@Command(name = "dermatrend",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Turns clinic skin photos into trustworthy numbers: pore size, redness and scar depth, "
                    + "and their trends across treatment sessions.",
            ""},
        subcommands = {DecodeCommand.class, QualityCommand.class, ScoreCommand.class, SynthCommand.class, EvalCommand.class, EvalAlignCommand.class, EvalScarsCommand.class, CompareCommand.class, TrainCommand.class, ServeCommand.class, EvalRepeatabilityCommand.class, TrendCommand.class, ReportCommand.class, FsckCommand.class, org.dermatrend.cli.StaffCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success, 1 an input was refused, 2 bad usage, 4 a photo failed the quality gate, "
                + "6 the scar-relief model is missing or fails its checksum.",
            "Run 'dermatrend COMMAND --help' for a command's options and examples."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        // Nothing may download at run time: DJL must use the PyTorch natives packaged with us.
        System.setProperty("ai.djl.offline", "true");
        OpenCvNatives.load();
        return new CommandLine(new Main(), new Commands()).setExecutionExceptionHandler(Main::modelFailure).execute(args);
    }

    /** Exit status when the scar-relief model cannot be used (missing, damaged, wrong architecture). */
    public static final int MODEL_UNUSABLE = 6;

    /** A model that cannot be loaded stops the program with its message, not a stack trace; anything else is a bug. */
    private static int modelFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ReliefModel.ModelLoadException) {
            cmd.getErr().println("dermatrend: " + e.getMessage());
            return MODEL_UNUSABLE;
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Makes the subcommands; serve is handed the service's wiring from here, so no command imports this package. */
    private static final class Commands implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ServeCommand.class) {
                return type.cast(new ServeCommand(Main::service));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** The service for serve: the settings checked (IllegalArgumentException naming the flag), then the model and storage opened. */
    private static ServeCommand.Server service(ServeCommand.Settings s) throws IOException {
        ServiceApp.Config config = new ServiceApp.Config(s.host(), s.port(), s.dataDir(), s.dbUrl(), null, s.workers(),
                s.maxQueued(), s.maxUploadBytes(), s.lease(), s.adminKey(), s.syncMaxPixels(), s.ratePerKey(), s.ratePerAddress(),
                s.publicUrl(), s.corsOrigins(), s.allowPrivateWebhookTargets(), s.webhookRetrySchedule(), s.photoStore(), s.decodeBudgetPixels());
        ServiceApp app = ServiceApp.create(config, ReliefModel.loadPackaged());
        return new ServeCommand.Server() {
            @Override
            public void start() {
                app.start();
            }

            @Override
            public int port() {
                return app.port();
            }

            @Override
            public Optional<AccessService.NewClinic> bootstrapped() {
                return app.bootstrapped();
            }

            @Override
            public RecordServices records() {
                return app.records();
            }

            @Override
            public org.dermatrend.service.StaffService staff() {
                return app.staff();
            }

            @Override
            public void close() {
                app.close();
            }
        };
    }

    /** Reports the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dermatrend " + (v == null ? "(development build)" : v)};
        }
    }
}
