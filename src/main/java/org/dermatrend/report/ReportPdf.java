package org.dermatrend.report;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dermatrend.wire.TrendInfo;

/**
 * The report as a PDF for the patient file (OpenPDF): summary, the baseline and the latest session
 * aligned side by side, one vector chart per metric (the same geometry as the HTML), the values per
 * session with each metric's MDC and verdict, quality warnings and the methods note.
 */
public final class ReportPdf {
    private static final Font TITLE = new Font(Font.HELVETICA, 16, Font.BOLD);
    private static final Font H2 = new Font(Font.HELVETICA, 12, Font.BOLD);
    private static final Font BODY = new Font(Font.HELVETICA, 9);
    private static final Font CAUTION = new Font(Font.HELVETICA, 9, Font.BOLD, new Color(140, 70, 0));
    private static final Font SMALL = new Font(Font.HELVETICA, 7, Font.NORMAL, new Color(90, 102, 117));
    private static final Font CELL = new Font(Font.HELVETICA, 7);
    private static final Font CELL_BOLD = new Font(Font.HELVETICA, 7, Font.BOLD);
    private static final Color TEAL = new Color(31, 122, 140);
    private static final Color ORANGE = new Color(232, 145, 45);
    private static final Color GREY = new Color(154, 165, 177);

    private ReportPdf() {
    }

    public static byte[] pdf(TrendInfo t, Map<String, ReportVisuals.Frame> frames, String generatedOn) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 36, 36, 36, 36);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            doc.addTitle("Treatment progress " + t.patient() + " " + t.area());
            doc.addCreator("dermatrend");
            doc.open();
            doc.add(new Paragraph(pdfText("Treatment progress: " + t.patient() + ", " + t.area()), TITLE));
            doc.add(new Paragraph(pdfText("Baseline " + t.baselineDate() + " · " + t.sessions().size() + " sessions, "
                    + t.sessions().stream().filter(TrendInfo.Session::usable).count() + " usable · generated " + generatedOn
                    + " by dermatrend"), SMALL));
            doc.add(heading("Summary"));
            Optional<String> caution = QualityWords.summaryCaution(t);
            if (caution.isPresent()) {
                doc.add(new Paragraph(pdfText(caution.get()), CAUTION));
            }
            doc.add(summaryTable(t));
            doc.add(new Paragraph(pdfText("A change is called improving or worsening only when it exceeds the metric's minimal "
                    + "detectable change (the noise of re-photographing unchanged skin) and the sessions follow it; otherwise "
                    + "stable. Fewer than three usable sessions: insufficient data."), SMALL));
            photos(doc, t, frames);
            doc.newPage();
            doc.add(heading("Metrics over time"));
            doc.add(new Paragraph(pdfText("Points: the sessions. Dashed line: the least-squares trend; shaded fan: its 95 % "
                    + "interval. Grey band: baseline ± the minimal detectable change."), SMALL));
            charts(doc, writer, t);
            doc.newPage();
            doc.add(heading("Values"));
            doc.add(valuesTable(t));
            doc.add(heading("Quality warnings"));
            warnings(doc, t);
            doc.add(heading("Methods"));
            for (String item : ReportPage.METHODS.replace("<ul>", "").replace("</ul>", "").split("</li>")) {
                String text = item.replaceAll("<[^>]+>", "").trim();
                if (!text.isEmpty()) {
                    doc.add(new Paragraph(pdfText("• " + text), BODY));
                }
            }
            doc.close();
        } catch (DocumentException | IOException e) {
            throw new IllegalStateException("cannot write the report PDF: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static Paragraph heading(String text) {
        Paragraph p = new Paragraph(pdfText(text), H2);
        p.setSpacingBefore(12);
        p.setSpacingAfter(4);
        return p;
    }

    private static PdfPTable summaryTable(TrendInfo t) {
        PdfPTable table = new PdfPTable(new float[] {3.2f, 1.6f, 1.4f, 1.6f, 1.8f});
        table.setWidthPercentage(100);
        for (String h : new String[] {"Metric", "Verdict", "Change", "Noise (MDC95)", "Per 30 days"}) {
            table.addCell(cell(h, CELL_BOLD, new Color(242, 245, 248)));
        }
        for (TrendInfo.Metric m : t.metrics().values()) {
            table.addCell(cell(m.label() + " (" + m.unit() + ")", CELL, null));
            table.addCell(cell(m.verdict(), CELL_BOLD, verdictColour(m.verdict())));
            table.addCell(cell(m.changePercent() == null ? "–" : String.format(java.util.Locale.ROOT, "%+.1f %%", m.changePercent()),
                    CELL, null));
            table.addCell(cell(m.mdc() == null ? "–" : "±" + ReportPage.num(m.mdc()), CELL, null));
            table.addCell(cell(m.slopePer30Days() == null ? "–" : ReportPage.num(m.slopePer30Days()), CELL, null));
        }
        return table;
    }

    private static void photos(Document doc, TrendInfo t, Map<String, ReportVisuals.Frame> frames) throws DocumentException, IOException {
        List<TrendInfo.Session> usable = t.sessions().stream().filter(TrendInfo.Session::usable).toList();
        if (usable.size() < 2 || !frames.containsKey(t.baselinePhoto())) {
            return;
        }
        TrendInfo.Session last = usable.get(usable.size() - 1);
        doc.add(heading("Baseline and latest session, aligned"));
        PdfPTable pair = new PdfPTable(2);
        pair.setWidthPercentage(100);
        for (TrendInfo.Session s : List.of(usable.get(0), last)) {
            ReportVisuals.Frame f = frames.get(s.photo());
            Image img = Image.getInstance(dataUri(f.photo()));
            PdfPCell c = new PdfPCell(img, true);
            c.setBorder(0);
            c.setPadding(2);
            pair.addCell(c);
        }
        pair.addCell(cell("Baseline " + usable.get(0).date(), SMALL, null));
        pair.addCell(cell("Session " + last.date() + " (warped into the baseline's frame)", SMALL, null));
        doc.add(pair);
    }

    private static void charts(Document doc, PdfWriter writer, TrendInfo t) throws DocumentException {
        PdfPTable grid = new PdfPTable(2);
        grid.setWidthPercentage(100);
        int n = 0;
        for (TrendInfo.Metric m : t.metrics().values()) {
            PdfTemplate tpl = writer.getDirectContent().createTemplate(ChartGeometry.W, ChartGeometry.H);
            draw(tpl, ChartGeometry.of(m));
            Image chart = Image.getInstance(tpl);
            PdfPCell c = new PdfPCell();
            c.setBorder(0);
            c.setPadding(4);
            c.addElement(new Paragraph(pdfText(m.label() + " – " + m.verdict()), CELL_BOLD));
            chart.scaleToFit(250, 150);
            c.addElement(chart);
            grid.addCell(c);
            n++;
        }
        if (n % 2 == 1) {
            PdfPCell empty = new PdfPCell();
            empty.setBorder(0);
            grid.addCell(empty);
        }
        doc.add(grid);
    }

    /** Draws the chart (PDF y grows upwards: flip). */
    private static void draw(PdfContentByte cb, ChartGeometry g) {
        int h = ChartGeometry.H;
        if (g.mdcBand() != null) {
            double[] b = g.mdcBand();
            cb.setColorFill(new Color(222, 226, 231));
            cb.rectangle((float) b[0], (float) (h - b[1] - b[3]), (float) b[2], (float) b[3]);
            cb.fill();
        }
        if (g.fan() != null) {
            cb.setColorFill(new Color(250, 228, 200));
            List<double[]> f = g.fan();
            cb.moveTo((float) f.get(0)[0], (float) (h - f.get(0)[1]));
            for (int i = 1; i < f.size(); i++) {
                cb.lineTo((float) f.get(i)[0], (float) (h - f.get(i)[1]));
            }
            cb.closePath();
            cb.fill();
        }
        if (g.fit() != null) {
            cb.setColorStroke(ORANGE);
            cb.setLineWidth(1f);
            cb.setLineDash(4, 3, 0);
            cb.moveTo((float) g.fit().get(0)[0], (float) (h - g.fit().get(0)[1]));
            cb.lineTo((float) g.fit().get(1)[0], (float) (h - g.fit().get(1)[1]));
            cb.stroke();
            cb.setLineDash(0);
        }
        cb.setColorStroke(GREY);
        cb.setLineWidth(0.6f);
        cb.moveTo(ChartGeometry.L, ChartGeometry.B);
        cb.lineTo(ChartGeometry.W - ChartGeometry.R, ChartGeometry.B);
        cb.stroke();
        cb.setColorStroke(TEAL);
        cb.setColorFill(TEAL);
        cb.setLineWidth(1.6f);
        List<double[]> p = g.points();
        for (int i = 0; i < p.size(); i++) {
            if (i == 0) {
                cb.moveTo((float) p.get(i)[0], (float) (h - p.get(i)[1]));
            } else {
                cb.lineTo((float) p.get(i)[0], (float) (h - p.get(i)[1]));
            }
        }
        if (p.size() > 1) {
            cb.stroke();
        }
        for (double[] pt : p) {
            cb.circle((float) pt[0], (float) (h - pt[1]), 3f);
            cb.fill();
        }
        try {
            BaseFont font = BaseFont.createFont(BaseFont.HELVETICA, BaseFont.WINANSI, false);
            cb.beginText();
            cb.setFontAndSize(font, 8);
            cb.setColorFill(new Color(90, 102, 117));
            for (ChartGeometry.Tick t : g.yTicks()) {
                cb.showTextAligned(Element.ALIGN_RIGHT, pdfText(t.label()), ChartGeometry.L - 4, (float) (h - t.pos() - 3), 0);
            }
            for (ChartGeometry.Tick t : g.xTicks()) {
                cb.showTextAligned(Element.ALIGN_CENTER, pdfText(t.label()), (float) t.pos(), 6, 0);
            }
            cb.endText();
        } catch (DocumentException | IOException e) {
            throw new IllegalStateException("Helvetica is built into every PDF reader", e);
        }
    }

    private static PdfPTable valuesTable(TrendInfo t) {
        List<TrendInfo.Session> sessions = t.sessions();
        float[] widths = new float[sessions.size() + 2];
        widths[0] = 3.2f;
        for (int i = 1; i < widths.length; i++) {
            widths[i] = 1.2f;
        }
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.addCell(cell("Metric", CELL_BOLD, new Color(242, 245, 248)));
        for (TrendInfo.Session s : sessions) {
            table.addCell(cell(s.date() + (s.usable() ? "" : " (left out)") + (s.postTreatment() ? " *" : ""), CELL_BOLD,
                    new Color(242, 245, 248)));
        }
        table.addCell(cell("MDC95", CELL_BOLD, new Color(242, 245, 248)));
        for (Map.Entry<String, TrendInfo.Metric> e : t.metrics().entrySet()) {
            table.addCell(cell(e.getValue().label() + " (" + e.getValue().unit() + ")", CELL, null));
            for (TrendInfo.Session s : sessions) {
                Double v = s.values() == null ? null : s.values().get(e.getKey());
                table.addCell(cell(v == null ? "–" : ReportPage.num(v), CELL, null));
            }
            table.addCell(cell(e.getValue().mdc() == null ? "–" : "±" + ReportPage.num(e.getValue().mdc()), CELL, null));
        }
        return table;
    }

    private static void warnings(Document doc, TrendInfo t) throws DocumentException {
        boolean any = false;
        for (TrendInfo.Session s : t.sessions()) {
            if (!s.usable()) {
                doc.add(new Paragraph(pdfText(s.date() + ": left out: " + s.reason()), BODY));
                any = true;
            }
            if (s.postTreatment()) {
                doc.add(new Paragraph(pdfText(s.date() + " (*): taken 1 to 3 days after a treatment; its redness is left out."), BODY));
                any = true;
            }
            if (s.qualityWarnings() != null) {
                doc.add(new Paragraph(pdfText(s.date() + ": " + QualityWords.describe(s.qualityWarnings())), BODY));
                any = true;
            }
        }
        if (!any) {
            doc.add(new Paragraph("None: every photo passed the quality gate without warnings.", BODY));
        }
        for (String n : t.notes()) {
            doc.add(new Paragraph(pdfText(n), SMALL));
        }
    }

    private static PdfPCell cell(String text, Font font, Color background) {
        PdfPCell c = new PdfPCell(new Phrase(new Chunk(pdfText(text), font)));
        c.setPadding(3);
        c.setBorderColor(new Color(227, 232, 238));
        if (background != null) {
            c.setBackgroundColor(background);
        }
        return c;
    }

    private static Color verdictColour(String verdict) {
        return switch (verdict) {
            case "improving" -> new Color(210, 240, 222);
            case "worsening" -> new Color(246, 214, 219);
            case "insufficient-data" -> new Color(245, 234, 200);
            default -> new Color(232, 235, 238);
        };
    }

    private static byte[] dataUri(String uri) {
        return Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1));
    }

    /** The PDF's built-in Helvetica has no √, ≥ or arrows: spell them. */
    static String pdfText(String s) {
        return s.replace("√", "sqrt").replace("≥", ">=").replace("≤", "<=").replace("→", "->").replace("−", "-");
    }
}
