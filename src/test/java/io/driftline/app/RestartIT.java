package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.MoaStreams;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restarted instance resumes the models it had: the second run, after its local state was
 * deleted, restores the models from the changelog and continues exactly as one uninterrupted
 * model would.
 */
class RestartIT {

    private static final String STREAM = "generators.SEAGenerator -f 2";
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldResumeTheCheckpointedModelAfterRestartFromTheChangelog() throws Exception {
        MoaStreams.Source header = MoaStreams.open(STREAM);
        Path dataDir = Files.createTempDirectory(environment.dir, "restart");
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR,
                dataDir.toString())), header, "trees.HoeffdingTree", "reset");
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        MoaReplay readings = new MoaReplay(MoaStreams.open(STREAM), 6000, 3, "L", System::currentTimeMillis);

        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            List<SensorReading> sent = publish(infrastructure, topics, readings, 3000);
            assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), 3000)).hasSize(3000);
            assertThat(sent).hasSize(3000);
        }
        Utils.delete(dataDir.resolve("streams").toFile());

        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publish(infrastructure, topics, readings, 3000);
            List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), 6000);

            assertThat(predictions).hasSize(6000);
            assertThat(predictions).extracting(Prediction::getModelVersion)
                    .containsExactlyElementsOf(Stream.iterate(0L, n -> n + 1).limit(6000).toList());
            assertThat(predictions).extracting(p -> p.getPredictedClass() + "@" + p.getFailureProbability())
                    .containsExactlyElementsOf(Replays.uninterrupted(config, STREAM, 6000).predictions());
        }
    }

    private static List<SensorReading> publish(Infrastructure infrastructure, Topics topics, MoaReplay readings, int count) {
        List<SensorReading> sent = new ArrayList<>();
        try (RecordPublisher<String, SensorReading> publisher =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0)) {
            for (int i = 0; i < count; i++) {
                SensorReading reading = readings.next();
                publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
                sent.add(reading);
            }
        }
        return sent;
    }
}
