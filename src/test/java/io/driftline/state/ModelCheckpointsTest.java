package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.avro.Alert;
import io.driftline.avro.ModelInput;
import io.driftline.core.InMemoryCoreState;
import io.driftline.core.InputMeta;
import io.driftline.core.ModelCore;
import io.driftline.core.Outcome;
import io.driftline.core.TrainedModels;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Model snapshots name the versions that wrote them; those of format 2, which did not, are still read, and so
 * are those written before side learners were bounded.
 */
class ModelCheckpointsTest {

    private static final PipelineSettings SETTINGS = new DriftlineConfig(Map.of()).pipeline();

    @Test
    void shouldReadASnapshotOfFormat2AsTheSameModel() throws Exception {
        ModelState state = TrainedModels.trained(SETTINGS, "L", 200);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.write(ModelCheckpoints.WITHOUT_WRITER_VERSION);
            SettingsFingerprint.of(SETTINGS).writeTo(out);
        }

        ModelState read = new ModelCheckpoints(SETTINGS).decode(CheckpointCodec.serialise(header.toByteArray(), state));

        assertThat(CanonicalSerialisation.of(read)).isEqualTo(CanonicalSerialisation.of(state));
    }

    /** A snapshot of other settings that cannot be read either: the model starts as version 1, and the reset says why. */
    @Test
    void shouldSayTheVersionHistoryIsLostWhenASnapshotOfOtherSettingsCannotBeRead() {
        PipelineSettings otherClasses = new DriftlineConfig(Map.of(DriftlineConfig.CLASSES, "failure,normal")).pipeline();
        byte[] written = ModelCheckpoints.header(WrittenBy.current(), SettingsFingerprint.of(SETTINGS));
        byte[] corrupt = Arrays.copyOf(written, written.length + 16);

        assertThatThrownBy(() -> new ModelCheckpoints(otherClasses).decode(corrupt))
                .isInstanceOfSatisfying(ModelCheckpoints.SettingsChanged.class, changed -> {
                    assertThat(changed.retired()).isNull();
                    assertThat(changed.getMessage()).startsWith("settings changed: classes changed from "
                            + "[normal, failure] to [failure, normal]; the model's version history cannot be read (")
                            .endsWith("): versions start again at 1");
                });
    }

    /**
     * A snapshot written before challengers and the remaining-life regressor were bounded holds no
     * size schedule for them (the fields are absent, read as null): it is read, and they are
     * measured and bounded from their next training.
     */
    @Test
    void shouldReadASnapshotWrittenBeforeSideLearnersWereBoundedAndBoundThemFromThen() throws Exception {
        PipelineSettings settings = new DriftlineConfig(Map.of(DriftlineConfig.CHALLENGERS, "trees.HoeffdingAdaptiveTree",
                DriftlineConfig.PROMOTION_METRIC, "none", DriftlineConfig.RUL_ENABLED, "true",
                DriftlineConfig.MODEL_MAX_BYTES, "1")).pipeline();
        ModelCore core = new ModelCore(settings);
        InMemoryCoreState state = new InMemoryCoreState();
        int readings = 0;
        for (; readings < 200; readings++) {
            core.apply("L", withTarget(readings), new InputMeta(TrainedModels.T0, TrainedModels.T0), state);
        }
        ModelState written = state.model("L");
        Object model = written.model();
        List<?> challengers = (List<?>) field(model, "challengers").get(model);
        field(challengers.get(0), "size").set(challengers.get(0), null);
        Object remainingLife = field(model, "remainingLife").get(model);
        field(remainingLife, "size").set(remainingLife, null);
        ModelCheckpoints checkpoints = new ModelCheckpoints(settings);

        state.putModel("L", checkpoints.decode(checkpoints.encode(written)));
        List<Alert> alerts = new ArrayList<>();
        for (; readings < 2_500; readings++) {
            for (Outcome outcome : core.apply("L", withTarget(readings), new InputMeta(TrainedModels.T0, TrainedModels.T0),
                    state)) {
                if (outcome instanceof Outcome.Alerted alerted) {
                    alerts.add(alerted.alert());
                }
            }
        }

        assertThat(alerts).extracting(alert -> alert.getDetails().get("learner"))
                .contains("CHALLENGER", "REMAINING_LIFE");
    }

    private static ModelInput withTarget(int i) {
        ModelInput input = TrainedModels.reading(i, true);
        input.getReading().setTarget(3_600_000.0 * (i % 50));
        return input;
    }

    private static Field field(Object owner, String name) throws NoSuchFieldException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** What an upgrade that changed a model's classes meets: the reset names who wrote the snapshot and who reads it. */
    @Test
    void shouldNameTheVersionsThatWroteASnapshotItCannotRead() {
        ModelCheckpoints checkpoints = new ModelCheckpoints(SETTINGS);
        byte[] written = ModelCheckpoints.header(new WrittenBy("0.0.9", "2023.04.0"), SettingsFingerprint.of(SETTINGS));
        byte[] snapshot = checkpoints.encode(TrainedModels.trained(SETTINGS, "L", 10));
        byte[] corrupt = Arrays.copyOf(written, written.length + 16);
        System.arraycopy(snapshot, snapshot.length - 16, corrupt, written.length, 16);

        assertThatThrownBy(() -> checkpoints.decode(corrupt))
                .isInstanceOf(CheckpointCodec.CheckpointDecodingException.class)
                .hasMessageContaining("(written by Driftline 0.0.9 with MOA 2023.04.0; this is " + WrittenBy.current()
                        + ": import the model's bundle exported before the upgrade)");
        assertThat(WrittenBy.current().driftline()).isNotEqualTo("unknown");
    }
}
