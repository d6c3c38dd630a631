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
import java.util.Arrays;
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
 * three times, while it works through 200,000 readings; each time it is restarted. The kills are
 * placed by the predictions committed (at random points in three successive fifths of the
 * stream), and the test checks that each struck mid-stream. Afterwards the
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
        long[] atKill = new long[KILLS];
        try (CommittedCount committed = new CommittedCount(infrastructure, topics.predictions().name())) {
            for (int kill = 0; kill < KILLS; kill++) {
                Process app = environment.startDriftline(config, dataDir, "run-" + kill);
                // Kill k strikes once 15-25 %, 35-45 % or 55-65 % of the predictions are committed (k = 0, 1, 2).
                long target = READINGS * (15 + 20L * kill + random.nextInt(11)) / 100;
                committed.awaitAtLeast(target, Duration.ofMinutes(3));
                app.descendants().forEach(ProcessHandle::destroyForcibly);
                app.destroyForcibly();
                assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // Exact: a killed instance commits nothing more, its open transaction is not visible.
                atKill[kill] = committed.now();
            }
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
        assertThat(Arrays.stream(atKill).boxed().toList()).as("predictions committed at each kill; each struck mid-stream, after the last one's "
                + "restart made progress; " + context).isSorted().doesNotHaveDuplicates()
                .allSatisfy(count -> assertThat(count).isBetween(READINGS / 10L, READINGS * 9 / 10L));
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
