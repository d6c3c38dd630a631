package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.state.CheckpointStore;
import io.driftline.state.ModelState;
import io.driftline.state.ModelVersions.VersionInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Promotion and rollback commands end to end: commands topic, model stage, alerts, predictions, the model store. */
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
