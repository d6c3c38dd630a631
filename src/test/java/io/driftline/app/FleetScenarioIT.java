package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelStatus;
import io.driftline.config.DriftlineConfig;
import io.driftline.sim.FleetPublisher;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.Scenario;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The predictive-maintenance path on a real broker: a simulated fleet with delayed failure labels
 * and the FIRMWARE drift scenario. Driftline must learn to see failures coming (FAILURE_RISK
 * alerts, recall), notice the firmware change (DATA_DRIFT on type M's vibration soon after it), and
 * publish its models' status.
 */
class FleetScenarioIT {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DRIFT_AT = Duration.ofHours(26);
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldPredictFailuresAndDetectTheFirmwareDrift() throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "fleet");
        Map<String, Object> settings = FleetItSettings.of(dataDir, "driftline-fleet-it");
        settings.put(DriftlineConfig.TOPIC_PARTITIONS, "4");
        settings.put(DriftlineConfig.ORDER_MAX_DELAY_MS, "5000");
        settings.put(DriftlineConfig.STATUS_INTERVAL_MS, "500");
        settings.put(DriftlineConfig.HTTP_PORT, "0");
        DriftlineConfig config = new DriftlineConfig(settings);
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        FleetSimulator simulator = new FleetSimulator(new FleetSimulator.Settings(60, 7, START, Duration.ofMinutes(1),
                0.5, Duration.ofHours(12), Duration.ofHours(2), Scenario.FIRMWARE, DRIFT_AT, null));
        long readings = 60L * 60 * 30;

        try (DriftlineService service = DriftlineService.start(config, infrastructure);
             FleetPublisher publisher = new FleetPublisher(infrastructure.clientSettings(), topics, 0)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publisher.publish(simulator, readings, () -> false);
            List<?> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), readings);
            assertThat(predictions).hasSize((int) readings);
            TimeUnit.SECONDS.sleep(2);
            // Four partitions replayed at full speed reach the models in event-time order (order.max.delay.ms);
            // a maintenance event late in its own partition may still be handed on behind (0 in the runs seen).
            assertThat(service.meters().find("driftline.inputs.out.of.order").counter().count())
                    .as("inputs handed to their model out of event-time order").isLessThan(readings / 1000.0);
        }

        List<Alert> alerts = Evaluation.readCommitted(infrastructure, topics.alerts(), -1);
        assertThat(alerts).anySatisfy(alert -> assertThat(alert.getKind()).isEqualTo(AlertKind.FAILURE_RISK));
        List<Alert> vibrationDrifts = alerts.stream()
                .filter(alert -> alert.getKind() == AlertKind.DATA_DRIFT && alert.getModelKey().equals("M")
                        && alert.getDetails().get("sensor").equals("vibration_mm_s"))
                .toList();
        Instant drift = START.plus(DRIFT_AT);
        assertThat(vibrationDrifts).as("M's vibration drift soon after the firmware update")
                .anySatisfy(alert -> assertThat(alert.getEventTime()).isBetween(drift, drift.plus(Duration.ofHours(2))));

        Map<String, ModelStatus> status = new HashMap<>();
        for (ModelStatus each : Evaluation.<ModelStatus>readCommitted(infrastructure, topics.modelStatus(), -1)) {
            status.put(each.getModelKey(), each);
        }
        assertThat(status).containsKeys("L", "M", "H");
        assertThat(status.values()).allSatisfy(model -> {
            assertThat(model.getInstancesTrained()).isPositive();
            assertThat(model.getFeatures()).contains("vibration_mm_s", "vibration_mm_s.mean");
        });
        // Cumulative since the first reading, learning included; a model that never sees failures coming scores 0.
        assertThat(status.get("L").getRecall()).as("failure precursors caught by the largest model").isGreaterThan(0.5);
        assertThat(status.get("L").getKappa()).as("kappa of the largest model, percent").isGreaterThan(60);
    }
}
