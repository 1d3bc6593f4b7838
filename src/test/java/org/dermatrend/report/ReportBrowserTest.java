package org.dermatrend.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.dermatrend.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The demo patient's report as a person sees it, in headless Chromium (Debian's chromium and
 * chromedriver): it loads without console errors, every chart has drawn, the wipe slider changes the
 * visible picture, the overlays toggle. Leaves target/report-demo.html, target/report-demo.png (the
 * whole page) and target/report-demo.pdf for a person to look at. Skips when Chromium is missing,
 * unless DERMATREND_REQUIRE_BROWSER=1 (CI installs it and sets that).
 */
class ReportBrowserTest {
    private static final Path HTML = Path.of("target/report-demo.html").toAbsolutePath();
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        org.dermatrend.browser.Chromium.require(true, null);
        assertEquals(0, Main.run("report", "datasets/demo/manifest.json", "--out", HTML.toString(), "--pdf",
                HTML.resolveSibling("report-demo.pdf").toString()));
        driver = org.dermatrend.browser.Chromium.start(1100, 1400);
        driver.get(HTML.toUri().toString());
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Test
    void loadsWithoutConsoleErrors() {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).collect(Collectors.toList()));
        assertTrue(driver.getTitle().startsWith("Treatment progress: DEMO-001"));
    }

    @Test
    void everyChartHasDrawnItsSeries() {
        List<WebElement> charts = driver.findElements(By.cssSelector("figure.chart"));
        assertEquals(14, charts.size());
        for (WebElement chart : charts) {
            Number width = (Number) js("return arguments[0].querySelector('polyline.series').getBBox().width;", chart);
            long points = (Long) js("return arguments[0].querySelectorAll('circle.point').length;", chart);
            assertTrue(width.doubleValue() > 100, chart.getAttribute("data-metric") + " series drawn " + width);
            assertEquals(5, points, chart.getAttribute("data-metric"));
        }
    }

    @Test
    void theWipeSliderChangesWhatIsVisible() {
        WebElement stage = driver.findElement(By.id("stage"));
        js("arguments[0].scrollIntoView();", stage);
        js("var w=document.getElementById('wipe'); w.value=10; w.dispatchEvent(new Event('input'));");
        byte[] left = stage.getScreenshotAs(OutputType.BYTES);
        String clipLeft = (String) js("return document.querySelector('.after:not([hidden])').style.clipPath;");
        js("var w=document.getElementById('wipe'); w.value=90; w.dispatchEvent(new Event('input'));");
        byte[] right = stage.getScreenshotAs(OutputType.BYTES);
        String clipRight = (String) js("return document.querySelector('.after:not([hidden])').style.clipPath;");
        assertNotEquals(clipLeft, clipRight);
        assertFalse(java.util.Arrays.equals(left, right), "the picture changed");
        // Another session swaps the picture on the right.
        js("var s=document.getElementById('session'); s.value='0'; s.dispatchEvent(new Event('change'));");
        assertEquals("Session 2026-02-09", driver.findElement(By.id("after-tag")).getText());
        js("var s=document.getElementById('session'); s.value='3'; s.dispatchEvent(new Event('change'));");
        js("var w=document.getElementById('wipe'); w.value=50; w.dispatchEvent(new Event('input'));");
    }

    @Test
    void overlaysToggle() {
        for (String layer : new String[] {"pores", "redness", "scars"}) {
            WebElement box = driver.findElement(By.cssSelector("input.layer[value='" + layer + "']"));
            String shown = "return getComputedStyle(document.querySelector('img.overlay." + layer + ".base')).display;";
            assertEquals("none", js(shown));
            box.click();
            assertEquals("block", js(shown), layer + " on");
            box.click();
            assertEquals("none", js(shown), layer + " off");
        }
    }

    @Test
    void leavesAScreenshotOfTheWholePage() throws Exception {
        js("document.querySelector(\"input.layer[value='scars']\").click();");
        long height = (Long) js("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1100, (int) Math.min(height + 40, 6000)));
        Path shot = Path.of("target/report-demo.png");
        Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
        js("document.querySelector(\"input.layer[value='scars']\").click();");
        assertTrue(Files.size(shot) > 50_000);
    }
}
