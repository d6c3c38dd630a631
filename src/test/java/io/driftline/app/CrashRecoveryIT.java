package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.MoaStreams;
import io.driftline.kafka.TopicAdmin;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash equivalence: Driftline runs in a child JVM and is killed with SIGKILL at random moments,
 * three times, while it works through 200,000 readings; each time it is restarted. Afterwards the
 * predictions topic (read committed) holds exactly one prediction per reading, identical, in
 * order, to those of an uninterrupted run, and so are accuracy, kappa and the concept drifts.
 */
class CrashRecoveryIT {

    private static final String STREAM = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 100000 -w 1";
    private static final int READINGS = 200_000;
    private static final int KILLS = 3;
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldPublishExactlyWhatAnUninterruptedRunPublishesDespiteKills() throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "crash");
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(
                DriftlineConfig.DATA_DIR, dataDir.toString())), MoaStreams.open(STREAM), "trees.HoeffdingTree", "reset");
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 1, (short) 1, Duration.ofSeconds(60));
        Replays.publish(infrastructure, topics, STREAM, READINGS, 10);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int kill = 0; kill < KILLS; kill++) {
            Process app = environment.startDriftline(config, dataDir, "run-" + kill);
            TimeUnit.MILLISECONDS.sleep(6_000 + random.nextInt(8_000));
            app.descendants().forEach(ProcessHandle::destroyForcibly);
            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Process app = environment.startDriftline(config, dataDir, "final");
        List<Prediction> predictions;
        List<Alert> alerts;
        try {
            Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
            alerts = Evaluation.readCommitted(infrastructure, topics.alerts(), -1);
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }

        Replays.Reference expected = Replays.uninterrupted(config, STREAM, READINGS);
        String context = "kill times from seed " + seed + ", logs in " + dataDir;
        assertThat(predictions).as(context).hasSize(READINGS);
        Set<String> readings = new HashSet<>();
        predictions.forEach(p -> readings.add(p.getDeviceId() + "#" + p.getSequence()));
        assertThat(readings).as("one prediction per reading; " + context).hasSize(READINGS);
        assertThat(predictions).as(context).extracting(p -> p.getPredictedClass() + "@" + p.getFailureProbability())
                .containsExactlyElementsOf(expected.predictions());
        Evaluation.Result result = Evaluation.score(config.getList(DriftlineConfig.CLASSES), predictions, alerts);
        assertThat(result.accuracy()).isEqualTo(expected.evaluation().accuracy());
        assertThat(result.kappa()).isEqualTo(expected.evaluation().kappa());
        assertThat(result.conceptDrifts()).as(context).isNotEmpty().containsExactlyElementsOf(expected.drifts());
        assertThat(alerts.stream().filter(alert -> alert.getKind() == AlertKind.MODEL_RESET)).isEmpty();
    }
}
