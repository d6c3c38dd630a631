package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.learn.MoaStreams;
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
 * The broker goes away for 20 seconds mid-stream and comes back on the same address with its
 * data: Driftline, in its own JVM, recovers by itself, and every reading gets exactly one
 * prediction, equal to an uninterrupted run's. The outage is placed by progress, not by sleeping
 * (a 12-second sleep stopped the broker with 0 of 80,000 predictions committed on a loaded
 * machine, and the test passed without testing an outage), and the test checks where it struck.
 */
class BrokerOutageIT {

    private static final String STREAM = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 40000 -w 1";
    private static final int READINGS = 80_000;

    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldRecoverFromABrokerOutageWithNothingLostOrDuplicated() throws Exception {
        EmbeddedServers servers = environment.restartableServers();
        Path dir = Files.createTempDirectory(environment.dir, "outage");
        Infrastructure infrastructure = environment.infrastructure();
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR,
                dir.resolve("app").toString())), MoaStreams.open(STREAM), "trees.HoeffdingTree", "reset");
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 1, (short) 1, Duration.ofSeconds(60));
        Replays.publish(infrastructure, topics, STREAM, READINGS, 1);

        long seed = System.nanoTime();
        // The outage strikes when a random share of a fifth to three fifths of the predictions is committed.
        long target = READINGS / 5 + new Random(seed).nextInt(READINGS * 2 / 5);
        Process app = environment.startDriftline(config, dir, "app");
        List<Prediction> predictions;
        long atOutage;
        try {
            try (CommittedCount committed = new CommittedCount(infrastructure, topics.predictions().name())) {
                committed.awaitAtLeast(target, Duration.ofMinutes(3));
                atOutage = committed.now();
            }
            servers.stopBroker();
            TimeUnit.SECONDS.sleep(20);
            servers.startBroker();
            Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
            assertThat(app.isAlive()).as("the app survived the outage").isTrue();
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }

        assertThat(atOutage).as("predictions committed when the broker stopped (seed %d): the outage struck "
                + "mid-stream", seed).isBetween(READINGS / 10L, READINGS * 9 / 10L);
        assertThat(predictions).as("logs in " + dir).hasSize(READINGS);
        Set<Long> sequences = new HashSet<>();
        predictions.forEach(p -> sequences.add(p.getSequence()));
        assertThat(sequences).hasSize(READINGS);
        assertThat(predictions).extracting(p -> p.getPredictedClass() + "@" + p.getFailureProbability())
                .containsExactlyElementsOf(Replays.uninterrupted(config, STREAM, READINGS).predictions());
    }
}
