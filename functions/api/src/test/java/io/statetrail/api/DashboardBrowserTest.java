package io.statetrail.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromedriver) on the demo data: the samples in
 * {@code events/} ingested into DynamoDB Local. Checks what a reviewer must see (critical findings, the stuck lock, a
 * run's chain) and that the hostile branch name is text and ran nothing. Screenshots go to {@code target/}.
 */
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static ChromeDriver driver;
    static String base;

    static boolean browser() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Per test, so that a machine without the browser reports each test as skipped (not "no tests"). */
    @BeforeEach
    void needsTheBrowser() {
        assumeTrue(browser(), "SKIPPED: headless browser test needs Debian's chromium and chromium-driver "
                + "(apt-get install -y chromium chromium-driver); .ci/run installs them");
    }

    @BeforeAll
    static void start() {
        if (!browser()) {
            return;
        }
        base = DemoTrail.server().uri().toString();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1100", "--force-device-scale-factor=1", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // An explicit driver path: Selenium Manager never runs and nothing is downloaded.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void overviewShowsCriticalFindingsAndTheStuckLock() throws IOException {
        open("/?days=30&hours=" + DemoTrail.HOURS_OF_RUNS);
        List<WebElement> latest = driver.findElements(By.cssSelector("#latest tbody tr"));
        assertFalse(latest.isEmpty(), "latest critical and high findings listed");
        assertTrue(driver.findElements(By.cssSelector("#latest .sev-critical")).size() >= 1, "a critical finding is shown");
        for (WebElement sev : driver.findElements(By.cssSelector("#latest .sev"))) {
            assertTrue(List.of("CRITICAL", "HIGH").contains(sev.getText()), "only critical and high: " + sev.getText());
        }
        assertTrue(driver.findElements(By.cssSelector("#chart rect.bar-critical")).size() >= 1, "the chart has critical bars");

        WebElement locks = driver.findElement(By.id("locks"));
        assertTrue(locks.getText().contains(DemoTrail.STALE_LOCK_STATE), locks.getText());
        assertEquals(3, locks.findElements(By.cssSelector(".stuck")).size(), "the stale locks are marked stuck");
        assertTrue(driver.findElements(By.cssSelector("#runs tbody tr")).size() >= 3, "runs by repository");
        driver.manage().window().setSize(new Dimension(1400, 1500));
        screenshot("dashboard.png");
        driver.manage().window().setSize(new Dimension(1400, 1100));
        assertNoScriptRanAndNoCspViolation();

        // It refreshes on its own (every 30 s; ?refresh=1 makes that one second here).
        open("/?days=30&refresh=1");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && loads() < 3) {
            sleep(100);
        }
        assertTrue(loads() >= 3, "refreshed twice by itself, saw " + loads() + " loads");
        assertFalse(driver.findElements(By.cssSelector("#latest .sev-critical")).isEmpty(), "still shown after refreshing");
    }

    private static int loads() {
        String n = driver.findElement(By.tagName("body")).getDomAttribute("data-loads");
        return n == null ? 0 : Integer.parseInt(n);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aRunShowsItsChainFromSubjectThroughRolesToState() throws IOException {
        open("/findings?type=state-write-unexpected-subject&stateKey=" + Http.q(DemoTrail.CHAIN_STATE));
        // Follow the finding's run link, as a reviewer would.
        WebElement runLink = driver.findElement(By.cssSelector("#list tbody tr a[href^='/run?key=']"));
        runLink.click();
        waitLoaded();
        List<WebElement> hops = driver.findElements(By.cssSelector("#chain .box.hop"));
        assertEquals(DemoTrail.CHAIN_ROLES.size(), hops.size(), "one box per session in the run");
        for (int i = 0; i < hops.size(); i++) {
            assertTrue(hops.get(i).getText().contains(DemoTrail.CHAIN_ROLES.get(i)), hops.get(i).getText());
            assertTrue(hops.get(i).getText().contains("account " + DemoTrail.CHAIN_ACCOUNTS.get(i)), hops.get(i).getText());
        }
        WebElement origin = driver.findElement(By.cssSelector("#chain .box.origin"));
        assertTrue(origin.getText().contains(DemoTrail.CHAIN_SUBJECT), origin.getText());
        String states = String.join("\n", driver.findElements(By.cssSelector("#chain .box.state")).stream().map(WebElement::getText).toList());
        assertTrue(states.contains(DemoTrail.CHAIN_STATE), states);
        assertTrue(states.contains("write"), states);
        assertTrue(driver.findElement(By.id("findings")).getText().contains("state-write-unexpected-subject"));
        screenshot("run.png");

        driver.findElement(By.cssSelector("#chain .box.state a[href^='/state?key=']")).click();
        waitLoaded();
        assertTrue(driver.findElement(By.id("state-key")).getText().contains(DemoTrail.CHAIN_STATE));
        assertFalse(driver.findElements(By.cssSelector("#timeline tbody tr")).isEmpty(), "the state's timeline");
        screenshot("state.png");
        assertNoScriptRanAndNoCspViolation();
    }

    @Test
    void theHostileBranchNameIsShownAsTextAndRunsNothing() throws IOException {
        open("/findings?repository=acme/infra&type=unexpected-subject");
        String hostile = DemoTrail.HOSTILE_BRANCH;
        assertTrue(driver.findElement(By.id("list")).getText().contains(hostile), "shown literally as text");
        assertTrue(driver.findElements(By.tagName("img")).isEmpty(), "no <img> element was created from the branch name");
        assertNoScriptRanAndNoCspViolation();

        driver.findElement(By.xpath("//table//tr[contains(., 'onerror')]//a[starts-with(@href, '/run?')]")).click();
        waitLoaded();
        assertTrue(driver.findElement(By.id("summary")).getText().contains(hostile));
        assertTrue(driver.findElement(By.id("chain")).getText().contains(hostile));
        assertTrue(driver.findElements(By.tagName("img")).isEmpty());
        screenshot("hostile.png");
        assertNoScriptRanAndNoCspViolation();
    }

    /** At 800 px the findings fit without a sideways scroll, and a click on a header sorts (a second click reverses). */
    @Test
    void tablesAreReadableAt800PixelsAndSortByAClickOnAHeader() throws IOException {
        driver.manage().window().setSize(new Dimension(800, 1000));
        try {
            open("/findings?from=2026-11-01&to=2026-11-20");
            screenshot("findings-800.png");
            Number viewport = (Number) driver.executeScript("return window.innerWidth");
            Number page = (Number) driver.executeScript("return document.documentElement.scrollWidth");
            assertTrue(page.intValue() <= viewport.intValue(), "the page scrolls sideways at 800 px: " + page + " > " + viewport);
            Number table = (Number) driver.executeScript("return document.querySelector('#list table').scrollWidth");
            Number card = (Number) driver.executeScript("return document.querySelector('#list').clientWidth");
            assertTrue(table.intValue() <= card.intValue() + 1, "the findings table is wider than its card: " + table + " > " + card);

            WebElement severity = driver.findElement(By.xpath("//div[@id='list']//th[button[.='Severity']]"));
            severity.findElement(By.tagName("button")).click();
            assertEquals("ascending", severity.getDomAttribute("aria-sort"));
            List<String> up = severities();
            severity.findElement(By.tagName("button")).click();
            assertEquals("descending", severity.getDomAttribute("aria-sort"));
            List<String> down = severities();
            assertEquals("CRITICAL", down.get(0), down.toString());
            assertEquals(up.size(), down.size());
            assertEquals(rank(up.get(0)), up.stream().mapToInt(DashboardBrowserTest::rank).min().orElseThrow(), "lowest first: " + up);
            for (int i = 1; i < down.size(); i++) {
                assertTrue(rank(down.get(i - 1)) >= rank(down.get(i)), "by rank, not by name: " + down);
            }
            assertNoScriptRanAndNoCspViolation();
        } finally {
            driver.manage().window().setSize(new Dimension(1400, 1100));
        }
    }

    /** Issue 15: every page's tables fit their cards at 800 px (none scrolls inside its card), the page never sideways. */
    @Test
    void everyTableFitsItsCardAt800Pixels() throws IOException {
        driver.manage().window().setSize(new Dimension(800, 1000));
        try {
            for (String page : List.of("/?days=30&hours=" + DemoTrail.HOURS_OF_RUNS, "/runs?from=2026-11-01&to=2026-11-21",
                    "/state?key=" + Http.q(DemoTrail.CHAIN_STATE), "/state?key=" + Http.q(DemoTrail.STALE_LOCK_STATE),
                    "/findings?from=2026-11-01&to=2026-11-21", "/finding?id=" + Http.q(chainFindingId()))) {
                open(page);
                Number viewport = (Number) driver.executeScript("return window.innerWidth");
                Number width = (Number) driver.executeScript("return document.documentElement.scrollWidth");
                assertTrue(width.intValue() <= viewport.intValue(), page + " scrolls sideways at 800 px: " + width + " > " + viewport);
                @SuppressWarnings("unchecked")
                List<List<Number>> tables = (List<List<Number>>) driver.executeScript(
                        "return Array.from(document.querySelectorAll('table.list')).map(t => [t.scrollWidth, t.closest('.card').clientWidth])");
                assertFalse(tables.isEmpty(), "tables on " + page);
                for (List<Number> t : tables) {
                    assertTrue(t.get(0).intValue() <= t.get(1).intValue(), page + ": a table is wider than its card: " + t);
                }
            }
            open("/runs?from=2026-11-01&to=2026-11-21");
            screenshot("runs-800.png");
            open("/state?key=" + Http.q(DemoTrail.CHAIN_STATE));
            screenshot("state-800.png");
            open("/finding?id=" + Http.q(chainFindingId()));
            screenshot("finding-800.png");
            assertNoScriptRanAndNoCspViolation();
        } finally {
            driver.manage().window().setSize(new Dimension(1400, 1100));
        }
    }

    private static String chainFindingId() {
        open("/findings?type=state-write-unexpected-subject&stateKey=" + Http.q(DemoTrail.CHAIN_STATE));
        String href = driver.findElement(By.cssSelector("#list tbody tr a[href^='/finding?id=']")).getDomAttribute("href");
        return java.net.URLDecoder.decode(href.substring("/finding?id=".length()), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Issue 15: a finding's page lists its evidence call by call, and shows a call's record (without tokens) on request. */
    @Test
    void aFindingsPageShowsItsEvidenceAndARecordOnRequest() throws IOException {
        open("/findings?type=state-write-unexpected-subject&stateKey=" + Http.q(DemoTrail.CHAIN_STATE));
        driver.findElement(By.cssSelector("#list tbody tr a[href^='/finding?id=']")).click();
        waitLoaded();
        assertTrue(driver.findElement(By.id("finding")).getText().contains("state-write-unexpected-subject"));
        WebElement write = driver.findElement(By.xpath("//div[@id='evidence']//tr[contains(., 'f4c0b960-00ab-400b-a5a2-312e187393c5')]"));
        String row = write.getText();
        assertTrue(row.contains("PutObject"), row);
        assertTrue(row.contains("172.200.77.31"), row);
        assertTrue(row.contains("Terraform/1.11.4"), row);
        assertTrue(driver.findElement(By.id("record-card")).getDomAttribute("hidden") != null, "no record before it is asked for");

        write.findElement(By.cssSelector("button.show-record")).click();
        WebElement record = driver.findElement(By.id("record"));
        waitFor(() -> record.getText().contains("f4c0b960-00ab-400b-a5a2-312e187393c5"));
        assertTrue(record.getText().contains("\"key\": \"infra/database/terraform.tfstate\""), record.getText());

        WebElement login = driver.findElement(By.xpath("//div[@id='evidence']//tr[contains(., 'AssumeRoleWithWebIdentity')]"));
        assertTrue(login.getText().contains("aws-sdk-js/3.699.0"), login.getText());
        login.findElement(By.cssSelector("button.show-record")).click();
        waitFor(() -> record.getText().contains(DemoTrail.CHAIN_RUN));
        assertTrue(record.getText().contains("\"sessionToken\": \"<redacted>\""), record.getText());
        assertFalse(record.getText().contains("IQoJb3JpZ2lu"), "no session token on the page");
        screenshot("finding.png");
        assertNoScriptRanAndNoCspViolation();

        // The hostile branch name reaches the evidence as the caller's subject: text, nothing runs.
        open("/findings?repository=acme/infra&type=unexpected-subject");
        driver.findElement(By.xpath("//table//tr[contains(., 'onerror')]//a[starts-with(@href, '/finding?')]")).click();
        waitLoaded();
        assertTrue(driver.findElement(By.id("evidence")).getText().contains(DemoTrail.HOSTILE_BRANCH), driver.findElement(By.id("evidence")).getText());
        assertTrue(driver.findElements(By.tagName("img")).isEmpty(), "no <img> element from the evidence");
        assertNoScriptRanAndNoCspViolation();
    }

    /** Issue 15: a finding the policy suppresses is listed and marked as such, with the entry's reason as text. */
    @Test
    void aSuppressedFindingIsShownAsSuppressed() {
        open("/findings?type=web-identity-denied&from=2026-11-01&to=2026-11-21");
        WebElement row = driver.findElement(By.xpath("//div[@id='list']//tr[contains(., '" + DemoTrail.SUPPRESSED_SUBJECT + "')]"));
        WebElement mark = row.findElement(By.cssSelector(".suppressed"));
        assertTrue(mark.getText().startsWith("Suppressed by the policy, line "), mark.getText());
        assertTrue(mark.getText().endsWith(DemoTrail.SUPPRESSION_REASON), mark.getText());
        assertTrue(driver.findElements(By.cssSelector("#list .suppressed b")).isEmpty(), "the reason is text");
        List<WebElement> others = driver.findElements(By.xpath("//div[@id='list']//tbody/tr[not(contains(., 'dependabot'))]"));
        assertFalse(others.isEmpty(), "the other refused logins are listed too");
        for (WebElement other : others) {
            assertTrue(other.findElements(By.cssSelector(".suppressed")).isEmpty(), "only the matching finding is suppressed: " + other.getText());
        }
        assertNoScriptRanAndNoCspViolation();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            sleep(50);
        }
        assertTrue(condition.getAsBoolean(), "in time");
    }

    private static List<String> severities() {
        return driver.findElements(By.cssSelector("#list tbody tr .sev")).stream().map(WebElement::getText).toList();
    }

    private static int rank(String severity) {
        return List.of("LOW", "MEDIUM", "HIGH", "CRITICAL").indexOf(severity);
    }

    /** Who weakened a trust policy is named: the session name of the SSO role (the person's sign-in), the ARN on hover. */
    @Test
    void theTrustPolicyChangerIsShownByName() {
        open("/findings?type=trust-policy-weakened&from=2026-11-01&to=2026-11-20");
        List<WebElement> changers = driver.findElements(By.cssSelector("#list .changed-by"));
        assertFalse(changers.isEmpty(), "trust-policy findings name who changed the policy");
        WebElement alice = changers.stream().filter(c -> c.getText().contains("alice@acme.example")).findFirst().orElseThrow(
                () -> new AssertionError(changers.stream().map(WebElement::getText).toList().toString()));
        assertEquals("changed by alice@acme.example (AWSReservedSSO_AdministratorAccess_4f1c9a7be2d05e36)", alice.getText());
        assertEquals("arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_AdministratorAccess_4f1c9a7be2d05e36/alice@acme.example",
                alice.getDomAttribute("title"));
        assertNoScriptRanAndNoCspViolation();
    }

    /** A stale or mistyped link gets a page that says so (the path as text), not the API's JSON. */
    @Test
    void anUnknownPageIsAPageNotJson() {
        open("/finding/%3Cimg%20src=x%20onerror=alert(1)%3E");
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("Not found"));
        assertTrue(driver.findElement(By.tagName("main")).getText().contains("/finding/<img src=x onerror=alert(1)>"),
                driver.findElement(By.tagName("main")).getText());
        assertTrue(driver.findElements(By.tagName("img")).isEmpty(), "the path is text");
        assertTrue(driver.findElement(By.linkText("overview")).getDomAttribute("href").equals("/"));
        // Chromium logs the page's own 404 status as an error: that one is expected, nothing else.
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            assertTrue(e.getLevel().intValue() < Level.SEVERE.intValue() || e.getMessage().contains("status of 404"), e.getMessage());
        }
    }

    @Test
    void aRunsClaimsAreShownAsClaimed_nextToItsVerifiedSubject() throws IOException {
        // events/scenarios/run-claims-mismatch: a hop tagged Branch=refs/heads/main by a feature-branch run.
        open("/findings?type=run-claims-mismatch");
        String list = driver.findElement(By.id("list")).getText();
        assertTrue(list.contains("Claimed by the run, not verified"), list);
        assertTrue(list.contains("repo:acme/website:ref:refs/heads/feature/new-cdn"), list);
        WebElement github = driver.findElement(By.cssSelector("#list a.github-run"));
        assertEquals("https://github.com/acme/website/actions/runs/19354188702/attempts/1", github.getDomAttribute("href"));
        driver.findElement(By.cssSelector("#list tbody tr a[href^='/run?key=']")).click();
        waitLoaded();
        String summary = driver.findElement(By.id("summary")).getText();
        assertTrue(summary.contains("Claimed (not verified)"), summary);
        assertTrue(summary.contains("19354188702"), summary);
        assertNoScriptRanAndNoCspViolation();

        // A stale lock says whether it is safe to force-unlock.
        open("/findings?type=stale-lock");
        String stale = driver.findElement(By.id("list")).getText();
        assertTrue(stale.contains("Force-unlock?"), stale);
        assertTrue(stale.contains("holder-ended"), stale);
        screenshot("claims.png");
        assertNoScriptRanAndNoCspViolation();
    }

    /**
     * Triage in the browser, on a table of its own (the demo trail stays untriaged for the other tests): acknowledge a
     * finding with a hostile note from its row, then find it in the status-filtered list with the note shown as text.
     */
    @Test
    void aFindingIsAcknowledgedInTheBrowserAndListedByStatusWithItsNoteAsText() throws Exception {
        String hostile = "<img src=x onerror=alert(1)> <script>alert(2)</script> looking";
        try (io.statetrail.store.dynamodb.LocalDynamo dynamo = io.statetrail.store.dynamodb.LocalDynamo.inMemory();
             ApiServer triage = ApiServer.start(TriageApiTest.seeded(dynamo), 0, "2026-11-18T12:00:00Z")) {
            String triageBase = triage.uri().toString();
            driver.get(triageBase + "/findings");
            waitLoaded();
            acknowledge("form.triage[data-finding='" + TriageApiTest.ID + "']", hostile);

            driver.get(triageBase + "/findings?status=acknowledged");
            waitLoaded();
            String list = driver.findElement(By.id("list")).getText();
            assertTrue(list.contains(TriageApiTest.ID.substring(0, 10)) || list.contains("acknowledged"), list);
            assertEquals(1, driver.findElements(By.cssSelector("#list .status-acknowledged")).size(), list);
            assertTrue(list.contains(hostile), "the note is shown as text: " + list);
            assertTrue(list.contains("by " + System.getProperty("user.name")), list);
            assertTrue(driver.findElements(By.cssSelector("#list img, #list script")).isEmpty(), "no element was made from the note");
            assertNoScriptRanAndNoCspViolation();
            screenshot("triage.png");

            driver.get(triageBase + "/findings?status=open");
            waitLoaded();
            assertEquals(2, driver.findElements(By.cssSelector("#list .status-open")).size(), "the other two are open");
            assertTrue(driver.findElements(By.cssSelector("#list .status-acknowledged")).isEmpty());
        }
    }

    /**
     * Triage on the finding's own page: acknowledge it there with a hostile note, then see the status and the change in
     * the page's history, the note as text; the list's status filter finds it too.
     */
    @Test
    void aFindingIsAcknowledgedOnItsPageAndItsHistoryShowsTheChangeAsText() throws Exception {
        String hostile = "<img src=x onerror=alert(3)> <b>bold</b> checked with the team";
        try (io.statetrail.store.dynamodb.LocalDynamo dynamo = io.statetrail.store.dynamodb.LocalDynamo.inMemory();
             ApiServer triage = ApiServer.start(TriageApiTest.seeded(dynamo), 0, "2026-11-18T12:00:00Z")) {
            String triageBase = triage.uri().toString();
            driver.get(triageBase + "/finding?id=" + Http.q(TriageApiTest.ID));
            waitLoaded();
            assertTrue(driver.findElement(By.id("history")).getText().contains("Never changed"),
                    driver.findElement(By.id("history")).getText());
            acknowledge("#finding form.triage[data-finding='" + TriageApiTest.ID + "']", hostile);
            waitLoaded();

            assertEquals(1, driver.findElements(By.cssSelector("#finding .status-acknowledged")).size(),
                    driver.findElement(By.id("finding")).getText());
            List<WebElement> rows = driver.findElements(By.cssSelector("#history tbody tr"));
            assertEquals(1, rows.size(), "one change in the history");
            String row = rows.get(0).getText();
            assertTrue(row.contains("acknowledged") && row.contains(System.getProperty("user.name")), row);
            assertTrue(row.contains(hostile), "the note is shown as text: " + row);
            assertTrue(driver.findElements(By.cssSelector("#finding img, #finding b, #history img, #history b")).isEmpty(),
                    "no element was made from the note");
            assertNoScriptRanAndNoCspViolation();
            screenshot("triage-finding-page.png");

            driver.get(triageBase + "/findings?status=acknowledged");
            waitLoaded();
            assertEquals(1, driver.findElements(By.cssSelector("#list .status-acknowledged")).size(),
                    driver.findElement(By.id("list")).getText());
        }
    }

    /** Acknowledges with a note through the triage form and waits for the page to load again after the save. */
    private static void acknowledge(String formSelector, String note) {
        WebElement form = driver.findElement(By.cssSelector(formSelector));
        form.findElement(By.cssSelector("select[name='status'] option[value='acknowledged']")).click();
        form.findElement(By.name("note")).sendKeys(note);
        int before = loads();
        form.findElement(By.tagName("button")).click();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (loads() <= before && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertEquals("", driver.findElement(By.id("error")).getText(), "saved without an error");
    }

    private static void open(String path) {
        driver.get(base + path);
        waitLoaded();
    }

    private static void waitLoaded() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = driver.findElement(By.tagName("body")).getDomAttribute("data-loaded");
            if ("true".equals(state) || "error".equals(state)) {
                break;
            }
            sleep(50);
        }
        assertEquals("true", state, "page failed: " + driver.findElement(By.id("error")).getText());
    }

    /** An alert() from injected markup would still be open; CSP reports any blocked inline script or style. */
    private static void assertNoScriptRanAndNoCspViolation() {
        try {
            String text = driver.switchTo().alert().getText();
            throw new AssertionError("a script ran: alert(" + text + ")");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            assertFalse(e.getMessage().contains("Content Security Policy"), "CSP violation: " + e.getMessage());
            assertTrue(e.getLevel().intValue() < Level.SEVERE.intValue() || e.getMessage().contains("favicon"),
                    "browser error: " + e.getMessage());
        }
    }

    private static void screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
