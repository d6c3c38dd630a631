package io.driftline.core;

import static io.driftline.core.TrainedModels.T0;
import static io.driftline.core.TrainedModels.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.api.ImportCommands;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.ModelBundle;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import io.driftline.state.ModelVersions.VersionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model bundles imported through the commands, in the core without Kafka. */
class ModelImportTest {

    // Small parts: the bundle of a tree of a few thousand readings comes in several. No rolling features:
    // they are the devices' state, which a bundle does not carry, and would warm up anew on another deployment.
    private static final DriftlineConfig CONFIG = new DriftlineConfig(Map.of(DriftlineConfig.CHECKPOINT_CHUNK_BYTES,
            1024, DriftlineConfig.FEATURE_WINDOW, "*:0"));
    private static final PipelineSettings SETTINGS = CONFIG.pipeline();

    /**
     * A model key of another deployment, seeded from a bundle, predicts exactly as the exported model
     * (MOA's tree that learned the readings, in this process) on the same readings, after a checkpoint too.
     */
    @Test
    void shouldSeedAModelKeyThatPredictsExactlyAsTheExportedModel() {
        InMemoryCoreState source = new InMemoryCoreState();
        ModelCore core = new ModelCore(SETTINGS);
        for (int i = 0; i < 3000; i++) {
            core.apply("L", reading(i, true), new InputMeta(T0, T0), source);
        }
        ModelState exported = source.model("L");
        ModelBundle bundle = ModelBundle.of("L", exported, SETTINGS, Instant.ofEpochMilli(T0));
        List<ModelCommand> parts = ImportCommands.of("seeded", bundle, SETTINGS.checkpointChunkBytes(), "alice",
                "new site", Instant.ofEpochMilli(T0 + 5));
        assertThat(parts).hasSizeGreaterThan(3);

        InMemoryCoreState target = new InMemoryCoreState();
        List<Outcome> outcomes = apply(new ModelCore(SETTINGS), target, "seeded", parts);

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            Alert alert = ((Outcome.Alerted) outcome).alert();
            assertThat(alert.getKind()).isEqualTo(AlertKind.MODEL_IMPORTED);
            assertThat(alert.getModelKey()).isEqualTo("seeded");
            assertThat(alert.getVersion()).isEqualTo(1);
            assertThat(alert.getDetails()).containsEntry("from", "none").containsEntry("bundleModelKey", "L")
                    .containsEntry("instancesTrained", "3000").containsEntry("requestedBy", "alice");
        });
        ModelState seeded = target.model("seeded");
        assertThat(seeded.versionHistory()).singleElement().satisfies(version -> {
            assertThat(version.reason()).isEqualTo("IMPORTED");
            assertThat(version.detail()).startsWith("by alice: new site (bundle of L version 1, exported at ");
            assertThat(version.learner()).isEqualTo("trees.HoeffdingTree");
        });
        assertThat(target.importPart("seeded", 0)).as("the parts are dropped once applied").isNull();
        assertThat(seeded.model().instancesTrained()).isEqualTo(3000);
        assertThat(seeded.snapshot().features()).isEqualTo(exported.snapshot().features());

        ModelCheckpoints checkpoints = new ModelCheckpoints(SETTINGS);
        InMemoryCoreState restored = new InMemoryCoreState();
        restored.putModel("seeded", checkpoints.decode(checkpoints.encode(seeded)));
        List<String> expected = predictions(core, source, "L", 3000, 3400);
        assertThat(predictions(new ModelCore(SETTINGS), target, "seeded", 3000, 3400)).isEqualTo(expected);
        assertThat(predictions(new ModelCore(SETTINGS), restored, "seeded", 3000, 3400)).isEqualTo(expected);
        assertThat(CheckpointCodec.serialise(target.model("seeded").model().exported().model()))
                .as("the learner itself, to the byte").isEqualTo(CheckpointCodec.serialise(
                        source.model("L").model().exported().model()));
    }

    @Test
    void shouldStartTheNextVersionOverAModelAndKeepTheOneBeforeRestorable() {
        ModelBundle bundle = ModelBundle.of("L", TrainedModels.trained(SETTINGS, "L", 2000), SETTINGS,
                Instant.ofEpochMilli(T0));
        InMemoryCoreState state = new InMemoryCoreState();
        ModelCore core = new ModelCore(SETTINGS);
        for (int i = 0; i < 300; i++) {
            core.apply("K", reading(i, true), new InputMeta(T0, T0), state);
        }
        var alertQuality = state.model("K").alertQuality();
        assertThat(alertQuality).isNotEmpty();

        List<Outcome> outcomes = apply(core, state, "K", ImportCommands.of("K", bundle, SETTINGS.checkpointChunkBytes(),
                "bob", "carry over", Instant.ofEpochMilli(T0 + 1)));

        assertThat(outcomes).singleElement().satisfies(outcome -> assertThat(((Outcome.Alerted) outcome).alert()
                .getDetails()).containsEntry("from", "trees.HoeffdingTree (version 1)"));
        List<VersionInfo> versions = state.model("K").versionHistory();
        assertThat(versions).extracting(VersionInfo::reason).containsExactly("CREATED", "IMPORTED");
        assertThat(versions.get(0).restorable()).isTrue();
        assertThat(versions.get(0).evaluation().instances()).isEqualTo(300);
        assertThat(versions.get(1).evaluation().instances()).as("a new evaluation").isZero();
        assertThat(state.model("K").model().instancesTrained()).isEqualTo(2000);
        assertThat(state.model("K").alertQuality()).as("the key's, across versions").isEqualTo(alertQuality);
    }

    @Test
    void shouldRefuseABundleMadeUnderOtherSettingsAndChangeNothing() {
        DriftlineConfig other = CONFIG.with(Map.of(DriftlineConfig.LEARNER, "bayes.NaiveBayes",
                DriftlineConfig.FEATURE_WINDOW, "*:5"));
        ModelBundle bundle = ModelBundle.of("L", TrainedModels.trained(other.pipeline(), "L", 500), other.pipeline(),
                Instant.ofEpochMilli(T0));
        InMemoryCoreState state = new InMemoryCoreState();
        ModelCore core = new ModelCore(SETTINGS);
        core.apply("K", reading(0, true), new InputMeta(T0, T0), state);
        ModelState before = state.model("K");

        List<Outcome> outcomes = apply(core, state, "K", ImportCommands.of("K", bundle, SETTINGS.checkpointChunkBytes(),
                "bob", "wrong site", Instant.ofEpochMilli(T0 + 1)));

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Outcome.Rejected.Reason.INVALID_BUNDLE);
            assertThat(rejected.message()).contains("its features.window *=5 is not this deployment's *=0")
                    .contains("its learner 'bayes.NaiveBayes' is neither this deployment's learner 'trees.HoeffdingTree'");
        });
        assertThat(state.model("K")).isSameAs(before);
        assertThat(state.importPart("K", 0)).isNull();
    }

    /** Bytes that are no learner, and a bundle whose parts never all came, are refused without stopping anything. */
    @Test
    void shouldRefuseUnreadableLearnerBytesAndMissingParts() {
        ModelBundle good = ModelBundle.of("L", TrainedModels.trained(SETTINGS, "L", 500), SETTINGS,
                Instant.ofEpochMilli(T0));
        ModelBundle garbled = new ModelBundle(good.format(), good.modelKey(), good.exportedAt(), good.writtenBy(),
                good.version(), good.learner(), good.classes(), good.features(), good.featureWindow(),
                good.instancesTrained(), good.evaluation(), null, new byte[] {1, 2, 3, 4});
        InMemoryCoreState state = new InMemoryCoreState();
        ModelCore core = new ModelCore(SETTINGS);

        List<Outcome> unreadable = apply(core, state, "K", ImportCommands.of("K", garbled,
                SETTINGS.checkpointChunkBytes(), "eve", "garbage", Instant.ofEpochMilli(T0)));
        List<ModelCommand> first = ImportCommands.of("K", good, SETTINGS.checkpointChunkBytes(), "eve", "one",
                Instant.ofEpochMilli(T0));
        List<ModelCommand> second = ImportCommands.of("K", good, SETTINGS.checkpointChunkBytes(), "eve", "two",
                Instant.ofEpochMilli(T0));
        // The second import begins while the first is under way: the first's last part finds the second's parts.
        List<ModelCommand> interleaved = new ArrayList<>(first.subList(0, 2));
        interleaved.addAll(second.subList(0, 2));
        interleaved.addAll(first.subList(2, first.size()));
        List<Outcome> incomplete = apply(core, state, "K", interleaved);

        assertThat(unreadable).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class, rejected ->
                assertThat(rejected.message()).contains("the bundle's learner cannot be read (written by Driftline "));
        assertThat(incomplete).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class, rejected ->
                assertThat(rejected.message()).contains("part 0 of " + first.size() + " of import "
                        + first.get(0).getImportId() + " is missing"));
        assertThat(state.model("K")).as("no model was made").isNull();
        assertThat(apply(core, state, "K", second)).as("a complete import after them").singleElement()
                .isInstanceOf(Outcome.Alerted.class);
    }

    private static List<Outcome> apply(ModelCore core, InMemoryCoreState state, String modelKey,
                                       List<ModelCommand> commands) {
        List<Outcome> outcomes = new ArrayList<>();
        for (ModelCommand command : commands) {
            assertThat(command.getAction()).isEqualTo(ModelAction.IMPORT);
            outcomes.addAll(core.apply(modelKey, ModelInput.newBuilder().setCommand(command).build(),
                    new InputMeta(T0, T0), state));
        }
        return outcomes;
    }

    /** What the model of {@code modelKey} predicts for readings {@code from} to {@code to}, unlabelled (it does not learn meanwhile). */
    private static List<String> predictions(ModelCore core, InMemoryCoreState state, String modelKey, int from, int to) {
        List<String> predictions = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (Outcome outcome : core.apply(modelKey, reading(i, false), new InputMeta(T0, T0), state)) {
                if (outcome instanceof Outcome.Predicted predicted) {
                    Prediction p = predicted.prediction();
                    predictions.add(p.getPredictedClass() + " " + p.getFailureProbability() + " " + p.getClassVotes()
                            + " " + p.getModelVersion());
                }
            }
        }
        return predictions;
    }
}
