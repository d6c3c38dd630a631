package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.core.TrainedModels;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model snapshots name the versions that wrote them; those of format 2, which did not, are still read. */
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

        assertThat(CheckpointCodec.serialise(read)).isEqualTo(CheckpointCodec.serialise(state));
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
