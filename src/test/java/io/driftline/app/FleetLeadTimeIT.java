package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.config.DriftlineConfig;
import io.driftline.sim.FleetPublisher;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.LeadTimes;
import io.driftline.sim.Scenario;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #16's lead-time bar on a real broker: a cold-started fleet (no machine degrades in its first
 * 12 simulated hours) whose degradations last 4 to 12 hours each. Judged against the simulator's
 * ground truth ({@link LeadTimes}), the median lead of FAILURE_RISK or ANOMALY before a FAILURE is
 * at least half of each failure's degradation period, and ANOMALY, which needs no label, alerts
 * before the first FAILURE and before FAILURE_RISK, which does.
 */
class FleetLeadTimeIT {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int DEVICES = 60;
    private static final long READINGS = DEVICES * 60L * 36;
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    private static FleetSimulator fleet() {
        return new FleetSimulator(new FleetSimulator.Settings(DEVICES, 7, START, Duration.ofMinutes(1), 0.5,
                Duration.ofHours(4), Duration.ofHours(12), Duration.ofHours(12), Duration.ofHours(2), Scenario.NONE,
                Duration.ofDays(365), null));
    }

    @Test
    void shouldWarnOfFailuresForAtLeastHalfTheirDegradationAndFromTheColdStart() throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "lead");
        Map<String, Object> settings = FleetItSettings.of(dataDir, "driftline-lead-it");
        settings.put(DriftlineConfig.HTTP_PORT, "-1");
        DriftlineConfig config = new DriftlineConfig(settings);
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));

        try (DriftlineService service = DriftlineService.start(config, infrastructure);
             FleetPublisher publisher = new FleetPublisher(infrastructure.clientSettings(), topics, 0)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publisher.publish(fleet(), READINGS, () -> false);
            assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS)).hasSize((int) READINGS);
            TimeUnit.SECONDS.sleep(2);
        }

        LeadTimes leads = new LeadTimes();
        for (Alert alert : Evaluation.<Alert>readCommitted(infrastructure, topics.alerts(), -1)) {
            leads.alert(alert);
        }
        // The ground truth of the events published: the same fleet again, up to the last reading sent.
        FleetSimulator truth = fleet();
        for (long readings = 0; readings < READINGS; ) {
            FleetSimulator.Event event = truth.next();
            if (event instanceof FleetSimulator.Reading) {
                readings++;
            } else if (((FleetSimulator.Maintenance) event).failure() != null) {
                leads.failure(((FleetSimulator.Maintenance) event).failure());
            }
        }
        LeadTimes.Report report = leads.report();
        LeadTimes.Summary all = report.all();
        System.err.printf("FleetLeadTimeIT: %s; first FAILURE %s, first ANOMALY %s, first FAILURE_RISK %s%n", all,
                report.firstFailure(), report.firstRaise().get(AlertKind.ANOMALY),
                report.firstRaise().get(AlertKind.FAILURE_RISK));

        assertThat(all.failures()).as("failures in 36 simulated hours").isGreaterThanOrEqualTo(10);
        assertThat(all.medianShare()).as("median lead over the degradation period").isGreaterThanOrEqualTo(0.5);
        Instant firstAnomaly = report.firstRaise().get(AlertKind.ANOMALY);
        assertThat(firstAnomaly).isBefore(report.firstFailure());
        assertThat(firstAnomaly).isBefore(report.firstRaise().get(AlertKind.FAILURE_RISK));
    }
}
