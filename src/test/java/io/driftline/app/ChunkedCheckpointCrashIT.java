package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.learn.MoaStreams;
import io.driftline.state.HaltBetweenChunks;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash equivalence while a chunked checkpoint is half written: a model whose durable form is
 * several changelog records (MOA's kNN keeping 4,000 readings of 50 incompressible sensors, about
 * 1.6 MB, chunks of 512 KB) is being checkpointed when the JVM halts between its first and second
 * chunk ({@link HaltBetweenChunks}, armed once 40 % of the predictions are committed, so that
 * chunked checkpoints have been committed before and the restart restores one). Restarted, Driftline
 * publishes exactly one prediction per reading, identical to one uninterrupted model's.
 */
class ChunkedCheckpointCrashIT {

    private static final String STREAM = "generators.RandomRBFGenerator -a 50 -c 2";
    private static final String LEARNER = "lazy.kNN -k 10 -w 4000";
    private static final int READINGS = 12_000;
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldPublishExactlyWhatAnUninterruptedRunPublishesWhenHaltedBetweenTwoChunksOfACheckpoint()
            throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "crash-chunks");
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR,
                dataDir.toString())), MoaStreams.open(STREAM), LEARNER, "none");
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 1, (short) 1, Duration.ofSeconds(60));
        Replays.publish(infrastructure, topics, STREAM, READINGS, 3);

        Path armed = dataDir.resolve("halt-armed");
        Process app = environment.startDriftline(config, dataDir, "halted",
                List.of("-D" + HaltBetweenChunks.PROPERTY + "=" + armed));
        try (CommittedCount committed = new CommittedCount(infrastructure, topics.predictions().name())) {
            committed.awaitAtLeast(READINGS * 4L / 10, Duration.ofMinutes(10));
            Files.createFile(armed);
            assertThat(app.waitFor(2, TimeUnit.MINUTES)).as("halted by the hook; logs in " + dataDir).isTrue();
        } finally {
            app.destroyForcibly();
        }
        assertThat(app.exitValue()).isEqualTo(HaltBetweenChunks.STATUS);
        assertThat(HaltBetweenChunks.firedMarker(armed)).as("the hook halted the JVM between two chunks").exists();
        int committedAtHalt = Evaluation.readCommitted(infrastructure, topics.predictions(), -1).size();
        assertThat(committedAtHalt).as("predictions committed when the JVM halted; logs in " + dataDir)
                .isBetween(READINGS / 10, READINGS * 9 / 10);

        List<Prediction> predictions;
        Process restarted = environment.startDriftline(config, dataDir, "restarted");
        try {
            Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
        } finally {
            restarted.destroy();
            restarted.waitFor(30, TimeUnit.SECONDS);
        }

        assertThat(predictions).hasSize(READINGS);
        assertThat(predictions.stream().map(p -> p.getDeviceId() + "#" + p.getSequence()).distinct())
                .as("one prediction per reading").hasSize(READINGS);
        assertThat(predictions).extracting(p -> p.getPredictedClass() + "@" + p.getFailureProbability())
                .containsExactlyElementsOf(Replays.uninterrupted(config, STREAM, READINGS).predictions());
    }
}
