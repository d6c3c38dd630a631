package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.cli.Cli;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's upgrade procedure on a real broker: every model of a running deployment exported with
 * {@code driftline model export --all}, the deployment stopped, a new one started with none of its
 * state (as after an upgrade that cannot read the old snapshots), every bundle imported with
 * {@code driftline model import}; the imported models then predict exactly as the old ones would have
 * gone on predicting: each device's model computed here with MOA, uninterrupted, on the same readings.
 */
class ModelUpgradeIT {

    private static final String STREAM = "generators.SEAGenerator -f 2";
    private static final int DEVICES = 2;
    private static final int FIRST_RUN = 3000;
    private static final int SECOND_RUN = 600;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TOKEN = "t0ken";
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldCarryEveryModelAcrossAnUpgradeByExportingAndImportingBundles() throws Exception {
        DriftlineConfig before = config("before");
        DriftlineConfig after = config("after");
        Infrastructure infrastructure = environment.infrastructure();
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        MoaReplay readings = new MoaReplay(MoaStreams.open(STREAM), FIRST_RUN + SECOND_RUN, DEVICES, "L",
                clock::incrementAndGet);
        Path bundles = Files.createTempDirectory(environment.dir, "bundles");

        try (DriftlineService service = DriftlineService.start(before, infrastructure)) {
            assertThat(service.awaitRunning(TIMEOUT)).isTrue();
            Topics topics = topics(before, infrastructure);
            publish(infrastructure, topics, readings, FIRST_RUN);
            assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), FIRST_RUN)).hasSize(FIRST_RUN);
            String exported = Cli.run("model", "export", "--all", "--out", bundles.toString(), "--url",
                    service.httpUrl("127.0.0.1").orElseThrow(), "--set", "http.token=" + TOKEN, "--data-dir",
                    before.getString(DriftlineConfig.DATA_DIR));
            assertThat(exported).contains("device-0 -> ", "device-1 -> ");
        }
        try (Stream<Path> files = Files.list(bundles)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("device-0.bundle.json", "device-1.bundle.json");
        }

        try (DriftlineService service = DriftlineService.start(after, infrastructure)) {
            assertThat(service.awaitRunning(TIMEOUT)).isTrue();
            Topics topics = topics(after, infrastructure);
            String imported = Cli.run("model", "import", bundles.toString(), "--url",
                    service.httpUrl("127.0.0.1").orElseThrow(), "--set", "http.token=" + TOKEN, "--reason", "upgrade",
                    "--data-dir", after.getString(DriftlineConfig.DATA_DIR));
            assertThat(imported).contains("device-0: import requested", "device-1: import requested");
            List<Alert> imports = awaitImports(infrastructure, topics);
            assertThat(imports).extracting(Alert::getModelKey).containsExactlyInAnyOrder("device-0", "device-1");
            assertThat(imports).allSatisfy(alert -> {
                assertThat(alert.getDetails()).containsEntry("reason", "upgrade").containsEntry("from", "none");
                assertThat(alert.getVersion()).isEqualTo(1);
            });

            publish(infrastructure, topics, readings, SECOND_RUN);
            List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), SECOND_RUN);
            Map<String, List<String>> actual = new LinkedHashMap<>();
            predictions.forEach(p -> actual.computeIfAbsent(p.getDeviceId(), device -> new ArrayList<>())
                    .add(p.getModelVersion() + ":" + p.getPredictedClass() + "@" + p.getFailureProbability()));
            Map<String, List<String>> expected = expectedAfterUpgrade(before);
            assertThat(actual.keySet()).containsExactlyInAnyOrder("device-0", "device-1");
            actual.forEach((device, list) -> assertThat(list).as(device).containsExactlyElementsOf(expected.get(device)));
        }
    }

    /**
     * A deployment of per-device models with an API behind a token; {@code name} gives it its own
     * application id, topics and data directory, so that the second starts with none of the first's state.
     */
    private static DriftlineConfig config(String name) throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, name);
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(DriftlineConfig.MODEL_SCOPE, "device");
        overrides.put(DriftlineConfig.HTTP_PORT, "0");
        overrides.put(DriftlineConfig.HTTP_TOKEN, TOKEN);
        // Bundles of a few KB: each import comes through the broker in several parts.
        overrides.put(DriftlineConfig.CHECKPOINT_CHUNK_BYTES, "2048");
        overrides.put(DriftlineConfig.APPLICATION_ID, "upgrade-" + name);
        overrides.put(DriftlineConfig.TOPIC_READINGS, name + "-readings");
        overrides.put(DriftlineConfig.TOPIC_MAINTENANCE, name + "-maintenance");
        overrides.put(DriftlineConfig.TOPIC_PREDICTIONS, name + "-predictions");
        overrides.put(DriftlineConfig.TOPIC_ALERTS, name + "-alerts");
        overrides.put(DriftlineConfig.TOPIC_DEAD_LETTER, name + "-dlq");
        overrides.put(DriftlineConfig.TOPIC_MODEL_STATUS, name + "-model-status");
        overrides.put(DriftlineConfig.TOPIC_COMMANDS, name + "-commands");
        return Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR, dataDir.toString())),
                MoaStreams.open(STREAM), "trees.HoeffdingTree", "none").with(overrides);
    }

    private static Topics topics(DriftlineConfig config, Infrastructure infrastructure) {
        return Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
    }

    /** The predictions of the second run: each device's model never stopped, computed with MOA here. */
    private static Map<String, List<String>> expectedAfterUpgrade(DriftlineConfig config) {
        MoaStreams.Source source = MoaStreams.open(STREAM);
        Map<String, OnlineModel> models = new HashMap<>();
        Map<String, List<String>> predictions = new HashMap<>();
        for (int i = 0; i < FIRST_RUN + SECOND_RUN; i++) {
            String device = "device-" + (i % DEVICES);
            OnlineModel model = models.computeIfAbsent(device, d -> OnlineModel.create(config.modelSettings()));
            LabelledObservation next = source.next();
            Scored scored = model.predict(next.observation());
            if (i >= FIRST_RUN) {
                predictions.computeIfAbsent(device, d -> new ArrayList<>())
                        .add(scored.modelVersion() + ":" + scored.predictedClass() + "@" + scored.positiveProbability());
            }
            model.learn(next.observation(), next.label(), scored);
        }
        return predictions;
    }

    private static List<Alert> awaitImports(Infrastructure infrastructure, Topics topics) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            List<Alert> imports = Evaluation.readCommitted(infrastructure, topics.alerts(), -1).stream()
                    .filter(alert -> alert.getKind() == AlertKind.MODEL_IMPORTED).toList();
            if (imports.size() >= DEVICES || Instant.now().isAfter(deadline)) {
                return imports;
            }
            Thread.sleep(500);
        }
    }

    private static void publish(Infrastructure infrastructure, Topics topics, MoaReplay readings, int count) {
        try (RecordPublisher<String, SensorReading> publisher =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0)) {
            for (int i = 0; i < count; i++) {
                SensorReading reading = readings.next();
                publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
            }
        }
    }
}
