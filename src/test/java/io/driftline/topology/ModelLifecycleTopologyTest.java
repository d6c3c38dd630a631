package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.Prediction;
import io.driftline.api.ImportCommands;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.core.TrainedModels;
import io.driftline.state.CheckpointStore;
import io.driftline.state.ModelBundle;
import io.driftline.state.ModelState;
import io.driftline.state.ModelVersions.VersionInfo;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Promotion, rollback and import commands end to end: commands topic, model stage, alerts, predictions, the model store. */
class ModelLifecycleTopologyTest {

    private static final Instant REQUESTED = Instant.ofEpochMilli(1_800_000_000_000L);

    @Test
    void shouldPromoteAChallengerAndRollBackOnOperatorsCommandsInOrderWithTheReadingsAndAuditBoth() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.CHALLENGERS, "bayes.NaiveBayes",
                DriftlineConfig.PROMOTION_METRIC, "none"))) {
            readings(fixture, 1, 20);
            fixture.commands.pipeInput("L", command(ModelAction.PROMOTE).setLearner("bayes.NaiveBayes").build());
            readings(fixture, 21, 30);
            fixture.commands.pipeInput("L", command(ModelAction.ROLLBACK).setVersion(1L).build());
            readings(fixture, 31, 40);
            fixture.commands.pipeInput("L", command(ModelAction.ROLLBACK).setVersion(7L).build());
            fixture.commands.pipeInput("L", command(ModelAction.PROMOTE).build());

            List<Prediction> predictions = fixture.predictions.readValuesToList();
            assertThat(predictions).extracting(Prediction::getVersion).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 40).map(i -> i <= 20 ? 1 : i <= 30 ? 2 : 3).boxed()
                            .toList());
            List<Alert> alerts = fixture.alerts.readValuesToList().stream()
                    .filter(alert -> alert.getKind() == AlertKind.MODEL_PROMOTED
                            || alert.getKind() == AlertKind.MODEL_ROLLED_BACK).toList();
            assertThat(alerts).extracting(Alert::getKind, Alert::getVersion).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(AlertKind.MODEL_PROMOTED, 2L),
                    org.assertj.core.groups.Tuple.tuple(AlertKind.MODEL_ROLLED_BACK, 3L));
            assertThat(alerts).allSatisfy(alert -> assertThat(alert.getDetails()).containsEntry("requestedBy", "alice")
                    .containsEntry("reason", "test"));
            assertThat(fixture.counter("driftline.inputs.ignored", "reason", "NOT_APPLICABLE"))
                    .as("a rollback to a version not kept").isEqualTo(1.0);
            assertThat(fixture.deadLetters.readRecordsToList()).as("a promotion naming no learner").hasSize(1);

            @SuppressWarnings("unchecked")
            CheckpointStore<ModelState> models = (CheckpointStore<ModelState>) fixture.driver
                    .getStateStore(DriftlineTopology.MODEL_STORE);
            ModelState stored = models.checkpointed("L");
            assertThat(stored.versionHistory()).extracting(VersionInfo::version, VersionInfo::reason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1L, "CREATED"),
                    org.assertj.core.groups.Tuple.tuple(2L, "PROMOTED"),
                    org.assertj.core.groups.Tuple.tuple(3L, "ROLLED_BACK"));
            assertThat(stored.model().championSpec()).isEqualTo("trees.HoeffdingTree");
            assertThat(stored.snapshot().challengers()).singleElement()
                    .satisfies(challenger -> assertThat(challenger.learner()).isEqualTo("bayes.NaiveBayes"));
        }
    }

    /**
     * A bundle imported in parts seeds a model key that had no model: the parts wait in their store
     * until the last, the import is audited, and the model predicts from then on as the bundle's. A
     * malformed part is dead-lettered; a bundle made under other settings is refused and counted.
     */
    @Test
    void shouldSeedAModelKeyFromABundleInPartsAndRefuseOnesThatDoNotFit() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.CHECKPOINT_CHUNK_BYTES, 1024))) {
            PipelineSettings settings = fixture.config.pipeline();
            ModelBundle bundle = ModelBundle.of("elsewhere", TrainedModels.trained(settings, "elsewhere", 500),
                    settings, REQUESTED);
            List<ModelCommand> parts = ImportCommands.of("L", bundle, 1024, "alice", "seed", REQUESTED);
            assertThat(parts).hasSizeGreaterThan(1);

            parts.subList(0, parts.size() - 1).forEach(part -> fixture.commands.pipeInput("L", part));
            KeyValueStore<Bytes, byte[]> waiting = fixture.driver.getKeyValueStore(DriftlineTopology.IMPORT_STORE);
            assertThat(waiting.approximateNumEntries()).isEqualTo(parts.size() - 1);
            fixture.commands.pipeInput("L", parts.get(parts.size() - 1));
            readings(fixture, 1, 5);
            DriftlineConfig other = fixture.config.with(Map.of(DriftlineConfig.LEARNER, "bayes.NaiveBayes"));
            ImportCommands.of("L", ModelBundle.of("L", TrainedModels.trained(other.pipeline(), "L", 10),
                    other.pipeline(), REQUESTED), 1024, "mallory", "wrong", REQUESTED)
                    .forEach(part -> fixture.commands.pipeInput("L", part));
            fixture.commands.pipeInput("L", command(ModelAction.IMPORT).setImportId("x").setPart(2).setParts(2)
                    .setBundle(ByteBuffer.wrap(new byte[] {1})).build());

            assertThat(waiting.approximateNumEntries()).as("parts dropped once applied or refused").isZero();
            assertThat(fixture.alerts.readValuesToList()).filteredOn(alert -> alert.getKind() == AlertKind.MODEL_IMPORTED)
                    .singleElement().satisfies(alert -> {
                        assertThat(alert.getVersion()).isEqualTo(1);
                        assertThat(alert.getDetails()).containsEntry("bundleModelKey", "elsewhere");
                    });
            assertThat(fixture.predictions.readValuesToList()).extracting(Prediction::getModelVersion)
                    .as("the bundle's model predicts, with what it learned").startsWith(500L);
            assertThat(fixture.counter("driftline.inputs.ignored", "reason", "INVALID_BUNDLE")).isEqualTo(1.0);
            assertThat(fixture.deadLetters.readRecordsToList()).as("a part beyond its count").hasSize(1);
            @SuppressWarnings("unchecked")
            CheckpointStore<ModelState> models = (CheckpointStore<ModelState>) fixture.driver
                    .getStateStore(DriftlineTopology.MODEL_STORE);
            assertThat(models.checkpointed("L").versionHistory()).extracting(VersionInfo::reason)
                    .containsExactly("IMPORTED");
        }
    }

    private static void readings(TopologyFixture fixture, long from, long to) {
        for (long i = from; i <= to; i++) {
            fixture.send(TopologyFixture.reading("pump-1", "L", i, Map.of("temperature", 60.0 + i % 7),
                    i % 5 == 0 ? "failure" : "normal"));
        }
    }

    private static ModelCommand.Builder command(ModelAction action) {
        return ModelCommand.newBuilder().setModelKey("L").setAction(action).setRequestedBy("alice").setReason("test")
                .setRequestedAt(REQUESTED);
    }
}
