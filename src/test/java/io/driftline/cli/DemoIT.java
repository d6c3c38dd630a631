package io.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code driftline demo} in its own JVM, as a user runs it: it starts the broker, the registry (a
 * child process), the topology and the simulator, and prints alerts. Then, against the same demo,
 * what an operator does: health, readiness, Prometheus metrics, the model list and one model's
 * state, a model reset (audited as a MODEL_RESET alert), and the dashboard in headless Chromium
 * (Debian's chromium and chromedriver; {@code .ci/run} installs them). The console carries only
 * Driftline's own lines; Kafka's go to the log file in the data directory. On Ctrl-C (SIGINT) the
 * demo stops everything, leaving no process behind.
 */
class DemoIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TICK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +[A-Z]+ +(\\S+) - .*");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldShowAlertsServeTheApiAndDashboardAndStopCleanlyOnCtrlC() throws Exception {
        assertThat(ignoresSigint()).as("this JVM ignores SIGINT, and so would the demo it starts: Ctrl-C could not "
                + "stop it. A command a shell without job control starts in the background (a script's `cmd &`) "
                + "ignores SIGINT; run the build in the foreground or from a shell with `set -m`").isFalse();
        Path dataDir = Files.createTempDirectory("driftline-demo-it");
        Path err = dataDir.resolve("demo.err");
        // The logging configuration users get, not the tests' own.
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo",
                "--data-dir", dataDir.toString(),
                "--set", "embedded.broker.port=0", "--set", "embedded.controller.port=0",
                "--set", "embedded.registry.port=0", "--set", "http.port=0")
                .redirectError(err.toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> beforeRisk = new ArrayList<>();
            String alert = CompletableFuture.supplyAsync(() -> firstLine(out, "FAILURE_RISK", beforeRisk))
                    .get(4, TimeUnit.MINUTES);
            assertThat(alert).contains("likely to fail");
            // Anomaly scores need no label: a degrading machine is flagged before the first failure risk can be.
            assertThat(beforeRisk).as("the demo's lines before its first FAILURE_RISK")
                    .anyMatch(line -> line.matches(".* ANOMALY +Device \\S+ behaves anomalously.*"));
            String dashboard = dashboardUrl(err);

            assertThat(get(dashboard + "health").statusCode()).isEqualTo(200);
            assertThat(get(dashboard + "ready").statusCode()).isEqualTo(200);
            assertThat(get(dashboard + "metrics").body())
                    .contains("driftline_readings_total", "driftline_prediction_latency_seconds_bucket",
                            "driftline_alerts_total{kind=\"FAILURE_RISK\"}", "driftline_model_window_accuracy",
                            "driftline_labels_pending", "kafka_stream_");
            JsonNode models = JSON.readTree(get(dashboard + "api/models").body());
            List<String> keys = new ArrayList<>();
            models.forEach(model -> keys.add(model.get("model").asText()));
            assertThat(keys).isNotEmpty().isSubsetOf("L", "M", "H", "X");
            HttpResponse<String> modelResponse = get(dashboard + "api/models/" + keys.get(0));
            assertThat(modelResponse.statusCode()).as(modelResponse.body()).isEqualTo(200);
            JsonNode model = JSON.readTree(modelResponse.body());
            assertThat(model.at("/state/learner").asText()).isEqualTo("trees.HoeffdingTree");
            assertThat(model.at("/state/readingsSeen").asLong()).isPositive();
            assertThat(get(dashboard + "api/models/no-such-model").statusCode()).isEqualTo(404);
            String device = alert.substring(alert.indexOf("Device ") + "Device ".length()).split(" ")[0];
            JsonNode view = JSON.readTree(get(dashboard + "api/devices/" + device).body());
            assertThat(view.at("/latest/deviceId").asText()).isEqualTo(device);
            assertThat(view.at("/latest/failureProbability").asDouble()).isBetween(0.0, 1.0);
            assertThat(view.get("recent")).isNotEmpty();
            assertThat(get(dashboard + "api/devices/no-such-device").statusCode()).isEqualTo(404);

            HttpResponse<String> reset = http.send(HttpRequest.newBuilder(URI.create(dashboard + "api/models/"
                            + keys.get(0) + "/reset"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"requestedBy\":\"demo-it\",\"reason\":\"test reset\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reset.statusCode()).isEqualTo(202);
            String audit = CompletableFuture.supplyAsync(() -> firstLine(out, "MODEL_RESET", new ArrayList<>()))
                    .get(1, TimeUnit.MINUTES);
            assertThat(audit).contains("Model " + keys.get(0) + " reset by demo-it", "test reset");

            assertQuietConsole(err, dataDir);

            Path screenshot = browseDashboard(dashboard);
            assertThat(distinctColours(screenshot)).as("screenshot %s is not blank", screenshot).isGreaterThan(20);

            List<ProcessHandle> children = demo.descendants().toList();
            assertThat(children).as("the embedded registry runs as a child process").isNotEmpty();
            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo exits after Ctrl-C").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("child %s", child.pid()).isFalse();
            }
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    /** Driftline's own lines on the console; Kafka's routine warnings only in the log file it names. */
    /** Whether this process ignores SIGINT (signal 2: bit 1 of SigIgn), which processes it starts inherit. */
    private static boolean ignoresSigint() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:"))
                .anyMatch(line -> (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0b10) != 0);
    }

    private static void assertQuietConsole(Path err, Path dataDir) throws IOException {
        Path logFile = dataDir.resolve("driftline.log");
        List<String> console = Files.readAllLines(err);
        assertThat(console).anyMatch(line -> line.startsWith("Driftline demo: ") && line.endsWith("Full log: " + logFile));
        Set<String> driftlineClasses;
        try (Stream<Path> classes = Files.walk(Path.of("target", "classes", "io", "driftline"))) {
            driftlineClasses = classes.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .collect(Collectors.toSet());
        }
        List<String> loggers = console.stream().map(LOG_LINE::matcher).filter(Matcher::matches)
                .map(line -> line.group(1)).toList();
        assertThat(loggers).as("console: %s", console).isNotEmpty().allMatch(driftlineClasses::contains);
        assertThat(String.join("\n", console)).doesNotContain("UNKNOWN_TOPIC_OR_PARTITION", "processing.exception.handler");
        assertThat(logFile).content().contains("Starting with DriftlineConfig{",
                "org.apache.kafka.controller.QuorumController - ");
    }

    /** Opens the dashboard, waits for alerts, model rows and chart lines, and saves a screenshot. */
    private static Path browseDashboard(String url) throws IOException {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver)").exists();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver").exists();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(url);
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(page ->
                    !page.findElements(By.cssSelector("#alerts li.alert")).isEmpty()
                            && !page.findElements(By.cssSelector("#models tbody tr")).isEmpty()
                            && !page.findElements(By.cssSelector("#accuracy polyline")).isEmpty()
                            && !page.findElements(By.cssSelector("#risk polyline")).isEmpty());
            assertThat(browser.findElement(By.id("ready")).getText()).isEqualTo("running");
            assertAxesLabelThePlottedData(browser, "accuracy", "%");
            assertAxesLabelThePlottedData(browser, "risk", "");
            assertHoverShowsValues(browser);
            assertDeviceView(browser);
            Path screenshot = Path.of("target", "dashboard.png");
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
            return screenshot;
        } finally {
            browser.quit();
        }
    }

    /** One moment of a chart (it is redrawn as data arrive): its lines' data and pixels, its ticks, its axis titles. */
    private static final String CHART_SNAPSHOT = """
            const svg = document.getElementById(arguments[0]);
            const ticks = kind => [...svg.querySelectorAll("text." + kind)].map(e => ({text: e.textContent, at: e.dataset.at}));
            return JSON.stringify({
              lines: [...svg.querySelectorAll("polyline")].map(l => ({t: l.dataset.t, v: l.dataset.v, points: l.getAttribute("points")})),
              x: ticks("tick-x"), y: ticks("tick-y"),
              titles: [...svg.querySelectorAll("text.axis-title")].map(e => e.textContent)});
            """;

    /**
     * The chart's tick labels read as event times (UTC) and as values, at least two of each where
     * the data vary, all within the range of the data the chart plots; and each line's points sit
     * where the axes' labels say their times and values belong.
     */
    private static void assertAxesLabelThePlottedData(ChromeDriver browser, String chartId, String unit) throws IOException {
        JsonNode chart = JSON.readTree((String) browser.executeScript(CHART_SNAPSHOT, chartId));
        List<double[]> points = new ArrayList<>();
        for (JsonNode line : chart.get("lines")) {
            String[] times = line.get("t").asText().split(",");
            String[] values = line.get("v").asText().split(",");
            String[] pixels = line.get("points").asText().split(" ");
            assertThat(times).hasSameSizeAs(values).hasSameSizeAs(pixels);
            for (int i = 0; i < times.length; i++) {
                String[] xy = pixels[i].split(",");
                points.add(new double[] {Double.parseDouble(times[i]), Double.parseDouble(values[i]),
                        Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
            }
        }
        assertThat(points).as("points plotted in %s", chartId).isNotEmpty();
        double tMin = points.stream().mapToDouble(p -> p[0]).min().orElseThrow();
        double tMax = points.stream().mapToDouble(p -> p[0]).max().orElseThrow();
        double vMin = points.stream().mapToDouble(p -> p[1]).min().orElseThrow();
        double vMax = points.stream().mapToDouble(p -> p[1]).max().orElseThrow();

        List<double[]> timeTicks = new ArrayList<>();
        for (JsonNode tick : chart.get("x")) {
            String text = tick.get("text").asText();
            double time = LocalDateTime.parse(text, TICK_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
            assertThat(time).as("time tick %s of %s", text, chartId).isBetween(tMin, tMax);
            timeTicks.add(new double[] {time, tick.get("at").asDouble()});
        }
        List<double[]> valueTicks = new ArrayList<>();
        for (JsonNode tick : chart.get("y")) {
            String text = tick.get("text").asText();
            assertThat(text).as("value tick of %s", chartId).endsWith(unit);
            double value = Double.parseDouble(text.substring(0, text.length() - unit.length()).trim());
            assertThat(value).as("value tick %s of %s", text, chartId).isBetween(vMin, vMax);
            valueTicks.add(new double[] {value, tick.get("at").asDouble()});
        }
        assertThat(timeTicks).as("time ticks of %s", chartId).hasSizeGreaterThanOrEqualTo(tMax > tMin ? 2 : 1);
        assertThat(valueTicks).as("value ticks of %s", chartId).hasSizeGreaterThanOrEqualTo(vMax > vMin ? 2 : 1);
        for (double[] point : points) {
            if (timeTicks.size() >= 2) {
                assertThat(point[2]).as("x of the point at %s", point[0]).isCloseTo(at(timeTicks, point[0]), within(1.0));
            }
            if (valueTicks.size() >= 2) {
                assertThat(point[3]).as("y of the value %s", point[1]).isCloseTo(at(valueTicks, point[1]), within(1.0));
            }
        }
        assertThat(chart.get("titles")).extracting(JsonNode::asText).contains("event time (UTC)");
    }

    /** Where {@code value} lies on an axis, by linear interpolation between its first and last ticks (value, position). */
    private static double at(List<double[]> ticks, double value) {
        double[] first = ticks.get(0);
        double[] last = ticks.get(ticks.size() - 1);
        return first[1] + (value - first[0]) / (last[0] - first[0]) * (last[1] - first[1]);
    }

    /** Hovering over the accuracy chart shows the time under the pointer and each model's value. */
    private static void assertHoverShowsValues(ChromeDriver browser) {
        WebElement tooltip = browser.findElement(By.id("tooltip"));
        // The chart is redrawn when statuses arrive: hover over whichever hover area is current.
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(page -> {
            new Actions(browser).moveToElement(page.findElement(By.cssSelector("#accuracy rect.hover-area"))).perform();
            return tooltip.isDisplayed();
        });
        List<String> lines = List.of(tooltip.getText().split("\n"));
        assertThat(LocalDateTime.parse(lines.get(0), TICK_TIME)).isNotNull();
        assertThat(lines.subList(1, lines.size())).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("[LMHX] +-?\\d+\\.\\d+ %  \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)"));
    }

    /** A device named by an alert: its failure probability, model, last reading and chart. */
    private static void assertDeviceView(ChromeDriver browser) throws IOException {
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(page -> {
            page.findElement(By.cssSelector("#alerts li.alert.has-device")).click();
            return true;
        });
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(page ->
                !page.findElement(By.id("device-model")).getText().isEmpty()
                        && !page.findElements(By.cssSelector("#device-chart polyline")).isEmpty());
        double probability = Double.parseDouble(browser.findElement(By.id("device-probability")).getText());
        assertThat(probability).isBetween(0.0, 1.0);
        assertThat(browser.findElement(By.id("device-model")).getText()).isIn("L", "M", "H", "X");
        assertThat(Instant.parse(browser.findElement(By.id("device-time")).getText())).isNotNull();
        assertThat(browser.findElement(By.id("device-episodes")).getText()).isNotEmpty();
        assertAxesLabelThePlottedData(browser, "device-chart", "");
    }

    private static int distinctColours(Path png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The demo prints its dashboard's address on stderr once the HTTP API listens. */
    private static String dashboardUrl(Path err) throws IOException {
        Optional<String> line = Files.readAllLines(err).stream().filter(l -> l.startsWith("Dashboard: ")).findFirst();
        assertThat(line).as("the demo prints its dashboard address").isPresent();
        return line.get().substring("Dashboard: ".length()).trim();
    }

    /** The first line that contains {@code containing}; the lines before it go to {@code seen}. */
    private static String firstLine(BufferedReader out, String containing, List<String> seen) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.contains(containing)) {
                    return line;
                }
                seen.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("demo ended without '" + containing + "'; it printed " + seen);
    }
}
