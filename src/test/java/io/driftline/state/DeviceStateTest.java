package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.alert.RiskThresholds;
import io.driftline.label.LabelPolicy;
import io.driftline.label.Resolution;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import io.driftline.state.DeviceState.PendingReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeviceStateTest {

    private static final LabelPolicy POLICY = new LabelPolicy(Duration.ofHours(2), Duration.ofMinutes(5), 100,
            LabelPolicy.RepairPolicy.CENSOR);
    private static final long MINUTE = 60_000;

    @Test
    void shouldEncodeAPendingReadingLosslessly() {
        DeviceState device = new DeviceState("L", 0, POLICY);
        device.pending(new Observation(Map.of("a", 1.5), Map.of()), scored(0.25), 1, 1);
        PendingReading pending = device.pending(new Observation(Map.of("b", -0.0, "c", Double.MIN_VALUE),
                Map.of("firmware", "v2")), scored(0.75), 42, 7);

        PendingReading decoded = PendingReading.decode(pending.encode());

        assertThat(decoded.numeric()).containsExactly(pending.numeric());
        assertThat(Double.isNaN(decoded.numeric()[0])).isTrue();
        assertThat(decoded.nominal()).isEqualTo(Map.of("firmware", "v2"));
        assertThat(decoded.scored().predictedClass()).isEqualTo("failure");
        assertThat(decoded.scored().probabilities()).containsExactly(0.25, 0.75);
        assertThat(decoded.scored().positiveProbability()).isEqualTo(0.75);
        assertThat(decoded.scored().modelVersion()).isEqualTo(7);
        assertThat(decoded.sequence()).isEqualTo(42);
        assertThat(decoded.version()).isEqualTo(7);
        assertThat(device.observation(decoded).numeric()).isEqualTo(Map.of("b", -0.0, "c", Double.MIN_VALUE));
    }

    @Test
    void shouldReadAPendingReadingWrittenBeforeVersionsAsOfAnUnknownVersion() {
        PendingReading pending = new DeviceState("L", 0, POLICY).pending(new Observation(Map.of("a", 1.5), Map.of()),
                scored(0.25), 3, 2);
        byte[] encoded = pending.encode();

        PendingReading older = PendingReading.decode(java.util.Arrays.copyOf(encoded, encoded.length - Long.BYTES));

        assertThat(older.version()).isEqualTo(PendingReading.UNKNOWN_VERSION);
        assertThat(older.sequence()).isEqualTo(3);
    }

    @Test
    void shouldResolveTheSameReadingsAfterACheckpoint() {
        DeviceState device = new DeviceState("L", 3, POLICY);
        for (int i = 0; i < 10; i++) {
            device.pending(new Observation(Map.of("a", (double) i), Map.of()), scored(0.5), i, 1);
            device.labeler().onReading(device.nextPendingId(), i * MINUTE);
        }
        device.labeler().onFailure(10 * MINUTE + 1);

        DeviceState restored = CheckpointCodec.decodeDevice(CheckpointCodec.encode(device));

        assertThat(restored.labeler().pendingCount()).isEqualTo(device.labeler().pendingCount());
        assertThat(restored.nextPendingId()).isEqualTo(device.nextPendingId());
        assertThat(restored.observation(restored.pending(new Observation(Map.of("a", 1.0), Map.of()), scored(0), 0, 1)))
                .isEqualTo(device.observation(device.pending(new Observation(Map.of("a", 1.0), Map.of()), scored(0), 0, 1)));
        // A reading just after the failure is within its horizon: the remembered failure labels it at once.
        List<Resolution<PendingId>> original = device.labeler().onReading(new PendingId(99), 10 * MINUTE);
        List<Resolution<PendingId>> afterCheckpoint = restored.labeler().onReading(new PendingId(99), 10 * MINUTE);
        assertThat(afterCheckpoint).isEqualTo(original).isNotEmpty();
        assertThat(restored.labeler().advance(200 * MINUTE)).isEqualTo(device.labeler().advance(200 * MINUTE));
    }

    @Test
    void shouldContinueWithTheSameFeaturesRiskAndBytesAfterACheckpoint() {
        RiskThresholds thresholds = new RiskThresholds(0.8, 0.3, 2);
        DeviceState device = new DeviceState("M", 4, POLICY);
        for (int i = 0; i < 7; i++) {
            device.features().update(i * MINUTE + i * i, Map.of("torque", 40 + 1.5 * i, "speed", 1500.0 - i * i));
            device.risk().update(i < 4 ? 0.9 : 0.5, thresholds);
            device.pending(new Observation(Map.of("torque", (double) i), Map.of()), scored(0.5), i, 1);
            device.labeler().onReading(device.nextPendingId(), i * MINUTE);
        }
        device.labeler().onFailure(3 * MINUTE + 1);
        device.features().update(7 * MINUTE, Map.of("torque", 41.0));

        byte[] bytes = CheckpointCodec.encode(device);
        DeviceState restored = CheckpointCodec.decodeDevice(bytes);

        assertThat(bytes[0]).isEqualTo(CheckpointCodec.DEVICE_FORMAT_VERSION);
        assertThat(CheckpointCodec.encode(restored)).isEqualTo(bytes);
        assertThat(restored.machineType()).isEqualTo("M");
        Map<String, Double> next = Map.of("torque", 39.0, "speed", 1400.0);
        assertThat(restored.features().update(8 * MINUTE, next)).isEqualTo(device.features().update(8 * MINUTE, next));
        assertThat(restored.risk().atRisk()).isTrue();
        assertThat(restored.risk().update(0.1, thresholds)).isEqualTo(device.risk().update(0.1, thresholds));
        assertThat(restored.risk().update(0.1, thresholds)).isEqualTo(device.risk().update(0.1, thresholds));
        assertThat(restored.risk().peak()).isEqualTo(device.risk().peak());
        assertThat(restored.labeler().advance(300 * MINUTE)).isEqualTo(device.labeler().advance(300 * MINUTE)).isNotEmpty();
    }

    @Test
    void shouldRejectDeviceCheckpointsOfAnotherFormatVersionOrCorrupt() {
        byte[] current = CheckpointCodec.encode(new DeviceState("L", 3, POLICY));
        // What version 1 wrote: a Java-serialised, deflated object.
        byte[] javaSerialised = CheckpointCodec.encode(new ArrayList<>(List.of("a device state of version 1")));
        byte[] unknown = current.clone();
        unknown[0] = 2;

        assertThatThrownBy(() -> CheckpointCodec.decodeDevice(javaSerialised))
                .isInstanceOf(CheckpointDecodingException.class).hasMessageContaining("version 1");
        assertThatThrownBy(() -> CheckpointCodec.decodeDevice(unknown)).isInstanceOf(CheckpointDecodingException.class);
        assertThatThrownBy(() -> CheckpointCodec.decodeDevice(new byte[0])).isInstanceOf(CheckpointDecodingException.class);
        assertThatThrownBy(() -> CheckpointCodec.decodeDevice(Arrays.copyOf(current, current.length - 1)))
                .isInstanceOf(CheckpointDecodingException.class);
        assertThatThrownBy(() -> CheckpointCodec.decodeDevice(Arrays.copyOf(current, current.length + 1)))
                .isInstanceOf(CheckpointDecodingException.class);
        assertThatThrownBy(() -> CheckpointCodec.decode(current, ArrayList.class))
                .isInstanceOf(CheckpointDecodingException.class).hasMessageContaining("version 3");
    }

    @Test
    void shouldRestoreFeatureNamesOfEveryShapeAndThePendingObservationsTheyAlign() {
        DeviceState device = new DeviceState("H", 5, POLICY);
        Map<String, Double> numeric = new HashMap<>(Map.of("torque", 1.0, "vib.x", 2.0));
        device.features().update(MINUTE, numeric, numeric);
        numeric.put("vib.x.std.extra", 3.0);
        numeric.put("speed.slope", 4.0);
        PendingReading pending = device.pending(new Observation(numeric, Map.of()), scored(0.4), 1, 1);
        device.labeler().onReading(device.nextPendingId(), MINUTE);

        DeviceState restored = CheckpointCodec.decodeDevice(CheckpointCodec.encode(device));

        assertThat(restored.observation(pending).numeric()).isEqualTo(numeric).containsKeys("torque.mean", "vib.x.min");
        assertThat(CheckpointCodec.encode(restored)).isEqualTo(CheckpointCodec.encode(device));
    }

    @Test
    void shouldRejectEveryTruncationAndSurviveCorruptBytesOfADeviceCheckpoint() {
        DeviceState device = new DeviceState("M", 10, POLICY);
        for (int i = 0; i < 20; i++) {
            Map<String, Double> numeric = new HashMap<>(Map.of("torque", 40.0 + i, "speed", 1500.0 - i));
            device.features().update(i * MINUTE, numeric, numeric);
            device.pending(new Observation(numeric, Map.of()), scored(0.5), i, 1);
            device.labeler().onReading(device.nextPendingId(), i * MINUTE);
        }
        device.labeler().onFailure(19 * MINUTE + 1);
        byte[] bytes = CheckpointCodec.encode(device);

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> CheckpointCodec.decodeDevice(truncated))
                    .as("truncated to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(CheckpointDecodingException.class);
        }
        Random random = new Random(7);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] corrupt = bytes.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                corrupt[1 + random.nextInt(corrupt.length - 1)] = (byte) random.nextInt(256);
            }
            try {
                CheckpointCodec.decodeDevice(corrupt);
            } catch (CheckpointDecodingException expected) {
                // Either outcome is fine; anything else (an OutOfMemoryError, a runaway loop) is not.
            }
        }
    }

    private static Scored scored(double failure) {
        return new Scored(failure > 0.5 ? "failure" : "normal", failure > 0.5 ? 1 : 0,
                new double[] {1 - failure, failure}, failure, 7, List.of());
    }
}
