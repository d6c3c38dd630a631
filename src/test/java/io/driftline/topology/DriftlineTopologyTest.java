package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.state.CheckpointStore;
import io.driftline.state.DeviceState;
import io.driftline.config.DriftlineConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class DriftlineTopologyTest {

    private static final String SEA_DRIFT =
            "ConceptDriftStream -s (generators.SEAGenerator -f 4) -d (generators.SEAGenerator -f 3) -p 2000 -w 1";

    @Test
    void shouldPublishOnePredictionPerReadingMadeBeforeTraining() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of())) {
            fixture.send(TopologyFixture.reading("pump-1", "L", 1, Map.of("temperature", 70.0), "normal"));
            fixture.send(TopologyFixture.reading("pump-1", "L", 2, Map.of("temperature", 71.0), "failure"));

            List<TestRecord<String, Prediction>> predictions = fixture.predictions.readRecordsToList();
            assertThat(predictions).hasSize(2);
            assertThat(predictions).extracting(TestRecord::key).containsOnly("pump-1");
            // Test before train: the first prediction was made by an untrained model.
            assertThat(predictions.get(0).value().getModelVersion()).isZero();
            assertThat(predictions.get(1).value().getModelVersion()).isEqualTo(1);
            assertThat(predictions.get(1).value().getModelKey()).isEqualTo("L");
            assertThat(predictions.get(1).value().getLabel()).isEqualTo("failure");
            assertThat(predictions).as("anomaly scores from the first reading, through the Avro serde")
                    .allSatisfy(p -> assertThat(p.value().getAnomalyScore()).isBetween(0.0, 1.0));
        }
        try (TopologyFixture off = new TopologyFixture(Map.of(DriftlineConfig.ANOMALY_ENABLED, false))) {
            off.send(TopologyFixture.reading("pump-1", "L", 1, Map.of("temperature", 70.0), "normal"));
            assertThat(off.predictions.readValuesToList()).singleElement()
                    .satisfies(p -> assertThat(p.getAnomalyScore()).isNull());
        }
    }

    @Test
    void shouldKeepOneModelPerConfiguredScope() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.MODEL_SCOPE, "device"))) {
            fixture.send(TopologyFixture.reading("pump-1", "L", 1, Map.of("temperature", 70.0), "normal"));
            fixture.send(TopologyFixture.reading("pump-2", "L", 1, Map.of("temperature", 70.0), "normal"));
            fixture.send(TopologyFixture.reading("pump-1", "L", 2, Map.of("temperature", 70.0), "normal"));

            assertThat(fixture.predictions.readValuesToList())
                    .extracting(Prediction::getModelKey, Prediction::getModelVersion)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("pump-1", 0L),
                            org.assertj.core.groups.Tuple.tuple("pump-2", 0L),
                            org.assertj.core.groups.Tuple.tuple("pump-1", 1L));
        }
    }

    /** Per-device models need no repartition: one sub-topology, and no repartition topic. */
    @Test
    void shouldRunPerDeviceModelsInOneStageAndOtherScopesInTwo() {
        try (TopologyFixture device = new TopologyFixture(Map.of(DriftlineConfig.MODEL_SCOPE, "device"));
             TopologyFixture machineType = new TopologyFixture(Map.of(DriftlineConfig.MODEL_SCOPE, "machine-type"))) {
            assertThat(device.topology.describe().subtopologies()).hasSize(1);
            assertThat(device.topology.describe().toString()).doesNotContain("repartition");
            assertThat(machineType.topology.describe().subtopologies()).hasSize(2);

            device.commands.pipeInput("pump-1", ModelCommand.newBuilder().setModelKey("pump-1")
                    .setAction(ModelAction.RESET).setRequestedBy("alice").setReason("test")
                    .setRequestedAt(Instant.EPOCH).build());
            device.send(TopologyFixture.reading("pump-1", "L", 1, Map.of("temperature", 70.0), "normal"));
            device.commands.pipeInput("pump-1", ModelCommand.newBuilder().setModelKey("pump-1")
                    .setAction(ModelAction.RESET).setRequestedBy("alice").setReason("test")
                    .setRequestedAt(Instant.EPOCH).build());
            device.send(TopologyFixture.reading("pump-1", "L", 2, Map.of("temperature", 70.0), "normal"));

            assertThat(device.predictions.readValuesToList()).extracting(Prediction::getModelVersion)
                    .as("the second reading met the model the reset renewed").containsExactly(0L, 0L);
            assertThat(device.counter("driftline.inputs.ignored", "reason", "UNKNOWN_MODEL"))
                    .as("the first reset came before any model").isEqualTo(1.0);
            assertThat(device.alerts.readValuesToList()).extracting(Alert::getKind)
                    .containsExactly(AlertKind.MODEL_RESET);
        }
    }

    @Test
    void shouldResetAModelOnAnOperatorsCommandInOrderWithItsReadingsAndAuditIt() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of())) {
            for (long i = 1; i <= 3; i++) {
                fixture.send(TopologyFixture.reading("pump-1", "L", i, Map.of("temperature", 70.0 + i), "normal"));
                fixture.send(TopologyFixture.reading("press-1", "M", i, Map.of("temperature", 50.0 + i), "normal"));
            }
            Instant requested = Instant.ofEpochMilli(1_800_000_000_000L);
            fixture.commands.pipeInput("L", ModelCommand.newBuilder().setModelKey("L").setAction(ModelAction.RESET)
                    .setRequestedBy("alice").setReason("sensor recalibrated").setRequestedAt(requested).build());
            fixture.send(TopologyFixture.reading("pump-1", "L", 4, Map.of("temperature", 74.0), "normal"));
            fixture.send(TopologyFixture.reading("press-1", "M", 4, Map.of("temperature", 54.0), "normal"));

            List<Prediction> predictions = fixture.predictions.readValuesToList();
            assertThat(predictions.subList(6, 8)).extracting(Prediction::getModelKey, Prediction::getModelVersion)
                    .as("L starts anew; M is untouched")
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("L", 0L),
                            org.assertj.core.groups.Tuple.tuple("M", 3L));
            List<Alert> resets = fixture.alerts.readValuesToList().stream()
                    .filter(alert -> alert.getKind() == AlertKind.MODEL_RESET).toList();
            assertThat(resets).singleElement().satisfies(alert -> {
                assertThat(alert.getModelKey()).isEqualTo("L");
                assertThat(alert.getEventTime()).isEqualTo(requested);
                assertThat(alert.getDetails()).containsEntry("requestedBy", "alice")
                        .containsEntry("reason", "sensor recalibrated");
            });
            assertThat(fixture.counter("driftline.alerts", "kind", "MODEL_RESET")).isEqualTo(1.0);
        }
    }

    /** Operators close the loop: a silent device is alerted, and feedback on an episode travels through the commands topic. */
    @Test
    void shouldAlertASilentDeviceAndApplyFeedbackOnAnEpisodeThroughTheCommandsTopic() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.DEVICE_SILENCE_MS, 10_000))) {
            for (long i = 1; i <= 5; i++) {
                fixture.send(TopologyFixture.reading("pump-1", "L", i, Map.of("temperature", 70.0 + i), null));
                fixture.send(TopologyFixture.reading("pump-2", "L", i, Map.of("temperature", 60.0 + i), null));
            }
            for (long i = 6; i <= 20; i++) {
                fixture.send(TopologyFixture.reading("pump-1", "L", i, Map.of("temperature", 70.0 + i), null));
            }
            Instant start = TopologyFixture.reading("pump-1", "L", 2, Map.of(), null).getEventTime();
            fixture.commands.pipeInput("L", ModelCommand.newBuilder().setModelKey("L")
                    .setAction(ModelAction.FALSE_ALARM).setRequestedBy("alice").setReason("inspected")
                    .setRequestedAt(Instant.ofEpochMilli(1_800_000_000_000L)).setAlertId("FAILURE_RISK:pump-1:2")
                    .setDeviceId("pump-1").setEpisodeStart(start).setEpisodeEnd(start.plusSeconds(2)).build());
            fixture.commands.pipeInput("L", ModelCommand.newBuilder().setModelKey("L")
                    .setAction(ModelAction.CONFIRM).setRequestedBy("bob").setReason("no episode named")
                    .setRequestedAt(Instant.EPOCH).build());

            List<Alert> alerts = fixture.alerts.readValuesToList();
            assertThat(alerts).filteredOn(alert -> alert.getKind() == AlertKind.DEVICE_SILENT).singleElement()
                    .satisfies(alert -> assertThat(alert.getDeviceId()).isEqualTo("pump-2"));
            assertThat(alerts).filteredOn(alert -> alert.getKind() == AlertKind.ALERT_FEEDBACK).singleElement()
                    .satisfies(alert -> assertThat(alert.getDetails()).containsEntry("verdict", "FALSE_ALARM")
                            .containsEntry("relabelledNormal", "3"));
            assertThat(fixture.counter("driftline.alert.feedback", "verdict", "FALSE_ALARM")).isEqualTo(1.0);
            assertThat(fixture.counter("driftline.labels.resolved", "cause", "FEEDBACK")).isEqualTo(3.0);
            assertThat(deadLetterTotal(fixture, "INVALID_COMMAND")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldDeadLetterCommandsItCannotCarryOut() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of())) {
            fixture.commands.pipeInput("L", ModelCommand.newBuilder().setModelKey("L").setAction(ModelAction.UNKNOWN)
                    .setRequestedBy("bob").setReason("?").setRequestedAt(Instant.EPOCH).build());
            fixture.commands.pipeInput("", ModelCommand.newBuilder().setModelKey("").setAction(ModelAction.RESET)
                    .setRequestedBy("bob").setReason("?").setRequestedAt(Instant.EPOCH).build());

            List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
            assertThat(dead).hasSize(2).allSatisfy(record -> {
                assertThat(header(record.headers(), DeadLetter.HEADER_REASON)).isEqualTo("INVALID_COMMAND");
                assertThat(header(record.headers(), DeadLetter.HEADER_TOPIC)).isEqualTo("driftline-commands");
            });
            assertThat(deadLetterTotal(fixture, "INVALID_COMMAND")).isEqualTo(2.0);
            assertThat(fixture.alerts.readValuesToList()).isEmpty();
        }
    }

    @Test
    void shouldIgnoreAResetOfAModelKeyThatHasNoModelCountedInsteadOfCreatingOne() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of())) {
            fixture.commands.pipeInput("Z", ModelCommand.newBuilder().setModelKey("Z").setAction(ModelAction.RESET)
                    .setRequestedBy("bob").setReason("typo").setRequestedAt(Instant.EPOCH).build());

            assertThat(fixture.counter("driftline.inputs.ignored", "reason", "UNKNOWN_MODEL")).isEqualTo(1.0);
            assertThat(fixture.alerts.readValuesToList()).isEmpty();
            var models = (CheckpointStore<?>) fixture.driver.getStateStore(DriftlineTopology.MODEL_STORE);
            assertThat(models.checkpointedKeys()).isEmpty();
        }
    }

    /** Under machine-type scope a device that changes type leaves its model, which drops its state, counted and alerted. */
    @Test
    void shouldTellTheModelADeviceLeavesSoThatItDropsTheDevicesState() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.LABEL_HORIZON_MS, "3600000"))) {
            for (long i = 1; i <= 3; i++) {
                fixture.send(TopologyFixture.reading("pump-1", "L", i, Map.of("temperature", 70.0 + i), null));
            }
            fixture.send(TopologyFixture.reading("pump-1", "M", 4, Map.of("temperature", 74.0), null));

            assertThat(fixture.alerts.readValuesToList()).filteredOn(a -> a.getKind() == AlertKind.DEVICE_MOVED)
                    .singleElement().satisfies(alert -> {
                        assertThat(alert.getModelKey()).isEqualTo("L");
                        assertThat(alert.getDetails()).containsEntry("droppedReadings", "3").containsEntry("toModelKey", "M");
                    });
            assertThat(fixture.counter("driftline.labels.resolved", "cause", "DEVICE_MOVED")).isEqualTo(3.0);
            @SuppressWarnings("unchecked")
            var devices = (CheckpointStore<DeviceState>) fixture.driver.getStateStore(DriftlineTopology.DEVICE_STORE);
            assertThat(devices.checkpointed("pump-1")).as("now kept by model M's task, as M's device").isNotNull();
            assertThat(devices.checkpointed("pump-1").machineType()).isEqualTo("M");
        }
    }

    @Test
    void shouldDeadLetterUndecodableBytesWithReasonAndSourceAndGoOn() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of())) {
            fixture.send(TopologyFixture.reading("pump-1", "L", 1, Map.of("temperature", 70.0), null));
            byte[] garbage = {7, 1, 2, 3, 4, 5};
            fixture.rawReadings.pipeInput("pump-1".getBytes(StandardCharsets.UTF_8), garbage);
            fixture.send(TopologyFixture.reading("pump-1", "L", 2, Map.of("temperature", 70.0), null));

            assertThat(fixture.predictions.readValuesToList()).hasSize(2);
            List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(garbage);
            assertThat(dead.get(0).key()).isEqualTo("pump-1".getBytes(StandardCharsets.UTF_8));
            Headers headers = dead.get(0).headers();
            assertThat(header(headers, DeadLetter.HEADER_REASON)).isEqualTo("WRONG_MAGIC_BYTE");
            assertThat(header(headers, DeadLetter.HEADER_TOPIC)).isEqualTo("sensor-readings");
            assertThat(header(headers, DeadLetter.HEADER_PARTITION)).isEqualTo("0");
            assertThat(header(headers, DeadLetter.HEADER_OFFSET)).isEqualTo("1");
            assertThat(deadLetterTotal(fixture, "WRONG_MAGIC_BYTE")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldDeadLetterReadingsThatFailValidation() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of())) {
            fixture.send(TopologyFixture.reading("pump-1", "XL", 1, Map.of("temperature", 70.0), null));
            fixture.send(TopologyFixture.reading("", "L", 1, Map.of("temperature", 70.0), null));
            fixture.send(TopologyFixture.reading("pump-1", "L", 1, Map.of("temperature", 70.0), "exploded"));
            fixture.send(TopologyFixture.reading("x".repeat(257), "L", 1, Map.of(), null));
            fixture.rawReadings.pipeInput("pump-1".getBytes(StandardCharsets.UTF_8), (byte[]) null);

            assertThat(fixture.predictions.readValuesToList()).isEmpty();
            assertThat(fixture.deadLetters.readRecordsToList())
                    .extracting(record -> header(record.headers(), DeadLetter.HEADER_REASON))
                    .containsExactly("UNKNOWN_MACHINE_TYPE", "MISSING_DEVICE_ID", "UNKNOWN_LABEL",
                            "DEVICE_ID_TOO_LONG", "NULL_VALUE");
        }
    }

    @Test
    void shouldPredictExactlyAsTheLearningCoreDoesOnTheSameStream() {
        MoaStreams.Source source = MoaStreams.open(SEA_DRIFT);
        DriftlineConfig config = seaConfig(source);
        try (TopologyFixture fixture = new TopologyFixture(config.originals())) {
            OnlineModel reference = OnlineModel.create(config.modelSettings());
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 5000; i++) {
                LabelledObservation next = source.next();
                Scored scored = reference.predict(next.observation());
                reference.learn(next.observation(), next.label(), scored);
                expected.add(scored.predictedClass() + "@" + scored.positiveProbability());
                fixture.send(SensorReading.newBuilder()
                        .setDeviceId("sea").setMachineType("L")
                        .setEventTime(java.time.Instant.ofEpochMilli(i)).setSequence(i)
                        .setSensors(next.observation().numeric()).setAttributes(next.observation().nominal())
                        .setLabel(next.label()).build());
            }
            assertThat(fixture.predictions.readValuesToList())
                    .extracting(p -> p.getPredictedClass() + "@" + p.getFailureProbability())
                    .containsExactlyElementsOf(expected);

            CheckpointStore<?> store = (CheckpointStore<?>) fixture.driver.getStateStore(DriftlineTopology.MODEL_STORE);
            assertThat(store.checkpointedKeys()).containsExactly("fleet");
        }
    }

    @Test
    void shouldRaiseConceptDriftAlertsWhereTheLearningCoreDetectsDrift() {
        MoaStreams.Source source = MoaStreams.open(SEA_DRIFT);
        DriftlineConfig config = seaConfig(source);
        OnlineModel reference = OnlineModel.create(config.modelSettings());
        List<Long> expected = new ArrayList<>();
        try (TopologyFixture fixture = new TopologyFixture(config.originals())) {
            for (int i = 1; i <= 6000; i++) {
                LabelledObservation next = source.next();
                reference.learn(next.observation(), next.label(), reference.predict(next.observation()))
                        .conceptDrift().ifPresent(drift -> expected.add(drift.instance()));
                fixture.send(SensorReading.newBuilder()
                        .setDeviceId("sea").setMachineType("L")
                        .setEventTime(java.time.Instant.ofEpochMilli(i)).setSequence(i)
                        .setSensors(next.observation().numeric()).setLabel(next.label()).build());
            }
            List<Alert> drifts = fixture.alerts.readValuesToList().stream()
                    .filter(alert -> alert.getKind() == AlertKind.CONCEPT_DRIFT)
                    .toList();
            assertThat(expected).as("the stream drifts at 2,000").isNotEmpty().allMatch(at -> at > 2000);
            assertThat(drifts).extracting(alert -> Long.parseLong(alert.getDetails().get("instancesSeen")))
                    .containsExactlyElementsOf(expected);
            assertThat(drifts.get(0).getAlertId()).isEqualTo("CONCEPT_DRIFT:fleet:" + expected.get(0));
        }
    }

    private static DriftlineConfig seaConfig(MoaStreams.Source source) {
        List<String> classes = source.classes();
        return new DriftlineConfig(Map.of(
                DriftlineConfig.MODEL_SCOPE, "fleet",
                DriftlineConfig.CLASSES, String.join(",", classes),
                DriftlineConfig.POSITIVE_CLASS, classes.get(1),
                DriftlineConfig.FEATURES, DriftlineConfig.featureSpec(source.features()),
                DriftlineConfig.ADAPTATION, "none",
                DriftlineConfig.FEATURE_WINDOW, "*:0",
                DriftlineConfig.CONCEPT_DRIFT_COOLDOWN, "0",
                DriftlineConfig.CONCEPT_DRIFT_MIN_INCREASE, "0"));
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static double deadLetterTotal(TopologyFixture fixture, String reason) {
        return fixture.counter("driftline.dead.letters", "reason", reason);
    }
}
