package org.dermatrend.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.dermatrend.report.ReportPage;
import org.dermatrend.report.ReportPdf;
import org.dermatrend.report.ReportVisuals;
import org.dermatrend.wire.TrendInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dermatrend report MANIFEST.json --out report.html}: the dermatologist's report, offline. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the report of one treated area as a single self-contained HTML page (no CDN; pictures and charts "
                    + "inside): the sessions on a timeline, the baseline and any session side by side aligned (wipe slider, "
                    + "flicker, overlays for pores, redness and scar relief), one chart per metric with its trend and the "
                    + "minimal-detectable-change band, the values, quality warnings and a methods note. --pdf also writes "
                    + "the PDF for the patient file. The manifest is the trend command's.",
            ""},
        footer = {"", "Examples:",
            "  dermatrend report datasets/demo/manifest.json --out report.html",
            "  dermatrend report left-cheek.json --out report.html --pdf report.pdf",
            "",
            "Exit status: 0 written, 1 a photo could not be read, 2 bad usage or manifest."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MANIFEST.json", description = "The area's sessions (see 'trend --help').")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Option(names = "--pdf", paramLabel = "FILE", description = "Also write the PDF.")
    Path pdf;

    @Option(names = "--include-post-treatment", description = "Keep the redness of photos taken 1-3 days after a treatment.")
    boolean includePostTreatment;

    @Mixin
    IntakeOptions intake;

    @Override
    public Integer call() throws IOException {
        ReportVisuals[] visuals = new ReportVisuals[1];
        TrendCommand.Outcome o = TrendCommand.measure("report", manifest, intake, includePostTreatment,
                services -> visuals[0] = new ReportVisuals(services.overlays()));
        if (o.trend() == null) {
            return o.status();
        }
        TrendInfo trend = o.trend();
        String generated = LocalDate.now().toString();
        write(out, ReportPage.html(trend, visuals[0].frames(), generated).getBytes(StandardCharsets.UTF_8));
        System.err.println("wrote " + out);
        if (pdf != null) {
            write(pdf, ReportPdf.pdf(trend, visuals[0].frames(), generated));
            System.err.println("wrote " + pdf);
        }
        return 0;
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
