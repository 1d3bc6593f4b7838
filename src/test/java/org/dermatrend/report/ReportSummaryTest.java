package org.dermatrend.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.dermatrend.wire.TrendInfo;
import org.junit.jupiter.api.Test;

/**
 * A session whose scale looks wrong ({@code scale_suspect}) moves every size and density it reports, so the report says
 * so in its summary, above the verdicts, in the HTML and the PDF; other warnings stay in "Quality warnings" only.
 */
class ReportSummaryTest {

    @Test
    void aSuspectScaleIsCalledOutInTheSummary() throws IOException {
        TrendInfo t = trend(List.of("color_not_calibrated"), List.of("scale_suspect", "color_not_calibrated"));
        String html = ReportPage.html(t, Map.of(), "2026-12-02");
        String summary = html.substring(html.indexOf("<section id=\"summary\">"), html.indexOf("</section>", html.indexOf("<section id=\"summary\">")));
        assertTrue(summary.contains("Check the scale") && summary.contains("for 2026-02-02 does not fit what the photo shows"), summary);
        assertFalse(summary.contains("2026-01-05"), "only the session with the warning is named: " + summary);
        assertTrue(pdfText(ReportPdf.pdf(t, Map.of(), "2026-12-02")).contains("Check the scale"), "the PDF says it too");
    }

    /** A follow-up's scale comes from the baseline's, so a suspect baseline scale is every session's. */
    @Test
    void aSuspectBaselineScaleIsEverySessions() {
        String html = ReportPage.html(trend(List.of("scale_suspect"), List.of()), Map.of(), "2026-12-02");
        assertTrue(html.contains("for every session does not fit what the photos show"), html);
    }

    @Test
    void otherWarningsDoNotReachTheSummary() throws IOException {
        TrendInfo t = trend(List.of("color_not_calibrated"), List.of("uneven_for_a_star"));
        String html = ReportPage.html(t, Map.of(), "2026-12-02");
        assertFalse(html.contains("Check the scale"), "no caution without scale_suspect");
        assertTrue(html.contains("a* and ITA are left out"), "the warning is worded under Quality warnings");
        assertFalse(pdfText(ReportPdf.pdf(t, Map.of(), "2026-12-02")).contains("Check the scale"));
    }

    private static TrendInfo trend(List<String> first, List<String> second) {
        List<TrendInfo.Session> sessions = List.of(
                new TrendInfo.Session(LocalDate.parse("2026-01-05"), "s1.jpg", null, null, "done", true, null, false, first, Map.of()),
                new TrendInfo.Session(LocalDate.parse("2026-02-02"), "s2.jpg", null, null, "done", true, null, false, second, Map.of()));
        return new TrendInfo("P-1", "left cheek", null, LocalDate.parse("2026-01-05"), "s1.jpg", sessions, Map.of(), List.of());
    }

    private static String pdfText(byte[] pdf) throws IOException {
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            StringBuilder text = new StringBuilder();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
            return text.toString().replaceAll("\\s+", " ");
        } finally {
            reader.close();
        }
    }
}
