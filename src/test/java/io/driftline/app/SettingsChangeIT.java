package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Settings are configuration, not state, end to end: one deployment restarted (its local state
 * deleted each time, so that every model is restored from its changelog) with one change of
 * settings after another. Settings that do not shape a model (label horizon and grace, risk
 * thresholds, drift settings, evaluation window) apply from the restart on and the model
 * continues; a change of classes (reordered), learner or features.window resets the model with
 * one MODEL_RESET alert that names the change, and the new model starts from nothing, as the
 * model key's next version. No restart stops the application.
 */
class SettingsChangeIT {

    private static final String STREAM = "generators.SEAGenerator -f 2";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldContinueUnderChangedSettingsThatDoNotShapeTheModelAndResetOnceUnderThoseThatDo() throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "settings");
        MoaStreams.Source source = MoaStreams.open(STREAM);
        List<String> classes = source.classes();
        List<String> reversed = new ArrayList<>(classes);
        Collections.reverse(reversed);
        DriftlineConfig first = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR,
                dataDir.toString())), source, "trees.HoeffdingTree", "reset");
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(first, first.registryClientSettings(infrastructure.registryUrl()));
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        MoaReplay readings = new MoaReplay(MoaStreams.open(STREAM), 6_000, 3, "L", clock::incrementAndGet);
        Run run = new Run(infrastructure, topics, readings, dataDir);

        run.phase(first, 1_500);
        assertThat(run.predictions()).extracting(Prediction::getModelVersion).containsExactlyElementsOf(versions(0, 1_500));
        assertThat(run.predictions()).extracting(Prediction::getVersion).containsOnly(1L);

        DriftlineConfig continued = first.with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, "60000",
                DriftlineConfig.LABEL_GRACE_MS, "5000",
                DriftlineConfig.RISK_THRESHOLDS, "*:0.9:0.2:1",
                DriftlineConfig.CONCEPT_DRIFT_DELTA, "0.01",
                DriftlineConfig.DATA_DRIFT_DELTA, "0.01",
                DriftlineConfig.EVALUATION_WINDOW, "200"));
        run.phase(continued, 1_000);
        assertThat(run.resets()).as("settings that do not shape a model").isEmpty();
        assertThat(run.predictions().subList(1_500, 2_500)).extracting(Prediction::getModelVersion)
                .as("the model continues").containsExactlyElementsOf(versions(1_500, 1_000));

        DriftlineConfig reordered = continued.with(Map.of(DriftlineConfig.CLASSES,
                String.join(",", reversed)));
        run.phase(reordered, 500);
        assertThat(run.resets()).singleElement().satisfies(alert -> {
            assertThat(alert.getMessage()).contains("classes changed from " + classes + " to " + reversed);
            assertThat(alert.getVersion()).as("the version it starts").isEqualTo(2);
        });
        assertThat(run.predictions().subList(2_500, 3_000)).extracting(Prediction::getModelVersion)
                .as("a new model").containsExactlyElementsOf(versions(0, 500));
        assertThat(run.predictions().subList(2_500, 3_000)).extracting(Prediction::getVersion)
                .as("numbered on from the retired one").containsOnly(2L);

        DriftlineConfig learner = reordered.with(Map.of(DriftlineConfig.LEARNER, "trees.HoeffdingAdaptiveTree"));
        run.phase(learner, 500);
        assertThat(run.resets()).hasSize(2).last().satisfies(alert -> assertThat(alert.getMessage())
                .contains("learner changed from 'trees.HoeffdingTree' to 'trees.HoeffdingAdaptiveTree'"));
        assertThat(run.predictions().subList(3_000, 3_500)).extracting(Prediction::getModelVersion)
                .containsExactlyElementsOf(versions(0, 500));
        assertThat(run.predictions().subList(3_000, 3_500)).extracting(Prediction::getVersion).containsOnly(3L);

        DriftlineConfig window = learner.with(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:5"));
        run.phase(window, 500);
        assertThat(run.resets()).hasSize(3).last().satisfies(alert -> assertThat(alert.getMessage())
                .contains("features.window changed from *=0 to *=5"));
        assertThat(run.predictions().subList(3_500, 4_000)).extracting(Prediction::getModelVersion)
                .containsExactlyElementsOf(versions(0, 500));
        assertThat(run.predictions().subList(3_500, 4_000)).extracting(Prediction::getVersion).containsOnly(4L);

        run.phase(window, 500);
        assertThat(run.resets()).as("unchanged settings: no further reset").hasSize(3);
        assertThat(run.predictions().subList(4_000, 4_500)).extracting(Prediction::getModelVersion)
                .containsExactlyElementsOf(versions(500, 500));
        assertThat(run.predictions().subList(4_000, 4_500)).extracting(Prediction::getVersion).containsOnly(4L);
    }

    private static List<Long> versions(long from, long count) {
        return LongStream.range(from, from + count).boxed().toList();
    }

    /** One deployment, restarted with new settings for each phase. */
    private record Run(Infrastructure infrastructure, Topics topics, MoaReplay readings, Path dataDir) {

        /** Starts the deployment with {@code config} on state restored from the changelogs, and feeds it {@code count} readings. */
        void phase(DriftlineConfig config, int count) throws Exception {
            Utils.delete(dataDir.resolve("streams").toFile());
            long before = predictions().size();
            try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
                assertThat(service.awaitRunning(TIMEOUT)).as("running under the new settings").isTrue();
                try (RecordPublisher<String, SensorReading> publisher =
                             new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0)) {
                    for (int i = 0; i < count; i++) {
                        SensorReading reading = readings.next();
                        publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
                    }
                }
                assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), before + count))
                        .hasSize((int) (before + count));
            }
        }

        List<Prediction> predictions() {
            return Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
        }

        List<Alert> resets() {
            return Evaluation.readCommitted(infrastructure, topics.alerts(), -1).stream()
                    .filter(alert -> alert.getKind() == AlertKind.MODEL_RESET)
                    .toList();
        }
    }
}
