package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scale-out: two Driftline instances (child JVMs, one standby replica each) share four partitions;
 * one is killed with SIGKILL mid-stream and the other takes over its tasks. Afterwards every
 * reading has exactly one prediction, and each device's predictions are exactly those of its own
 * model run uninterrupted (one model per device, so the expectation does not depend on how the
 * partitions interleave).
 */
class ScaleOutIT {

    private static final String STREAM = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 40000 -w 1";
    private static final int READINGS = 80_000;
    private static final int DEVICES = 8;
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldHandTheKilledInstancesWorkToTheOtherWithNothingLostOrDuplicated() throws Exception {
        Path dir = Files.createTempDirectory(environment.dir, "scale-out");
        MoaStreams.Source header = MoaStreams.open(STREAM);
        Map<String, Object> settings = new HashMap<>();
        settings.put(DriftlineConfig.APPLICATION_ID, "driftline-scale-out-" + UUID.randomUUID());
        settings.put(DriftlineConfig.MODEL_SCOPE, "device");
        settings.put(DriftlineConfig.MACHINE_TYPES, "L");
        settings.put(DriftlineConfig.CLASSES, String.join(",", header.classes()));
        settings.put(DriftlineConfig.POSITIVE_CLASS, header.classes().get(1));
        settings.put(DriftlineConfig.FEATURES, DriftlineConfig.featureSpec(header.features()));
        settings.put(DriftlineConfig.FEATURE_WINDOW, "*:0");
        settings.put(DriftlineConfig.ADAPTATION, "none");
        settings.put(DriftlineConfig.NUM_STANDBY_REPLICAS, "1");
        DriftlineConfig config = new DriftlineConfig(settings);
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 4, (short) 1, Duration.ofSeconds(60));
        Replays.publish(infrastructure, topics, STREAM, READINGS, DEVICES);

        Process first = environment.startDriftline(config.with(Map.of(DriftlineConfig.DATA_DIR,
                dir.resolve("first").toString())), dir, "first");
        Process second = environment.startDriftline(config.with(Map.of(DriftlineConfig.DATA_DIR,
                dir.resolve("second").toString())), dir, "second");
        List<Prediction> predictions;
        try {
            TimeUnit.SECONDS.sleep(20);
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
        } finally {
            first.destroyForcibly();
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }

        String logs = "logs in " + dir;
        assertThat(predictions).as(logs).hasSize(READINGS);
        Map<String, List<String>> byDevice = new TreeMap<>();
        predictions.forEach(p -> byDevice.computeIfAbsent(p.getDeviceId(), d -> new ArrayList<>())
                .add(p.getSequence() + ":" + p.getPredictedClass() + "@" + p.getFailureProbability()));
        assertThat(byDevice).as(logs).isEqualTo(uninterrupted(config));
    }

    /** Each device's own model over its own readings, in order. */
    private static Map<String, List<String>> uninterrupted(DriftlineConfig config) {
        MoaStreams.Source source = MoaStreams.open(STREAM);
        Map<String, OnlineModel> models = new HashMap<>();
        Map<String, List<String>> byDevice = new TreeMap<>();
        for (int i = 0; i < READINGS; i++) {
            LabelledObservation next = source.next();
            String device = "device-" + (i % DEVICES);
            OnlineModel model = models.computeIfAbsent(device, d -> OnlineModel.create(config.modelSettings()));
            Scored scored = model.predict(next.observation());
            model.learn(next.observation(), next.label(), scored);
            List<String> predictions = byDevice.computeIfAbsent(device, d -> new ArrayList<>());
            predictions.add((predictions.size() + 1) + ":" + scored.predictedClass() + "@" + scored.positiveProbability());
        }
        return byDevice;
    }
}
