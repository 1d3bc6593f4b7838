package org.dermatrend.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the browser tests (Debian's chromium and chromedriver), with its console log kept. Skips the
 * test when either is missing, unless DERMATREND_REQUIRE_BROWSER=1 (CI installs both and sets that).
 */
public final class Chromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** Skips (or, in CI, fails) when Chromium cannot run here; {@code also} names further needs, e.g. axe-core. */
    public static void require(boolean otherNeedsMet, String also) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER) || !otherNeedsMet) {
            String msg = "Chromium or chromedriver is missing (apt-get install chromium chromium-driver)" + (also == null ? "" : ", " + also);
            if ("1".equals(System.getenv("DERMATREND_REQUIRE_BROWSER"))) {
                throw new AssertionError(msg + " but DERMATREND_REQUIRE_BROWSER=1");
            }
            Assumptions.abort(msg);
        }
    }

    /** A new headless browser of the given window size, with extra command-line switches (e.g. a fake camera). */
    public static ChromeDriver start(int width, int height, String... extraArguments) throws IOException {
        require(true, null);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        options.addArguments(extraArguments);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(),
                options);
    }
}
