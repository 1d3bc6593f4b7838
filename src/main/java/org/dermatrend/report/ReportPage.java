package org.dermatrend.report;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dermatrend.metric.MetricKey;
import org.dermatrend.wire.TrendInfo;

/**
 * The dermatologist's report of one area as one self-contained HTML page: no CDN, no external file;
 * the pictures are data URIs and the charts are SVG drawn here. Sections: summary, timeline, the
 * baseline and any session side by side aligned (wipe slider, flicker, overlay toggles), one chart per
 * metric with its slope and the MDC band around the baseline, the values, the quality warnings and a
 * methods note.
 */
public final class ReportPage {
    private static final List<MetricKey> KEY_METRICS = List.of(MetricKey.SCARS_MEAN_DEPTH_MM, MetricKey.REDNESS_ERYTHEMA_INDEX,
            MetricKey.PORES_MEAN_DIAMETER_MM);

    private ReportPage() {
    }

    public static String html(TrendInfo trend, Map<String, ReportVisuals.Frame> frames, String generatedOn) {
        StringBuilder h = new StringBuilder(256 * 1024);
        String title = "Treatment progress: " + esc(nz(trend.patient(), "patient")) + ", " + esc(nz(trend.area(), "area"));
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(title).append("</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<header><h1>").append(title).append("</h1><p class=\"sub\">Baseline ").append(trend.baselineDate())
                .append(" · ").append(trend.sessions().size()).append(" sessions, ")
                .append(trend.sessions().stream().filter(TrendInfo.Session::usable).count()).append(" usable · generated ")
                .append(esc(generatedOn)).append(" by dermatrend</p></header>\n");
        summary(h, trend);
        timeline(h, trend);
        viewer(h, trend, frames);
        charts(h, trend);
        table(h, trend);
        warnings(h, trend);
        methods(h, trend);
        h.append("<script>").append(JS).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, TrendInfo t) {
        h.append("<section id=\"summary\"><h2>Summary</h2>");
        QualityWords.summaryCaution(t).ifPresent(c -> h.append("<p class=\"caution\" role=\"alert\">").append(esc(c)).append("</p>"));
        h.append("<div class=\"chips\">");
        for (MetricKey key : KEY_METRICS) {
            TrendInfo.Metric m = t.metrics().get(key.json());
            if (m == null) {
                continue;
            }
            h.append("<div class=\"chip ").append(m.verdict()).append("\" title=\"").append(esc(m.why())).append("\"><b>")
                    .append(esc(m.label())).append("</b><span>").append(m.verdict().replace('-', ' ')).append("</span><small>")
                    .append(m.changePercent() == null ? "" : String.format(Locale.ROOT, "%+.1f %% since baseline", m.changePercent()))
                    .append(m.mdc() == null ? "" : " · noise ±" + num(m.mdc()) + " " + esc(m.unit()))
                    .append("</small></div>");
        }
        h.append("</div><p class=\"note\">A change is called improving or worsening only when it exceeds the metric's minimal "
                + "detectable change (the noise of re-photographing unchanged skin) and the sessions follow it; otherwise it is "
                + "stable. Fewer than three usable sessions: insufficient data.</p></section>\n");
    }

    private static void timeline(StringBuilder h, TrendInfo t) {
        List<TrendInfo.Session> s = t.sessions();
        LocalDate first = s.get(0).date();
        long span = Math.max(1, ChronoUnit.DAYS.between(first, s.get(s.size() - 1).date()));
        int w = 900;
        h.append("<section id=\"timeline\"><h2>Sessions</h2><svg class=\"timeline\" viewBox=\"0 0 ").append(w)
                .append(" 70\" role=\"img\" aria-label=\"session timeline\"><line x1=\"50\" y1=\"30\" x2=\"").append(w - 50)
                .append("\" y2=\"30\" class=\"axis\"/>");
        for (TrendInfo.Session x : s) {
            double cx = 50 + (w - 100) * ChronoUnit.DAYS.between(first, x.date()) / (double) span;
            String cls = !x.usable() ? "unusable" : x.postTreatment() ? "post" : "usable";
            h.append("<g class=\"session ").append(cls).append("\"><title>").append(x.date()).append(": ")
                    .append(x.usable() ? "used" : "left out, " + esc(x.reason()))
                    .append(x.postTreatment() ? " (1-3 days after a treatment: redness left out)" : "").append("</title>")
                    .append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"30\" r=\"8\"/>", cx))
                    .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"60\">%s</text>", cx, x.date())).append("</g>");
        }
        h.append("</svg><p class=\"legend\"><span class=\"dot usable\"></span> used <span class=\"dot post\"></span> "
                + "1-3 days after a treatment <span class=\"dot unusable\"></span> left out (hover for the reason)</p></section>\n");
    }

    private static void viewer(StringBuilder h, TrendInfo t, Map<String, ReportVisuals.Frame> frames) {
        if (t.baselinePhoto() == null || !frames.containsKey(t.baselinePhoto())) {
            return;
        }
        List<TrendInfo.Session> follow = new ArrayList<>();
        for (TrendInfo.Session s : t.sessions()) {
            if (s.usable() && !s.photo().equals(t.baselinePhoto()) && frames.containsKey(s.photo())) {
                follow.add(s);
            }
        }
        ReportVisuals.Frame base = frames.get(t.baselinePhoto());
        h.append("<section id=\"compare\"><h2>Baseline and session, aligned</h2><div class=\"controls\">")
                .append("<label>Session <select id=\"session\">");
        for (int i = 0; i < follow.size(); i++) {
            h.append("<option value=\"").append(i).append(i == follow.size() - 1 ? "\" selected>" : "\">")
                    .append(follow.get(i).date()).append("</option>");
        }
        h.append("</select></label> <label>Wipe <input id=\"wipe\" type=\"range\" min=\"0\" max=\"100\" value=\"50\"></label> ")
                .append("<button id=\"flicker\" type=\"button\">Flicker</button> ")
                .append("<label><input type=\"checkbox\" class=\"layer\" value=\"pores\"> pores</label> ")
                .append("<label><input type=\"checkbox\" class=\"layer\" value=\"redness\"> redness heat map</label> ")
                .append("<label><input type=\"checkbox\" class=\"layer\" value=\"scars\"> scar relief</label></div>")
                .append("<div class=\"stage\" id=\"stage\">");
        stageImages(h, "base", base, "Baseline " + t.baselineDate());
        for (int i = 0; i < follow.size(); i++) {
            h.append("<div class=\"after\" data-index=\"").append(i).append("\"").append(i == follow.size() - 1 ? "" : " hidden")
                    .append(">");
            stageImages(h, "after", frames.get(follow.get(i).photo()), "Session " + follow.get(i).date());
            h.append("</div>");
        }
        h.append("<div class=\"divider\" id=\"divider\"></div><span class=\"tag left\">Baseline ").append(t.baselineDate())
                .append("</span><span class=\"tag right\" id=\"after-tag\">")
                .append(follow.isEmpty() ? "" : "Session " + follow.get(follow.size() - 1).date()).append("</span></div>")
                .append("<p class=\"note\">Each session's photo is warped into the baseline's frame by the alignment the "
                        + "measurement used, so the same skin is under the same place. Left of the line: baseline; right: the "
                        + "chosen session.</p></section>\n");
    }

    private static void stageImages(StringBuilder h, String cls, ReportVisuals.Frame f, String alt) {
        h.append("<img class=\"photo ").append(cls).append("\" alt=\"").append(esc(alt)).append("\" src=\"").append(f.photo())
                .append("\">");
        h.append("<img class=\"overlay pores ").append(cls).append("\" alt=\"\" src=\"").append(f.pores()).append("\">");
        h.append("<img class=\"overlay redness ").append(cls).append("\" alt=\"\" src=\"").append(f.redness()).append("\">");
        h.append("<img class=\"overlay scars ").append(cls).append("\" alt=\"\" src=\"").append(f.scars()).append("\">");
    }

    private static void charts(StringBuilder h, TrendInfo t) {
        h.append("<section id=\"charts\"><h2>Metrics over time</h2><p class=\"note\">Points: the sessions. Line: the "
                + "least-squares trend; shaded fan: its 95 % interval. Grey band: the baseline ± the minimal detectable change "
                + "(inside it, a change is noise).</p><div class=\"grid\">");
        for (Map.Entry<String, TrendInfo.Metric> e : t.metrics().entrySet()) {
            h.append("<figure class=\"chart\" data-metric=\"").append(esc(e.getKey())).append("\">")
                    .append(chart(e.getValue())).append("<figcaption><b>").append(esc(e.getValue().label())).append("</b> ")
                    .append("<span class=\"verdict ").append(e.getValue().verdict()).append("\">")
                    .append(e.getValue().verdict().replace('-', ' ')).append("</span><br><small>").append(esc(e.getValue().why()))
                    .append("</small></figcaption></figure>");
        }
        h.append("</div></section>\n");
    }

    /** One metric's chart as SVG (also used by the PDF). */
    static String chart(TrendInfo.Metric m) {
        ChartGeometry g = ChartGeometry.of(m);
        StringBuilder s = new StringBuilder();
        s.append("<svg viewBox=\"0 0 ").append(ChartGeometry.W).append(' ').append(ChartGeometry.H)
                .append("\" role=\"img\" aria-label=\"").append(esc(m.label())).append("\">");
        if (g.mdcBand() != null) {
            double[] b = g.mdcBand();
            s.append(String.format(Locale.ROOT, "<rect class=\"mdc\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                    b[0], b[1], b[2], b[3]));
        }
        if (g.fan() != null) {
            s.append("<polygon class=\"fan\" points=\"").append(points(g.fan())).append("\"/>");
        }
        if (g.fit() != null) {
            s.append("<polyline class=\"fit\" points=\"").append(points(g.fit())).append("\"/>");
        }
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", ChartGeometry.L,
                ChartGeometry.H - ChartGeometry.B, ChartGeometry.W - ChartGeometry.R, ChartGeometry.H - ChartGeometry.B));
        for (ChartGeometry.Tick tick : g.yTicks()) {
            s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\">%s</text>", ChartGeometry.L - 4,
                    tick.pos() + 3, esc(tick.label())));
        }
        for (ChartGeometry.Tick tick : g.xTicks()) {
            s.append(String.format(Locale.ROOT, "<text class=\"date\" x=\"%.1f\" y=\"%d\">%s</text>", tick.pos(),
                    ChartGeometry.H - 6, esc(tick.label())));
        }
        s.append("<polyline class=\"series\" points=\"").append(points(g.points())).append("\"/>");
        for (double[] p : g.points()) {
            s.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>", p[0], p[1]));
        }
        return s.append("</svg>").toString();
    }

    private static String points(List<double[]> pts) {
        StringBuilder s = new StringBuilder();
        for (double[] p : pts) {
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
        }
        return s.toString().trim();
    }

    private static void table(StringBuilder h, TrendInfo t) {
        List<String> keys = new ArrayList<>(t.metrics().keySet());
        h.append("<section id=\"values\"><h2>Values</h2><div class=\"scroll\"><table><thead><tr><th>Session</th><th>Used</th>");
        for (String k : keys) {
            h.append("<th>").append(esc(t.metrics().get(k).label())).append("<br><small>").append(esc(t.metrics().get(k).unit()))
                    .append("</small></th>");
        }
        h.append("</tr></thead><tbody>");
        for (TrendInfo.Session s : t.sessions()) {
            h.append("<tr").append(s.usable() ? "" : " class=\"out\"").append("><td>").append(s.date()).append("</td><td>")
                    .append(s.usable() ? (s.postTreatment() ? "yes (redness left out)" : "yes") : "no: " + esc(s.reason()))
                    .append("</td>");
            for (String k : keys) {
                Double v = s.values() == null ? null : s.values().get(k);
                h.append("<td>").append(v == null ? "–" : num(v)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("<tr class=\"mdc\"><td colspan=\"2\">Minimal detectable change</td>");
        for (String k : keys) {
            Double mdc = t.metrics().get(k).mdc();
            h.append("<td>").append(mdc == null ? "–" : "±" + num(mdc)).append("</td>");
        }
        h.append("</tr></tbody></table></div></section>\n");
    }

    private static void warnings(StringBuilder h, TrendInfo t) {
        h.append("<section id=\"quality\"><h2>Quality warnings</h2><ul>");
        boolean any = false;
        for (TrendInfo.Session s : t.sessions()) {
            if (!s.usable()) {
                h.append("<li><b>").append(s.date()).append("</b>: left out: ").append(esc(s.reason())).append("</li>");
                any = true;
            }
            if (s.postTreatment()) {
                h.append("<li><b>").append(s.date()).append("</b>: taken 1 to 3 days after a treatment; the procedure's redness "
                        + "is left out of the redness trend.</li>");
                any = true;
            }
            if (s.qualityWarnings() != null) {
                h.append("<li><b>").append(s.date()).append("</b>: ").append(esc(QualityWords.describe(s.qualityWarnings()))).append("</li>");
                any = true;
            }
        }
        if (!any) {
            h.append("<li>None: every photo passed the quality gate without warnings.</li>");
        }
        h.append("</ul>");
        for (String n : t.notes()) {
            h.append("<p class=\"note\">").append(esc(n)).append("</p>");
        }
        h.append("</section>\n");
    }

    private static void methods(StringBuilder h, TrendInfo t) {
        h.append("<section id=\"methods\"><h2>Methods</h2>").append(METHODS).append("<p class=\"note\">Minimal detectable changes "
                + "used here: ");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, TrendInfo.Metric> e : t.metrics().entrySet()) {
            if (e.getValue().mdc() != null) {
                parts.add(esc(e.getValue().label()) + " ±" + num(e.getValue().mdc()) + " " + esc(e.getValue().unit()));
            }
        }
        h.append(String.join("; ", parts)).append(".</p></section>\n");
    }

    static String num(double v) {
        double a = Math.abs(v);
        return a == 0 ? "0" : a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String nz(String s, String d) {
        return s == null ? d : s;
    }

    static final String METHODS = "<ul>"
            + "<li><b>Alignment.</b> Every session's photo is aligned to the baseline photo (a perspective transform found from "
            + "skin texture, refused when the photos cannot be shown to be the same skin) and both are measured on the skin "
            + "both show. A session's value is the baseline's own value plus the change measured on that shared skin.</li>"
            + "<li><b>Pores.</b> Dark round openings against the surrounding skin; diameter is the equal-area circle in mm. On "
            + "phantoms with known truth the median diameter error is 3.8 %, the count error 1.1 %.</li>"
            + "<li><b>Redness.</b> Erythema index (log-ratio of green to red reflectance on colour-calibrated linear light), "
            + "CIELAB a*, and a haemoglobin index from optical-density unmixing. Comparable across sessions only with a grey "
            + "card in each photo or locked camera settings.</li>"
            + "<li><b>Scars.</b> Depth below the surrounding skin from a small neural network that reads relief from shading, "
            + "trained only on synthetic skin: median depth error 0.035 mm on held-out phantoms, about ±20 % between light "
            + "elevations of 35° and 75°; scars shallower than 0.1 mm are not reported. Not yet validated on real patient "
            + "photos.</li>"
            + "<li><b>Minimal detectable change</b> (MDC95 = 1.96 · √2 · SEM): from re-photographing unchanged synthetic skin of "
            + "types I–VI under new pose, light, exposure and sensor noise. Real photos vary more than phantoms, so real noise "
            + "is likely larger.</li>"
            + "<li><b>Trend.</b> Least-squares line through the sessions, per 30 days, with its 95 % confidence interval.</li>"
            + "</ul>";

    static final String CSS = String.join("\n",
            "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1000px;padding:0 20px 40px;color:#1c2430}",
            "h1{font-size:24px;margin:24px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}",
            ".sub,.note,.legend{color:#5a6675;font-size:13px}",
            ".caution{border-left:4px solid #b35c00;background:#fff4e5;color:#5c3000;padding:8px 12px;font-size:14px}",
            ".chips{display:flex;gap:12px;flex-wrap:wrap}.chip{border-radius:8px;padding:10px 14px;min-width:230px;background:#f2f5f8;border-left:6px solid #9aa5b1}",
            ".chip b{display:block}.chip span{font-size:20px;text-transform:capitalize}.chip small{display:block;color:#5a6675}",
            ".improving{border-color:#1b9e5a}.worsening{border-color:#d1495b}.stable{border-color:#7b8794}",
            ".verdict{padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;text-transform:capitalize}",
            ".verdict.improving{background:#1b9e5a}.verdict.worsening{background:#d1495b}.verdict.stable{background:#7b8794}.verdict.insufficient-data{background:#b08900}",
            ".timeline{width:100%;height:80px}.timeline .axis{stroke:#9aa5b1;stroke-width:2}.timeline text{font-size:11px;text-anchor:middle;fill:#44505e}",
            ".session circle{stroke-width:3}.session.usable circle{fill:#1f7a8c;stroke:#1f7a8c}.session.post circle{fill:#1f7a8c;stroke:#e8912d}.session.unusable circle{fill:#fff;stroke:#d1495b}",
            ".dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 4px 0 12px}.dot.usable{background:#1f7a8c}.dot.post{background:#1f7a8c;box-shadow:0 0 0 2px #e8912d}.dot.unusable{border:2px solid #d1495b}",
            ".controls{display:flex;gap:14px;flex-wrap:wrap;align-items:center;margin-bottom:8px}",
            ".stage{position:relative;width:100%;max-width:900px;background:#222;user-select:none}",
            ".stage img{display:block;width:100%}.stage .after,.stage img.overlay,.stage img.after{position:absolute;left:0;top:0}",
            ".stage .after{width:100%;height:100%}.stage img.overlay{display:none}.stage.show-pores img.pores,.stage.show-redness img.redness,.stage.show-scars img.scars{display:block}",
            ".divider{position:absolute;top:0;bottom:0;width:2px;background:#fff;left:50%;pointer-events:none}",
            ".tag{position:absolute;top:8px;background:rgba(0,0,0,.6);color:#fff;font-size:12px;padding:2px 8px;border-radius:4px}.tag.left{left:8px}.tag.right{right:8px}",
            ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}.chart{margin:0;background:#fafbfc;border:1px solid #e3e8ee;border-radius:6px;padding:8px}",
            ".chart svg{width:100%;height:auto}.chart .series{fill:none;stroke:#1f7a8c;stroke-width:2}.chart .point{fill:#1f7a8c}",
            ".chart .fit{fill:none;stroke:#e8912d;stroke-width:1.5;stroke-dasharray:4 3}.chart .fan{fill:#e8912d;opacity:.15}.chart .mdc{fill:#9aa5b1;opacity:.25}",
            ".chart .axis{stroke:#9aa5b1}.chart .tick{font-size:10px;text-anchor:end;fill:#5a6675}.chart .date{font-size:9px;text-anchor:middle;fill:#5a6675}",
            ".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #e3e8ee;padding:4px 6px;text-align:right}th{background:#f2f5f8;vertical-align:bottom}",
            "td:first-child,td:nth-child(2){text-align:left;white-space:nowrap}tr.out{color:#9aa5b1}tr.mdc{background:#f7f7f2;font-style:italic}",
            "@media print{.controls{display:none}}");

    static final String JS = String.join("\n",
            "(function(){",
            "var stage=document.getElementById('stage'); if(!stage){return;}",
            "var wipe=document.getElementById('wipe'), sel=document.getElementById('session'), tag=document.getElementById('after-tag');",
            "var divider=document.getElementById('divider'), flick=null;",
            "function current(){return stage.querySelector('.after:not([hidden])');}",
            "function apply(){var v=wipe.value, a=current(); if(a){a.style.clipPath='inset(0 0 0 '+v+'%)';} divider.style.left=v+'%';}",
            "wipe.addEventListener('input',apply);",
            "sel.addEventListener('change',function(){stage.querySelectorAll('.after').forEach(function(d){d.hidden=d.getAttribute('data-index')!==sel.value;});",
            "  tag.textContent='Session '+sel.options[sel.selectedIndex].text; apply();});",
            "document.getElementById('flicker').addEventListener('click',function(e){",
            "  if(flick){clearInterval(flick);flick=null;e.target.textContent='Flicker';wipe.disabled=false;apply();return;}",
            "  wipe.disabled=true; divider.style.left='0%'; var on=true;",
            "  flick=setInterval(function(){var a=current(); if(a){a.style.clipPath=on?'inset(0 0 0 0)':'inset(0 0 0 100%)';} on=!on;},600);",
            "  e.target.textContent='Stop';});",
            "document.querySelectorAll('input.layer').forEach(function(cb){cb.addEventListener('change',function(){stage.classList.toggle('show-'+cb.value,cb.checked);});});",
            "apply();",
            "})();");
}
