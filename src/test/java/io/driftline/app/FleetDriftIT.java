package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.config.DriftlineConfig;
import io.driftline.drift.DriftScorecard;
import io.driftline.drift.DriftScorecard.ModelScore;
import io.driftline.drift.DriftScorecard.Target;
import io.driftline.sim.FleetPublisher;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.GroundTruth;
import io.driftline.sim.Scenario;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #19's bars on a real broker, for a small fleet: the drift alerts Driftline published,
 * read back committed, scored against the scenario's ground truth by the same scorecard as
 * {@code evaluate --fleet}. NONE raises no drift alert of either kind; FIRMWARE's vibration change
 * on M and the concept change it makes for M's tree are detected within two simulated hours (the
 * concept change's counted from the label horizon's end), and nothing else alerts. The concept
 * change shows as an input shift only once M's tree splits on vibration, which the tree of 150
 * machines has by the change and that of 60 has not ({@code evaluate --fleet --devices 60} misses it).
 * NONE's bar (nothing raised) needs no large tree, and 60 machines take 40 % of the time.
 */
class FleetDriftIT {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    // After the data-drift baseline (a day) and a few hours of watching.
    private static final Duration DRIFT_AT = Duration.ofHours(27);
    private static final int DEVICES = 150;
    private static final int STATIONARY_DEVICES = 60;
    // Readings per machine: 31 simulated hours, one a minute.
    private static final long READINGS_PER_DEVICE = 60L * 31;
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldRaiseNoDriftAlertOnAStationaryFleet() throws Exception {
        DriftScorecard.Report report = run(Scenario.NONE, STATIONARY_DEVICES);

        assertThat(report.models()).extracting(ModelScore::modelKey).containsExactly("H", "L", "M");
        assertThat(report.models()).allSatisfy(model -> {
            assertThat(model.conceptAlerts()).as("CONCEPT_DRIFT on %s", model.modelKey()).isZero();
            assertThat(model.dataAlerts()).as("DATA_DRIFT on %s", model.modelKey()).isZero();
        });
        assertThat(report.passed()).isTrue();
    }

    @Test
    void shouldDetectTheFirmwareChangeOnTimeAndRaiseNothingElse() throws Exception {
        DriftScorecard.Report report = run(Scenario.FIRMWARE, DEVICES);

        List<Target> targets = report.models().stream().flatMap(model -> model.targets().stream()).toList();
        assertThat(targets).allSatisfy(target -> assertThat(target.passed()).as(target.name() + ": "
                + target.measured()).isTrue());
        assertThat(targets).extracting(Target::name)
                .contains("detect DATA vibration_mm_s within 120 min", "detect CONCEPT within 120 min");
        assertThat(report.models()).allSatisfy(model -> assertThat(model.falseConcept() + model.falseData().values()
                .stream().mapToInt(Integer::intValue).sum()).as("false drift alerts on %s", model.modelKey()).isZero());
    }

    private static DriftScorecard.Report run(Scenario scenario, int devices) throws Exception {
        long readings = devices * READINGS_PER_DEVICE;
        Path dataDir = Files.createTempDirectory(environment.dir, "drift");
        String run = "drift-it-" + scenario.name().toLowerCase(Locale.ROOT);
        Map<String, Object> settings = FleetItSettings.of(dataDir, "driftline-" + run);
        // Both tests share one broker: each has topics of its own.
        for (String topic : List.of(DriftlineConfig.TOPIC_READINGS, DriftlineConfig.TOPIC_MAINTENANCE,
                DriftlineConfig.TOPIC_PREDICTIONS, DriftlineConfig.TOPIC_ALERTS, DriftlineConfig.TOPIC_DEAD_LETTER,
                DriftlineConfig.TOPIC_MODEL_STATUS, DriftlineConfig.TOPIC_COMMANDS)) {
            settings.put(topic, run + "-" + topic.substring("topic.".length()).replace('.', '-'));
        }
        settings.put(DriftlineConfig.HTTP_PORT, "-1");
        DriftlineConfig config = new DriftlineConfig(settings);
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        FleetSimulator simulator = new FleetSimulator(new FleetSimulator.Settings(devices, 7, START,
                Duration.ofMinutes(1), 0.5, Duration.ofHours(12), Duration.ofHours(2), scenario, DRIFT_AT, null));

        try (DriftlineService service = DriftlineService.start(config, infrastructure);
             FleetPublisher publisher = new FleetPublisher(infrastructure.clientSettings(), topics, 0)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publisher.publish(simulator, readings, () -> false);
            assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), readings)).hasSize((int) readings);
            TimeUnit.SECONDS.sleep(2);
        }

        GroundTruth truth = GroundTruth.of(scenario, START, DRIFT_AT, config.modelScope());
        DriftScorecard scorecard = new DriftScorecard(truth.changes(), truth.models(), truth.stationary(), START,
                Duration.ofHours(2).plus(config.pipeline().labels().grace()), Duration.ofHours(6));
        for (Alert alert : Evaluation.<Alert>readCommitted(infrastructure, topics.alerts(), -1)) {
            scorecard.alert(alert);
        }
        return scorecard.report(START.plus(Duration.ofMinutes(READINGS_PER_DEVICE)), Map.of("L", 1L, "M", 1L, "H", 1L));
    }
}
