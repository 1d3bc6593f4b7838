package org.dermatrend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.dermatrend.cli.ServeCommand;
import org.dermatrend.domain.Role;
import org.dermatrend.service.Caller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web app as a person uses it, in headless Chromium (Debian's chromium and chromedriver): sign in with the demo
 * admin's account, add a patient, an area and a first session with its photo, watch its analysis finish on the
 * live timeline, open the demo patient's report, make a share link, invite a colleague who then joins, make an API
 * key. Every page is checked with axe-core (no serious or critical violation) and for console errors, and left as a
 * screenshot in target/web-*.png for a person to look at.
 *
 * <p>Skips when Chromium or axe-core is missing, unless DERMATREND_REQUIRE_BROWSER=1 (CI installs both: axe-core
 * from npm into the folder named by DERMATREND_AXE, default /tmp/dermatrend-axe).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppBrowserTest {
    private static final Path AXE = Path.of(System.getenv().getOrDefault("DERMATREND_AXE", "/tmp/dermatrend-axe"),
            "node_modules/axe-core/axe.min.js");
    private static final String EMAIL = "admin@demo.clinic";

    private static Path temp;
    private static ApiHarness api;
    private static ChromeDriver driver;
    private static String password;
    private static String axe;
    private static String base;
    private static final List<String> checkedPages = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        org.dermatrend.browser.Chromium.require(Files.isRegularFile(AXE), "or axe-core (npm install --prefix /tmp/dermatrend-axe axe-core)");
        axe = Files.readString(AXE);
        temp = Files.createTempDirectory("webapp-test");
        api = ApiHarness.start("sqlite", temp);
        var first = api.app().bootstrapped().orElseThrow();
        ServeCommand.seedDemo(api.app().records(), new Caller(first.clinic().id(), first.adminKey().key().id(), Role.ADMIN, true));
        password = api.app().staff().createWithPassword(first.clinic().id(), EMAIL, "Demo admin", Role.ADMIN);
        base = api.base();

        driver = org.dermatrend.browser.Chromium.start(1200, 1300);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    @Order(1)
    void aNewPatientsFirstPhotoInFewActionsWithNoIdentifierTyped() throws Exception {
        int actions = 0;
        driver.get(base + "/");
        assertEquals("Sign in · dermatrend", driver.getTitle(), "/ leads to the sign-in");
        check("web-signin");

        driver.findElement(By.id("email")).sendKeys(EMAIL);
        driver.findElement(By.id("password")).sendKeys(password);
        submit(By.cssSelector("form[action='/sign-in'] button"));
        actions++;
        waitForTitle("Patients");

        driver.findElement(By.id("reference")).sendKeys("NEW-001");
        submit(By.cssSelector("form[method='post'][action='/patients'] button"));
        actions++;
        waitForTitle("Patient NEW-001");
        check("web-patient-new");

        driver.findElement(By.id("area-name")).sendKeys("forehead");
        submit(By.cssSelector("form[action$='/areas'] button"));
        actions++;
        waitForTitle("forehead");

        Path photo = temp.resolve("session-1.jpg");
        Files.write(photo, ApiHarness.demoPhoto(1));
        driver.findElement(By.id("new-photo")).sendKeys(photo.toString());
        actions++;
        submit(By.cssSelector("form[action$='/sessions'] button"));
        actions++;
        assertTrue(actions <= 8, "page actions from sign-in to the first photo uploaded: " + actions);

        // The upload leads to the grey card, proposed where it is: one more action confirms it.
        waitForTitle("Grey card");
        assertTrue(driver.findElement(By.id("mark-help")).getText().startsWith("A flat, neutral patch was found"),
                driver.findElement(By.id("mark-help")).getText());
        int x = Integer.parseInt(driver.findElement(By.id("gx")).getAttribute("value"));
        int y = Integer.parseInt(driver.findElement(By.id("gy")).getAttribute("value"));
        assertTrue(x >= 34 && x <= 34 + 137 && y >= 27 && y <= 27 + 137, "proposed on the card (34,27,137,137): " + x + "," + y);
        // The box moves with the keyboard too (and the fields follow).
        driver.findElement(By.cssSelector(".marker .mark")).sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
        assertTrue(Integer.parseInt(driver.findElement(By.id("gx")).getAttribute("value")) > x, "the arrow key moved the box");
        driver.findElement(By.cssSelector(".marker .mark")).sendKeys(org.openqa.selenium.Keys.ARROW_LEFT);
        check("web-graycard");
        submit(By.cssSelector("form[action$='/gray-card'] button"));
        actions++;
        waitForTitle("forehead");
        System.out.println("web app: page actions from sign-in to the first photo uploaded and its grey card confirmed: " + actions);

        // The timeline polls while the analysis runs and shows its end without a reload.
        new WebDriverWait(driver, Duration.ofSeconds(90)).until(d -> !d.findElements(By.cssSelector(".badge-done, .badge-failed")).isEmpty());
        WebElement badge = driver.findElement(By.cssSelector(".entry .badge"));
        assertEquals("Analysed", badge.getText(), "the demo photo is analysed: " + driver.findElement(By.cssSelector(".entry")).getText());
        assertTrue(driver.findElement(By.cssSelector(".entry")).getText().contains("baseline"), "the first photo is the baseline");
        new WebDriverWait(driver, Duration.ofSeconds(90)).until(d -> d.findElements(By.cssSelector(".badge-queued, .badge-running"))
                .isEmpty());
        assertFalse(driver.findElement(By.cssSelector(".entry")).getText().contains("not calibrated"),
                "analysed again with the grey card: " + driver.findElement(By.cssSelector(".entry")).getText());
        WebElement thumb = driver.findElement(By.cssSelector(".entry img"));
        assertTrue((Boolean) js("return arguments[0].complete && arguments[0].naturalWidth > 100;", thumb), "the thumbnail loads");
        check("web-area-new");

        // The scale from a line drawn over a ruler: drag across the picture, give the length.
        submit(By.linkText("set the scale from a ruler"));
        waitForTitle("Scale");
        WebElement overlay = driver.findElement(By.cssSelector(".marker .overlay"));
        new org.openqa.selenium.interactions.Actions(driver).moveToElement(overlay, -200, 0).clickAndHold().moveByOffset(400, 0)
                .release().perform();
        int x1 = Integer.parseInt(driver.findElement(By.id("x1")).getAttribute("value"));
        int x2 = Integer.parseInt(driver.findElement(By.id("x2")).getAttribute("value"));
        assertTrue(x2 - x1 > 300, "the drag drew the line: " + x1 + " → " + x2);
        WebElement length = driver.findElement(By.id("length"));
        length.clear();
        length.sendKeys("20");
        assertTrue(driver.findElement(By.id("scale-readout")).getText().contains("mm per pixel"),
                driver.findElement(By.id("scale-readout")).getText());
        check("web-scale");
        submit(By.cssSelector("form[action$='/scale'] button"));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.getTitle().startsWith("forehead · "));
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("mm per pixel"), driver.findElement(By.tagName("h1")).getText());
    }

    @Test
    @Order(2)
    void theDemoPatientsTimelineReportAndShareLink() {
        driver.get(base + "/patients");
        WebElement search = driver.findElement(By.id("q"));
        search.sendKeys("demo");
        // htmx replaces the results as the person types: only the demo patient is left.
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("patient-results")).getText()
                .contains("1 patient matching"));
        assertFalse(driver.findElement(By.id("patient-results")).getText().contains("NEW-001"));
        check("web-patients");
        submit(By.linkText("DEMO-001"));
        waitForTitle("Patient DEMO-001");
        check("web-patient");
        submit(By.cssSelector(".tiles a"));
        waitForTitle("left-cheek");
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> d.findElements(By.cssSelector(".badge-queued, .badge-running"))
                .isEmpty() && !d.findElements(By.cssSelector("#trend-heading ~ .table-wrap table")).isEmpty());
        assertEquals(5, driver.findElements(By.cssSelector(".entry .badge-done")).size(), "five analysed sessions");
        assertTrue(driver.findElements(By.cssSelector(".verdict")).size() >= 3, "verdicts per measure");
        check("web-area");

        submit(By.linkText("Take a guided photo with the camera"));
        waitForTitle("Guided photo");
        check("web-capture-page");
        driver.navigate().back();
        waitForTitle("left-cheek");

        submit(By.cssSelector("form[action$='/share'] button"));
        String link = waitFor(By.cssSelector("input.copy")).getAttribute("value");
        assertTrue(link.startsWith(base + "/shared/reports/"), link);
        check("web-area-shared");

        driver.get(base + driver.findElement(By.linkText("Open the report")).getAttribute("href").replace(base, ""));
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> d.getTitle().startsWith("Treatment progress"));
        screenshot("web-report");
        consoleIsClean("the report");
    }

    @Test
    @Order(3)
    void anAdminInvitesAColleagueWhoJoins() {
        driver.get(base + "/admin/staff");
        check("web-staff");
        driver.findElement(By.id("invite-email")).sendKeys("nurse@demo.clinic");
        submit(By.cssSelector("form[action='/admin/staff'] button"));
        String invitation = waitFor(By.cssSelector("input.copy")).getAttribute("value");
        assertTrue(invitation.startsWith(base + "/invitations/"), invitation);
        check("web-staff-invited");

        driver.get(base + "/admin/keys");
        driver.findElement(By.id("key-label")).sendKeys("booking app");
        submit(By.cssSelector("form[action='/admin/keys'] button"));
        assertTrue(waitFor(By.cssSelector("input.copy")).getAttribute("value").startsWith("dtk_"));
        check("web-keys");

        driver.get(base + "/account");
        check("web-account");
        submit(By.cssSelector("form[action='/sign-out'] button"));
        waitForTitle("Sign in");

        driver.get(invitation);
        check("web-invitation");
        driver.findElement(By.id("name")).sendKeys("Nurse Ada");
        driver.findElement(By.id("password")).sendKeys("correct horse battery staple");
        submit(By.cssSelector("form[action^='/invitations/'] button"));
        waitForTitle("Patients");
        assertTrue(driver.findElement(By.cssSelector("header nav")).getText().contains("Nurse Ada"));
        assertTrue(driver.findElements(By.linkText("Staff")).isEmpty(), "a clinician sees no admin pages");
        driver.get(base + "/admin/staff");
        assertEquals("Not allowed · dermatrend", driver.getTitle());
        check("web-forbidden", "status of 403");
        driver.get(invitation);
        assertTrue(driver.getPageSource().contains("This invitation link does not work"), "an invitation works once");
    }

    @Test
    @Order(4)
    void onATabletsWidthNothingOverflows() {
        driver.manage().deleteAllCookies();
        driver.get(base + "/sign-in");
        driver.findElement(By.id("email")).sendKeys(EMAIL);
        driver.findElement(By.id("password")).sendKeys(password);
        submit(By.cssSelector("form[action='/sign-in'] button"));
        waitForTitle("Patients");
        driver.manage().window().setSize(new Dimension(768, 1024));
        try {
            for (String path : List.of("/patients", "/admin/staff", "/admin/keys", "/patients?q=DEMO")) {
                driver.get(base + path);
                assertFalse(driver.getTitle().startsWith("Not allowed"), path + " as the admin");
                Long overflow = (Long) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertTrue(overflow <= 0, path + " overflows the width by " + overflow + " px");
            }
            driver.get(base + "/admin/staff");
            screenshot("web-staff-tablet");
        } finally {
            driver.manage().window().setSize(new Dimension(1200, 1300));
        }
    }

    // --- helpers ---

    private static void submit(By by) {
        driver.findElement(by).click();
    }

    /** The element, once the page that has it has loaded (a click that submits a form returns before that). */
    private static WebElement waitFor(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private static void waitForTitle(String start) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.getTitle().startsWith(start));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** axe-core finds no serious or critical violation, the console is clean, and a screenshot is left. */
    private static void check(String name) {
        check(name, null);
    }

    /** As {@link #check(String)}, with the page's own error status (which the console logs) expected. */
    @SuppressWarnings("unchecked")
    private static void check(String name, String expectedError) {
        screenshot(name);
        consoleIsClean(name, expectedError);
        js(axe);
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.filter(v => "
                        + "v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => "
                        + "n.target.join(' ')).join(', ') + ')'))).catch(e => done(['axe failed: ' + e]));");
        List<String> violations = (List<String>) result;
        assertTrue(violations.isEmpty(), name + ": " + String.join("; ", violations));
        checkedPages.add(name);
    }

    private static void consoleIsClean(String where) {
        consoleIsClean(where, null);
    }

    private static void consoleIsClean(String where, String expected) {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> expected == null || !e.getMessage().contains(expected)).toList();
        assertTrue(severe.isEmpty(), where + ": console errors " + severe.stream().map(LogEntry::getMessage).toList());
    }

    private static void screenshot(String name) {
        try {
            Files.write(Path.of("target", name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
