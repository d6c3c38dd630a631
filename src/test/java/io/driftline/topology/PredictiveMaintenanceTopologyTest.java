package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.ModelInput;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.core.InMemoryCoreState;
import io.driftline.core.InputMeta;
import io.driftline.core.ModelCore;
import io.driftline.core.Outcome;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaReference;
import io.driftline.learn.MoaStreams;
import io.driftline.state.CheckpointStore;
import io.driftline.state.ModelState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import moa.evaluation.preview.LearningCurve;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Delayed failure labels, rolling features and failure-risk alerts, in TopologyTestDriver. */
class PredictiveMaintenanceTopologyTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldLabelReadingsFromFailuresAndTheHorizonAndScoreThePredictionsMadeOnArrival() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, "10000", DriftlineConfig.LABEL_GRACE_MS, "0"))) {
            for (int i = 0; i < 16; i++) {
                fixture.send(reading("pump-1", i, 70 + i));
            }
            // Readings at 6..15 s precede the failure at 15.5 s within the 10 s horizon; 0..5 s do not.
            fixture.send(TopologyFixture.event("pump-1", MaintenanceKind.FAILURE, T0 + 15_500));
            for (int i = 16; i < 20; i++) {
                fixture.send(reading("pump-1", i, 70 + i));
            }

            List<Prediction> predictions = fixture.predictions.readValuesToList();
            assertThat(predictions).hasSize(20).allSatisfy(p -> assertThat(p.getLabel()).isNull());
            ModelState state = models(fixture).get("L");
            assertThat(state.model().instancesTrained()).isEqualTo(16);
            // Scored in prediction order, up to the last time every reading is labelled (19 s - horizon).
            EvaluationSnapshot evaluation = state.model().snapshot().evaluation();
            assertThat(evaluation.instances()).isEqualTo(9);
            assertThat(evaluation.perClass()).extracting(EvaluationSnapshot.ClassMetrics::support)
                    .containsExactly(6L, 3L);
            assertThat(state.model().deferredScores()).isEqualTo(7);
            assertThat(labelsResolved(fixture, "FAILURE")).isEqualTo(10);
            assertThat(labelsResolved(fixture, "HORIZON_PASSED")).isEqualTo(6);
        }
    }

    /**
     * The model stage's store expires the readings waiting for a label exactly as the learning core's
     * in-memory state does (one clock per task, the same retention): a device silent for longer than
     * readings are kept (66 minutes without a margin) finds its own expired when it reports again,
     * counted, and the model is the one the core builds from the same readings.
     */
    @Test
    void shouldExpireTheWaitingReadingsOfASilentDeviceAsTheLearningCoreDoes() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.LABEL_HORIZON_MS, "3600000",
                DriftlineConfig.LABEL_GRACE_MS, "0", DriftlineConfig.LABEL_PENDING_MARGIN_MS, "0"))) {
            PipelineSettings pipeline = fixture.config.pipeline();
            ModelCore core = new ModelCore(pipeline);
            InMemoryCoreState state = new InMemoryCoreState(pipeline.pendingRetention());
            List<SensorReading> readings = new ArrayList<>();
            for (int minute = 0; minute < 10; minute++) {
                readings.add(reading("quiet", minute * 60, 60 + minute));
            }
            for (int minute = 0; minute <= 260; minute++) {
                readings.add(reading("busy", minute * 60, 70 + minute % 7));
                if (minute == 200) {
                    readings.add(reading("quiet", minute * 60, 90));
                }
            }
            List<String> expected = new ArrayList<>();
            for (SensorReading next : readings) {
                fixture.send(next);
                core.apply("L", ModelInput.newBuilder().setReading(next).build(), new InputMeta(T0, T0), state)
                        .stream().filter(Outcome.Predicted.class::isInstance)
                        .map(o -> describe(((Outcome.Predicted) o).prediction()))
                        .forEach(expected::add);
            }

            assertThat(fixture.predictions.readValuesToList()).extracting(PredictiveMaintenanceTopologyTest::describe)
                    .containsExactlyElementsOf(expected);
            assertThat(labelsResolved(fixture, "EXPIRED")).isEqualTo(10);
            assertThat(models(fixture).get("L").model().instancesTrained())
                    .isEqualTo(state.model("L").model().instancesTrained());
        }
    }

    private static String describe(Prediction prediction) {
        return prediction.getDeviceId() + "#" + prediction.getSequence() + " " + prediction.getPredictedClass() + "@"
                + prediction.getFailureProbability();
    }

    @Test
    void shouldListTheRollingFeaturesTheModelUses() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:5"))) {
            for (int i = 0; i < 3; i++) {
                fixture.send(reading("pump-1", i, 70 + i));
            }
            List<FeatureDef> features = models(fixture).get("L").model().snapshot().features();

            assertThat(features).extracting(FeatureDef::name).contains("temperature", "temperature.mean",
                    "temperature.std", "temperature.min", "temperature.max", "temperature.slope", "temperature.delta");
        }
    }

    @Test
    void shouldRaiseOneFailureRiskAlertPerEpisodeWithTheSplitPathAndClearIt() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:0",
                DriftlineConfig.RISK_THRESHOLDS, "*:0.6:0.4:3", DriftlineConfig.LEARNER, "trees.HoeffdingTree -g 50"))) {
            java.util.Random random = new java.util.Random(3);
            for (int i = 0; i < 2000; i++) {
                boolean hot = i % 2 == 1;
                fixture.send(TopologyFixture.reading("trainer", "L", i,
                        Map.of("temperature", (hot ? 95.0 : 60.0) + random.nextGaussian()), hot ? "failure" : "normal"));
            }
            fixture.alerts.readValuesToList();
            for (int i = 0; i < 6; i++) {
                fixture.send(TopologyFixture.reading("pump-9", "L", i, Map.of("temperature", 95.0), null));
            }
            for (int i = 6; i < 12; i++) {
                fixture.send(TopologyFixture.reading("pump-9", "L", i, Map.of("temperature", 60.0), null));
            }

            List<Alert> risk = fixture.alerts.readValuesToList().stream()
                    .filter(alert -> alert.getDeviceId() != null && alert.getDeviceId().equals("pump-9"))
                    .toList();
            assertThat(risk).extracting(Alert::getKind)
                    .containsExactly(AlertKind.FAILURE_RISK, AlertKind.FAILURE_RISK_CLEARED);
            assertThat(risk.get(0).getAlertId()).isEqualTo("FAILURE_RISK:pump-9:2");
            assertThat(risk.get(0).getDetails().get("splitPath")).startsWith("temperature");
            assertThat(risk.get(1).getAlertId()).isEqualTo("FAILURE_RISK_CLEARED:pump-9:8");
        }
    }

    @Test
    void shouldDeadLetterEventsOfUnknownDevicesAndLateEvents() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.LABEL_GRACE_MS, "1000"))) {
            fixture.send(TopologyFixture.event("ghost", MaintenanceKind.FAILURE, T0));
            fixture.send(reading("pump-1", 0, 70));
            fixture.send(reading("pump-1", 10, 70));
            fixture.send(TopologyFixture.event("pump-1", MaintenanceKind.FAILURE, T0 + 5_000));

            List<TestRecord<byte[], byte[]>> deadLetters = fixture.deadLetters.readRecordsToList();
            assertThat(deadLetters).extracting(record -> header(record.headers(), DeadLetter.HEADER_REASON))
                    .containsExactly("UNKNOWN_DEVICE", "LATE_EVENT");
            assertThat(header(deadLetters.get(0).headers(), DeadLetter.HEADER_TOPIC)).isEqualTo("maintenance-events");
            assertThat(new String(deadLetters.get(1).key(), StandardCharsets.UTF_8)).isEqualTo("pump-1");
            assertThat(fixture.predictions.readValuesToList()).hasSize(2);
        }
    }

    /** {@code label.delay K} trains K readings late and scores at once: MOA's EvaluatePrequentialDelayed. */
    @Test
    void shouldEqualMoasEvaluatePrequentialDelayed() {
        String stream = "ConceptDriftStream -s (generators.SEAGenerator -f 4) -d (generators.SEAGenerator -f 3) -p 5000 -w 1";
        int instances = 10_000;
        int delay = 250;
        MoaStreams.Source source = MoaStreams.open(stream);
        List<String> classes = source.classes();
        try (TopologyFixture fixture = new TopologyFixture(Map.of(
                DriftlineConfig.MODEL_SCOPE, "fleet",
                DriftlineConfig.CLASSES, String.join(",", classes),
                DriftlineConfig.POSITIVE_CLASS, classes.get(1),
                DriftlineConfig.FEATURES, DriftlineConfig.featureSpec(source.features()),
                DriftlineConfig.ADAPTATION, "none",
                DriftlineConfig.FEATURE_WINDOW, "*:0",
                DriftlineConfig.LABEL_DELAY, Integer.toString(delay)))) {
            for (int i = 1; i <= instances; i++) {
                LabelledObservation next = source.next();
                fixture.send(TopologyFixture.reading("sea", "L", i, next.observation().numeric(), next.label()));
            }
            EvaluationSnapshot ours = models(fixture).get("fleet").model().snapshot().evaluation();

            LearningCurve moa = MoaReference.evaluateDelayed(stream, "trees.HoeffdingTree", delay, instances);
            assertThat(ours.instances()).isEqualTo(instances);
            assertThat(ours.accuracy()).isEqualTo(MoaReference.last(moa, "classifications correct (percent)"));
            assertThat(ours.kappa()).isEqualTo(MoaReference.last(moa, "Kappa Statistic (percent)"));
            assertThat(models(fixture).get("fleet").model().instancesTrained()).isEqualTo(instances - delay);
        }
    }

    private static SensorReading reading(String deviceId, int second, double temperature) {
        return SensorReading.newBuilder()
                .setDeviceId(deviceId).setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(T0 + second * 1000L)).setSequence(second)
                .setSensors(Map.of("temperature", temperature))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static CheckpointStore<ModelState> models(TopologyFixture fixture) {
        return (CheckpointStore<ModelState>) fixture.driver.getStateStore(DriftlineTopology.MODEL_STORE);
    }

    private static double labelsResolved(TopologyFixture fixture, String cause) {
        return fixture.counter("driftline.labels.resolved", "cause", cause);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
