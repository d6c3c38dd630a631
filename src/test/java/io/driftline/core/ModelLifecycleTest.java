package io.driftline.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import io.driftline.state.ModelVersions.VersionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model key's versions, challengers, promotions and rollbacks, in the core without Kafka. */
class ModelLifecycleTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldStartANewVersionAtCreationAndResetButNotWhileLearning() {
        DriftlineConfig config = new DriftlineConfig(Map.of());
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        feed(core, state, 0, 500);

        List<VersionInfo> first = state.model("L").versionHistory();
        assertThat(first).singleElement().satisfies(v -> {
            assertThat(v.version()).isEqualTo(1);
            assertThat(v.reason()).isEqualTo("CREATED");
            assertThat(v.startedAt()).isEqualTo(Instant.ofEpochMilli(T0));
            assertThat(v.serving()).isTrue();
            assertThat(v.evaluation().instances()).isEqualTo(500);
        });

        core.apply("L", command(ModelAction.RESET, 7), new InputMeta(T0, T0), state);
        feed(core, state, 500, 800);

        List<VersionInfo> versions = state.model("L").versionHistory();
        assertThat(versions).extracting(VersionInfo::version).containsExactly(1L, 2L);
        assertThat(versions.get(0)).satisfies(v -> {
            assertThat(v.serving()).isFalse();
            assertThat(v.restorable()).isTrue();
            assertThat(v.frozenBytes()).isPositive();
            assertThat(v.evaluation().instances()).as("its figures when it was retired").isEqualTo(500);
        });
        assertThat(versions.get(1)).satisfies(v -> {
            assertThat(v.reason()).isEqualTo("RESET");
            assertThat(v.detail()).isEqualTo("by test: because 7");
            assertThat(v.startedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 7));
            assertThat(v.evaluation().instances()).isEqualTo(300);
        });
    }

    @Test
    void shouldKeepOnlyTheLastKeptVersionsRestorableAndTheirHistoryThroughACheckpoint() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(DriftlineConfig.VERSIONS_KEPT, 2));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        for (int i = 0; i < 4; i++) {
            feed(core, state, i * 100, i * 100 + 100);
            core.apply("L", command(ModelAction.RESET, i), new InputMeta(T0, T0), state);
        }

        ModelState live = state.model("L");
        assertThat(live.version()).isEqualTo(5);
        assertThat(live.versionHistory()).extracting(VersionInfo::version).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(live.versionHistory()).filteredOn(VersionInfo::restorable).extracting(VersionInfo::version)
                .containsExactly(3L, 4L);

        ModelCheckpoints codec = new ModelCheckpoints(config.pipeline());
        ModelState restored = codec.decode(codec.encode(live));
        assertThat(restored.versionHistory()).isEqualTo(live.versionHistory());
    }

    static void feed(ModelCore core, InMemoryCoreState state, int from, int to) {
        for (int i = from; i < to; i++) {
            core.apply("L", reading(i), new InputMeta(T0, T0), state);
        }
    }

    /** Readings labelled in band: failure when hot and vibrating, with a little noise from the sequence. */
    static ModelInput reading(long i) {
        double temperature = 60 + (i * 7919 % 40);
        double vibration = (i * 104_729 % 100) / 100.0;
        boolean failure = temperature > 90 && vibration > 0.5 || i % 97 == 0;
        return ModelInput.newBuilder().setReading(SensorReading.newBuilder()
                .setDeviceId("pump-" + i % 3)
                .setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(T0 + i * 1000))
                .setSequence(i)
                .setSensors(Map.of("temperature", temperature, "vibration", vibration))
                .setLabel(failure ? "failure" : "normal")
                .build()).build();
    }

    static ModelInput command(ModelAction action, long at) {
        return ModelInput.newBuilder().setCommand(ModelCommand.newBuilder().setModelKey("L")
                .setAction(action).setRequestedBy("test").setReason("because " + at)
                .setRequestedAt(Instant.ofEpochMilli(T0 + at)).build()).build();
    }

    static List<Outcome> outcomes(ModelCore core, InMemoryCoreState state, List<ModelInput> inputs) {
        List<Outcome> outcomes = new ArrayList<>();
        inputs.forEach(input -> outcomes.addAll(core.apply("L", input, new InputMeta(T0, T0), state)));
        return outcomes;
    }
}
