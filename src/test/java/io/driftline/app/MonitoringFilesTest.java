package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftline.avro.ModelStatus;
import io.driftline.config.DriftlineConfig;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.topology.DriftlineTopology;
import io.driftline.topology.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus scrape configuration, its alerting rules and the Grafana dashboard in monitoring/,
 * checked without Docker: every metric they query, and every label they match or group by, is one
 * a Driftline instance exports. The exported series come from the real registry: the one
 * DriftlineService serves on /metrics, with the real topology's meters, Kafka Streams' own (its
 * clients' included) bound from a Kafka Streams instance that is built but not started, and every
 * meter of DriftlineMetrics touched once (some register on first use).
 */
class MonitoringFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MONITORING = Path.of("monitoring");
    /** Series Prometheus writes itself for every target, and the labels it adds to every series. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+.*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\s*\\)");

    private static Map<String, List<Map<String, String>>> exported;

    @BeforeAll
    static void scrapeARealRegistry(@TempDir Path dataDir) throws Exception {
        DriftlineConfig config = new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR, dataDir.toString()));
        Infrastructure nowhere = Infrastructure.existing("127.0.0.1:9", "mock://monitoring-files-test");
        Topics topics = Topics.from(config, config.registryClientSettings(nowhere.registryUrl()));
        PrometheusMeterRegistry meters = DriftlineService.meterRegistry();
        DriftlineMetrics metrics = new DriftlineMetrics(meters);
        KafkaStreams streams = new KafkaStreams(DriftlineTopology.build(topics, config.pipeline(), metrics),
                DriftlineService.streamsProperties(config, nowhere));
        try (KafkaStreamsMetrics streamsMetrics = DriftlineService.bindStreamsMetrics(streams, meters)) {
            touchEveryMeter(metrics);
            exported = series(meters.scrape());
        } finally {
            streams.close(Duration.ofSeconds(5));
            meters.close();
        }
    }

    @Test
    void shouldExportTheSeriesTheFilesRelyOn() {
        assertThat(exported).containsKeys("driftline_readings_total", "driftline_prediction_latency_seconds_bucket",
                "driftline_ready", "jvm_memory_used_bytes");
        assertThat(exported.keySet()).anyMatch(name -> name.startsWith("kafka_stream_"));
    }

    @Test
    void shouldScrapeEveryDriftlineContainerOnItsMetricsPort() throws IOException {
        JsonNode prometheus = YAML.readTree(MONITORING.resolve("prometheus/prometheus.yml").toFile());
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile()).get("services");
        JsonNode job = prometheus.get("scrape_configs").get(0);

        assertThat(job.get("job_name").asText()).isEqualTo("driftline");
        assertThat(job.get("metrics_path").asText()).isEqualTo("/metrics");
        JsonNode discovery = job.get("dns_sd_configs").get(0);
        assertThat(discovery.get("names")).extracting(JsonNode::asText).containsExactly("driftline");
        assertThat(compose.has("driftline")).isTrue();
        int port = new DriftlineConfig(Map.of()).getInt(DriftlineConfig.HTTP_PORT);
        assertThat(compose.get("driftline").get("environment").has("DRIFTLINE_HTTP_PORT")).isFalse();
        assertThat(discovery.get("port").asInt()).isEqualTo(port);
        for (JsonNode ruleFile : prometheus.get("rule_files")) {
            assertThat(hostPath(compose.get("prometheus"), ruleFile.asText())).as(ruleFile.asText()).isRegularFile();
        }
        assertThat(hostPath(compose.get("prometheus"), "/etc/prometheus/prometheus.yml"))
                .isEqualTo(MONITORING.resolve("prometheus/prometheus.yml"));
    }

    @Test
    void shouldAlertOnDriftlinesHealthWithMetricsItExports() throws IOException {
        JsonNode rules = YAML.readTree(MONITORING.resolve("prometheus/alerts.yml").toFile());
        List<String> problems = new ArrayList<>();
        Set<String> queried = new LinkedHashSet<>();
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                expressions.put(rule.get("alert").asText(), rule.get("expr").asText());
                assertThat(rule.at("/labels/severity").asText()).isIn("critical", "warning");
                assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
            }
        }
        expressions.forEach((alert, expression) -> problems.addAll(check(alert, expression, queried)));

        assertThat(problems).isEmpty();
        assertThat(expressions).containsKeys("DriftlineDown", "DriftlineNotReady", "DriftlineDeadLettersRising",
                "DriftlineConsumerLagGrowing", "DriftlineNoReadings");
        assertThat(queried).contains("up", "driftline_ready", "driftline_dead_letters_total",
                "kafka_consumer_fetch_manager_records_lag_max", "driftline_readings_total");
        assertThat(expressions.get("DriftlineDown")).contains("job=\"driftline\"");
    }

    @Test
    void shouldShowOnTheDashboardOnlyMetricsDriftlineExports() throws IOException {
        JsonNode dashboard = JSON.readTree(MONITORING.resolve("grafana/dashboards/driftline.json").toFile());
        JsonNode datasource = YAML.readTree(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .get("datasources").get(0);
        List<String> problems = new ArrayList<>();
        Set<String> queried = new LinkedHashSet<>();
        int targets = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.get("title").asText();
            assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo(datasource.get("uid").asText());
            assertThat(panel.get("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                problems.addAll(check(title, target.get("expr").asText(), queried));
                targets++;
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            Matcher query = LABEL_VALUES.matcher(variable.at("/query/query").asText());
            assertThat(query.matches()).as(variable.get("name").asText()).isTrue();
            problems.addAll(check("$" + variable.get("name").asText(),
                    query.group(1) + " by (" + query.group(2) + ") ", queried));
        }

        assertThat(problems).isEmpty();
        assertThat(targets).isGreaterThanOrEqualTo(15);
        assertThat(queried).as("readings/s, latency, accuracy, kappa, recall, alerts, dead letters, checkpoints, lag")
                .contains("driftline_readings_total", "driftline_prediction_latency_seconds_bucket",
                        "driftline_model_window_accuracy", "driftline_model_window_kappa", "driftline_model_recall",
                        "driftline_alerts_total", "driftline_dead_letters_total", "driftline_checkpoint_bytes_sum",
                        "kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void shouldProvisionTheDashboardFromTheRepository() throws IOException {
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile()).get("services");
        JsonNode provider = YAML.readTree(MONITORING.resolve("grafana/provisioning/dashboards/driftline.yml").toFile())
                .get("providers").get(0);
        JsonNode datasource = YAML.readTree(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .get("datasources").get(0);

        Path dashboards = hostPath(compose.get("grafana"), provider.at("/options/path").asText());
        assertThat(dashboards).isEqualTo(MONITORING.resolve("grafana/dashboards"));
        assertThat(dashboards.resolve("driftline.json")).isRegularFile();
        assertThat(hostPath(compose.get("grafana"), "/etc/grafana/provisioning/datasources/prometheus.yml"))
                .isRegularFile();
        assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(compose.get("prometheus").get("ports").get(0).asText()).endsWith(":9090");
    }

    @Test
    void shouldCatchAMisspelledMetricAWrongLabelAndAMatcherThatMatchesNothing() {
        Set<String> queried = new LinkedHashSet<>();
        assertThat(check("t", "rate(driftline_readings_totl[5m])", queried)).hasSize(1);
        assertThat(check("t", "sum by (knd) (driftline_alerts_total)", queried)).hasSize(1);
        assertThat(check("t", "driftline_alerts_total{knd=\"FAILURE_RISK\"}", queried)).hasSize(1);
        assertThat(check("t", "kafka_consumer_fetch_manager_records_lag_max{client_id=~\".*-producer\"}", queried))
                .hasSize(1);
        assertThat(check("t", "histogram_quantile(0.99, sum by (le) (rate(driftline_prediction_latency_seconds_bucket"
                + "{instance=~\"$instance\"}[$__rate_interval])))", queried)).isEmpty();
        assertThat(PromQl.parse("max by (instance) (deriv(x{a=~\"[0-9]{2}\"}[10m])) > 0 and on(instance) y offset 5m")
                .selectors()).extracting(PromQl.Selector::metric).containsExactly("x", "y");
    }

    /**
     * What is wrong with {@code expression}: metrics Driftline does not export, matched or grouping
     * labels none of its series carry, and, for series whose label values are real here (Kafka's
     * and the JVM's, not DriftlineMetrics' touched placeholders), matchers that match no value.
     */
    private static List<String> check(String where, String expression, Set<String> queried) {
        List<String> problems = new ArrayList<>();
        PromQl.Parsed parsed = PromQl.parse(expression);
        if (parsed.selectors().isEmpty()) {
            problems.add(where + ": no metric in " + expression);
        }
        Set<String> labels = new LinkedHashSet<>(TARGET_LABELS);
        for (PromQl.Selector selector : parsed.selectors()) {
            String metric = selector.metric();
            queried.add(metric);
            if (PROMETHEUS_SERIES.contains(metric)) {
                continue;
            }
            List<Map<String, String>> series = exported.get(metric);
            if (series == null) {
                problems.add(where + ": Driftline exports no " + metric);
                continue;
            }
            series.forEach(s -> labels.addAll(s.keySet()));
            for (PromQl.Matcher matcher : selector.matchers()) {
                if (TARGET_LABELS.contains(matcher.label())) {
                    continue;
                }
                if (series.stream().noneMatch(s -> s.containsKey(matcher.label()))) {
                    problems.add(where + ": " + metric + " has no label " + matcher.label());
                } else if (!metric.startsWith("driftline_") && !matcher.value().contains("$")
                        && matcher.operator().startsWith("=")
                        && series.stream().noneMatch(s -> matches(matcher, s.get(matcher.label())))) {
                    problems.add(where + ": " + matcher + " matches no " + metric + " series " + series);
                }
            }
        }
        for (String label : parsed.groupingLabels()) {
            if (!labels.contains(label)) {
                problems.add(where + ": no series of " + expression + " has the label " + label);
            }
        }
        return problems;
    }

    private static boolean matches(PromQl.Matcher matcher, String value) {
        return value != null && (matcher.isRegex() ? value.matches(matcher.value()) : value.equals(matcher.value()));
    }

    /** Every sample line of a Prometheus text scrape: metric name to the label sets of its series. */
    private static Map<String, List<Map<String, String>>> series(String scrape) {
        Map<String, List<Map<String, String>>> byName = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            byName.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        }
        return byName;
    }

    /**
     * Calls every public method of DriftlineMetrics once, so that the meters registered on first
     * use (alerts by kind, dead letters by reason, a model's gauges, ...) are in the scrape.
     */
    private static void touchEveryMeter(DriftlineMetrics metrics) throws ReflectiveOperationException {
        for (Method method : DriftlineMetrics.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || method.getName().equals("modelGone")) {
                continue;
            }
            Object[] arguments = new Object[method.getParameterCount()];
            Class<?>[] types = method.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                arguments[i] = argument(types[i]);
            }
            if (method.invoke(metrics, arguments) instanceof IntConsumer sizes) {
                sizes.accept(1);
            }
        }
    }

    private static Object argument(Class<?> type) {
        if (type == String.class) {
            return "touched";
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == BooleanSupplier.class) {
            return (BooleanSupplier) () -> true;
        }
        if (type == ModelStatus.class) {
            return ModelStatus.newBuilder().setModelKey("touched").setTime(java.time.Instant.EPOCH).setLearner("trees.HoeffdingTree")
                    .setReadingsSeen(1).setInstancesTrained(1).setAccuracy(1).setKappa(1).setWindowAccuracy(1)
                    .setWindowKappa(1).setPositiveClass("failure").setPrecision(1).setRecall(1).setF1(1)
                    .setConceptDrifts(0).setDataDrifts(0).setInvalidValues(0).setPeakFailureProbability(1)
                    .setFeatures(List.of()).build();
        }
        throw new IllegalStateException("MonitoringFilesTest cannot call DriftlineMetrics with a " + type);
    }

    /** The repository path a compose service mounts at {@code containerPath}. */
    private static Path hostPath(JsonNode service, String containerPath) {
        for (JsonNode volume : service.get("volumes")) {
            String[] parts = volume.asText().split(":");
            String mount = parts.length > 1 ? parts[1] : "";
            if (parts[0].startsWith("./") && (containerPath.equals(mount) || containerPath.startsWith(mount + "/"))) {
                return Path.of(parts[0].substring(2) + containerPath.substring(mount.length()));
            }
        }
        throw new AssertionError("no volume of " + service + " holds " + containerPath);
    }
}
