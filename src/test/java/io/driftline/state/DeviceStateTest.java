package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.alert.RiskThresholds;
import io.driftline.alert.RiskTracker;
import io.driftline.alertquality.AlertEvent;
import io.driftline.label.LabelPolicy;
import io.driftline.label.Resolution;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import io.driftline.state.DeviceState.PendingReading;
import io.driftline.config.PerMachineType;
import io.driftline.features.RollingFeatures;
import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

class DeviceStateTest {

    private static final LabelPolicy POLICY = new LabelPolicy(Duration.ofHours(2), Duration.ofMinutes(5), 100,
            LabelPolicy.RepairPolicy.CENSOR);
    private static final long MINUTE = 60_000;

    @Test
    void shouldEncodeAPendingReadingLosslessly() {
        DeviceState device = new DeviceState("L", 0, POLICY);
        device.pending(observe(device, 0, Map.of("a", 1.5), Map.of()), scored(0.25), 1, 1);
        PendingReading pending = device.pending(observe(device, MINUTE, Map.of("b", -0.0, "c", Double.MIN_VALUE),
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
        DeviceState device = new DeviceState("L", 0, POLICY);
        PendingReading pending = device.pending(observe(device, 0, Map.of("a", 1.5), Map.of()), scored(0.25), 3, 2);
        byte[] encoded = pending.encode();

        PendingReading older = PendingReading.decode(java.util.Arrays.copyOf(encoded, encoded.length - Long.BYTES));

        assertThat(older.version()).isEqualTo(PendingReading.UNKNOWN_VERSION);
        assertThat(older.sequence()).isEqualTo(3);
    }

    @Test
    void shouldResolveTheSameReadingsAfterACheckpoint() {
        DeviceState device = new DeviceState("L", 3, POLICY);
        for (int i = 0; i < 10; i++) {
            device.pending(observe(device, i * MINUTE, Map.of("a", (double) i), Map.of()), scored(0.5), i, 1);
            device.labeler().onReading(device.nextPendingId(), i * MINUTE);
        }
        device.labeler().onFailure(10 * MINUTE + 1);

        DeviceState restored = decode(CheckpointCodec.encode(device));

        assertThat(restored.labeler().pendingCount()).isEqualTo(device.labeler().pendingCount());
        assertThat(restored.nextPendingId()).isEqualTo(device.nextPendingId());
        assertThat(restored.observation(restored.pending(observe(restored, 10 * MINUTE, Map.of("a", 1.0), Map.of()),
                scored(0), 0, 1))).isEqualTo(device.observation(device.pending(
                        observe(device, 10 * MINUTE, Map.of("a", 1.0), Map.of()), scored(0), 0, 1)));
        // A reading just after the failure is within its horizon: the remembered failure labels it at once.
        List<Resolution<PendingId>> original = device.labeler().onReading(new PendingId(99), 10 * MINUTE);
        List<Resolution<PendingId>> afterCheckpoint = restored.labeler().onReading(new PendingId(99), 10 * MINUTE);
        assertThat(afterCheckpoint).isEqualTo(original).isNotEmpty();
        assertThat(restored.labeler().advance(200 * MINUTE)).isEqualTo(device.labeler().advance(200 * MINUTE));
    }

    /** The ids of readings stored behind their store's clock keep their lags across a checkpoint, among ids without one. */
    @Test
    void shouldKeepTheLagsOfQueuedReadingsAcrossACheckpoint() {
        DeviceState device = new DeviceState("L", 3, POLICY);
        List<PendingId> queued = List.of(device.nextPendingId(), device.nextPendingId().lagging(3 * 60 * MINUTE),
                device.nextPendingId(), device.nextPendingId().lagging(MINUTE));
        for (int i = 0; i < queued.size(); i++) {
            device.labeler().onReading(queued.get(i), i * MINUTE);
        }

        DeviceState restored = decode(CheckpointCodec.encode(device));

        assertThat(restored.labeler().advance(1000 * MINUTE)).extracting(Resolution::reading)
                .containsExactlyElementsOf(queued);
        assertThat(restored.nextPendingId()).isEqualTo(new PendingId(4));
    }

    @Test
    void shouldContinueWithTheSameFeaturesRiskAndBytesAfterACheckpoint() {
        RiskThresholds thresholds = new RiskThresholds(0.8, 0.3, 2);
        DeviceState device = new DeviceState("M", 4, POLICY);
        for (int i = 0; i < 7; i++) {
            Observation observation = observe(device, i * MINUTE + i * i,
                    Map.of("torque", 40 + 1.5 * i, "speed", 1500.0 - i * i), Map.of());
            device.risk().update(i < 4 ? 0.9 : 0.5, thresholds);
            device.pending(observation, scored(0.5), i, 1);
            device.labeler().onReading(device.nextPendingId(), i * MINUTE);
        }
        device.labeler().onFailure(3 * MINUTE + 1);
        device.features().update(7 * MINUTE, Map.of("torque", 41.0));

        byte[] bytes = CheckpointCodec.encode(device);
        DeviceState restored = decode(bytes);

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
        byte[] javaSerialised = versioned(1, CheckpointCodec.serialise(new ArrayList<>(List.of("a device state of version 1"))));
        byte[] unknown = current.clone();
        unknown[0] = 2;
        byte[] newer = current.clone();
        newer[0] = CheckpointCodec.DEVICE_FORMAT_VERSION + 1;

        assertThatThrownBy(() -> decode(javaSerialised))
                .isInstanceOf(CheckpointDecodingException.class).hasMessageContaining("version 1");
        assertThatThrownBy(() -> decode(unknown)).isInstanceOf(CheckpointDecodingException.class);
        assertThatThrownBy(() -> decode(newer)).isInstanceOf(CheckpointDecodingException.class)
                .hasMessageContaining("version " + (CheckpointCodec.DEVICE_FORMAT_VERSION + 1));
        assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(CheckpointDecodingException.class);
        assertThatThrownBy(() -> decode(Arrays.copyOf(current, current.length - 1)))
                .isInstanceOf(CheckpointDecodingException.class);
        assertThatThrownBy(() -> decode(Arrays.copyOf(current, current.length + 1)))
                .isInstanceOf(CheckpointDecodingException.class);
    }

    @Test
    void shouldRestoreFeatureNamesOfEveryShapeAndThePendingObservationsTheyAlign() {
        DeviceState device = new DeviceState("H", 5, POLICY);
        Observation observation = observe(device, MINUTE,
                Map.of("torque", 1.0, "vib.x", 2.0, "vib.x.std.extra", 3.0, "speed.slope", 4.0), Map.of());
        PendingReading pending = device.pending(observation, scored(0.4), 1, 1);
        device.labeler().onReading(device.nextPendingId(), MINUTE);

        DeviceState restored = decode(CheckpointCodec.encode(device));

        assertThat(restored.observation(pending).numeric()).isEqualTo(observation.numeric())
                .containsKeys("torque.mean", "vib.x.min", "vib.x.std.extra.max", "speed.slope.mean");
        assertThat(CheckpointCodec.encode(restored)).isEqualTo(CheckpointCodec.encode(device));
    }

    @Test
    void shouldRejectEveryTruncationAndSurviveCorruptBytesOfADeviceCheckpoint() {
        DeviceState device = new DeviceState("M", 10, POLICY);
        for (int i = 0; i < 20; i++) {
            device.pending(observe(device, i * MINUTE, Map.of("torque", 40.0 + i, "speed", 1500.0 - i), Map.of()),
                    scored(0.5), i, 1);
            device.labeler().onReading(device.nextPendingId(), i * MINUTE);
        }
        device.labeler().onFailure(19 * MINUTE + 1);
        byte[] bytes = CheckpointCodec.encode(device);

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> decode(truncated))
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
                decode(corrupt);
            } catch (CheckpointDecodingException expected) {
                // Either outcome is fine; anything else (an OutOfMemoryError, a runaway loop) is not.
            }
        }
    }

    @Test
    void shouldReadFormat3WithTheCurrentLabelPolicyInsteadOfTheOneWrittenIntoIt() {
        DeviceState device = new DeviceState("L", 3, POLICY);
        device.pending(observe(device, MINUTE, Map.of("torque", 40.0), Map.of()), scored(0.5), 1, 1);
        device.labeler().onReading(device.nextPendingId(), MINUTE);
        byte[] current = CheckpointCodec.encode(device);
        byte[] format3 = format3(format4(format5(current, device), device), device);
        LabelPolicy longer = new LabelPolicy(Duration.ofHours(3), Duration.ofMinutes(5), 100,
                LabelPolicy.RepairPolicy.CENSOR);

        DeviceState restored = CheckpointCodec.decodeDevice(format3, longer, new PerMachineType<>(Map.of("*", 3)));

        assertThat(CheckpointCodec.encode(restored)).isEqualTo(current);
        // Under the written two hours the reading would be resolved negative by now; under the current three it waits.
        assertThat(restored.labeler().advance(MINUTE + Duration.ofMinutes(150).toMillis())).isEmpty();
        assertThat(device.labeler().advance(MINUTE + Duration.ofMinutes(150).toMillis())).hasSize(1);
    }

    @Test
    void shouldStartRollingFeaturesAfreshWhenTheWindowOfTheMachineTypeChanged() {
        DeviceState device = new DeviceState("L", 3, POLICY);
        device.features().update(MINUTE, Map.of("torque", 40.0));
        byte[] bytes = CheckpointCodec.encode(device);

        DeviceState wider = CheckpointCodec.decodeDevice(bytes, POLICY, new PerMachineType<>(Map.of("*", 3, "L", 5)));
        DeviceState off = CheckpointCodec.decodeDevice(bytes, POLICY, new PerMachineType<>(Map.of("*", 0)));
        DeviceState same = CheckpointCodec.decodeDevice(bytes, POLICY, new PerMachineType<>(Map.of("*", 3, "H", 5)));

        assertThat(wider.features().window()).isEqualTo(5);
        assertThat(wider.features().update(2 * MINUTE, Map.of("torque", 41.0))).doesNotContainKey("torque.delta");
        assertThat(off.features().window()).isZero();
        assertThat(off.features().update(2 * MINUTE, Map.of("torque", 41.0))).isEqualTo(Map.of("torque", 41.0));
        assertThat(same.features().update(2 * MINUTE, Map.of("torque", 41.0))).containsEntry("torque.delta", 1.0);
    }

    @Test
    void shouldReadFormat4AsADeviceWithNoAnomalyEpisode() {
        RiskThresholds thresholds = new RiskThresholds(0.8, 0.6, 2);
        DeviceState device = new DeviceState("L", 3, POLICY);
        device.features().update(MINUTE, Map.of("torque", 40.0));
        device.risk().update(0.9, thresholds);
        byte[] format4 = format4(format5(CheckpointCodec.encode(device), device), device);
        device.anomaly().update(0.9, thresholds);
        device.anomaly().update(0.95, thresholds);

        DeviceState fromFormat4 = decode(format4);
        DeviceState fromFormat5 = decode(format5(CheckpointCodec.encode(device), device));

        assertThat(fromFormat4.anomaly().atRisk()).isFalse();
        assertThat(fromFormat4.risk().update(0.9, thresholds)).isEqualTo(RiskTracker.Transition.RAISED);
        assertThat(fromFormat5.anomaly().atRisk()).isTrue();
        assertThat(fromFormat5.anomaly().peak()).isEqualTo(0.95);
        assertThat(CheckpointCodec.encode(fromFormat5)).isEqualTo(CheckpointCodec.encode(device));
    }

    @Test
    void shouldReadFormat5AsADeviceWithNoEpisodeWaitingForItsVerdictAndKeepTheWaitingOnesOfLaterFormats() {
        RiskThresholds thresholds = new RiskThresholds(0.8, 0.6, 1);
        long horizon = Duration.ofHours(2).toMillis();
        DeviceState device = new DeviceState("L", 3, POLICY);
        device.alertWatch().onReading(MINUTE, 0.9, true, false, thresholds, horizon);
        byte[] current = CheckpointCodec.encode(device);

        DeviceState fromFormat5 = decode(format5(current, device));
        DeviceState fromCurrent = decode(current);

        assertThat(fromFormat5.alertWatch().onFailure(2 * MINUTE, horizon))
                .contains(AlertEvent.of(AlertEvent.Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
        assertThat(fromCurrent.alertWatch().onFailure(2 * MINUTE, horizon))
                .contains(AlertEvent.of(AlertEvent.Kind.CAUGHT, AlertEvent.FAILURE_RISK, MINUTE));
    }

    @Test
    void shouldReadAFormat6CheckpointWrittenBeforeEveryFeatureHadASlotFromItsFirstReading() throws IOException {
        RollingFeatures uninterrupted = new RollingFeatures(3);
        DeviceState written = new DeviceState("L", 3, POLICY);
        for (int i = 0; i < 5; i++) {
            Map<String, Double> sensors = Map.of("torque", 40.0 + i, "speed", 1500.0 - i * i);
            uninterrupted.update(i * MINUTE, sensors);
            written.features().update(i * MINUTE, sensors);
        }
        written.labeler().onReading(written.nextPendingId(), 4 * MINUTE);
        // Before, a device's names were those of its queued readings, in the order they were met.
        byte[] before = format6(List.of("speed", "torque.mean"), written);
        PendingReading queued = new PendingReading(new double[] {1484.0, 42.0}, Map.of(), scored(0.5), 4, 1);

        DeviceState restored = decode(before);

        assertThat(restored.observation(queued).numeric()).isEqualTo(Map.of("speed", 1484.0, "torque.mean", 42.0));
        Map<String, Double> next = Map.of("torque", 39.0, "speed", 1400.0);
        assertThat(restored.features().update(5 * MINUTE, next)).isEqualTo(uninterrupted.update(5 * MINUTE, next));
        assertThat(decode(CheckpointCodec.encode(restored)).observation(queued).numeric())
                .isEqualTo(Map.of("speed", 1484.0, "torque.mean", 42.0));
        assertThatThrownBy(() -> decode(format6(List.of("speed", "speed"), written)))
                .isInstanceOf(CheckpointDecodingException.class).hasMessageContaining("feature names");
    }

    @Test
    void shouldPackOnlyObservationsOfItsOwnFeatures() {
        DeviceState device = new DeviceState("L", 3, POLICY);
        DeviceState other = new DeviceState("L", 3, POLICY);

        assertThatThrownBy(() -> device.pending(new Observation(Map.of("torque", 40.0), Map.of()), scored(0.5), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device.pending(observe(other, MINUTE, Map.of("torque", 40.0), Map.of()), scored(0.5),
                1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code device} in format 6, but with feature names {@code names}; its one queued reading has id 0. */
    private static byte[] format6(List<String> names, DeviceState device) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(CheckpointCodec.DEVICE_FORMAT_WITHOUT_LAG);
            out.writeUTF(device.machineType());
            ByteUtils.writeVarlong(1, out);
            out.write(FeatureNames.encode(names));
            out.writeBoolean(true);
            device.features().writeTo(out);
            device.labeler().writeTo(out, (to, id) -> ByteUtils.writeVarlong(1 - id.value(), to));
            device.risk().writeTo(out);
            device.anomaly().writeTo(out);
            device.alertWatch().writeTo(out);
        }
        return bytes.toByteArray();
    }

    /** A reading of {@code device} as the model stage observes it. */
    private static Observation observe(DeviceState device, long time, Map<String, Double> sensors,
                                       Map<String, String> attributes) {
        return new Observation(device.features().update(time, sensors), attributes);
    }

    /** What format 5 wrote for {@code device}: a later format's bytes (no reading lagged) without the alert watch that ends them. */
    private static byte[] format5(byte[] format6, DeviceState device) {
        return withoutLast(format6, device.alertWatch()::writeTo, CheckpointCodec.DEVICE_FORMAT_WITHOUT_WATCH);
    }

    /** What format 4 wrote for {@code device}: format 5 without the anomaly episode that ends it. */
    private static byte[] format4(byte[] format5, DeviceState device) {
        return withoutLast(format5, device.anomaly()::writeTo, CheckpointCodec.DEVICE_FORMAT_WITHOUT_ANOMALY);
    }

    /** Part of a checkpoint that ends it. */
    private interface Part {
        void writeTo(DataOutput out) throws IOException;
    }

    /** {@code bytes} without the {@code last} part that ends them, as format {@code version}. */
    private static byte[] withoutLast(byte[] bytes, Part last, byte version) {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(part)) {
            last.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] earlier = Arrays.copyOf(bytes, bytes.length - part.size());
        earlier[0] = version;
        return earlier;
    }

    /** What format 3 wrote for {@code device}: format 4 with the labeler's policy before its stream time. */
    private static byte[] format3(byte[] format4, DeviceState device) {
        ByteArrayOutputStream policy = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(policy)) {
            ByteUtils.writeVarlong(POLICY.horizon().toMillis(), out);
            ByteUtils.writeVarlong(POLICY.grace().toMillis(), out);
            ByteUtils.writeVarint(POLICY.maxPending(), out);
            out.writeUTF(POLICY.onRepair().name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int labelerAt = labelerOffset(format4, device);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(CheckpointCodec.DEVICE_FORMAT_WITH_POLICY);
        bytes.write(format4, 1, labelerAt - 1);
        bytes.writeBytes(policy.toByteArray());
        bytes.write(format4, labelerAt, format4.length - labelerAt);
        return bytes.toByteArray();
    }

    /** Where the labeler starts in a format 4 device checkpoint: before the labeler and the risk tracker that end it. */
    private static int labelerOffset(byte[] encoded, DeviceState device) {
        ByteArrayOutputStream labeler = new ByteArrayOutputStream();
        ByteArrayOutputStream risk = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(labeler); DataOutputStream riskOut = new DataOutputStream(risk)) {
            // The device's one queued reading has id 0 and the next id is 1: its id is written as 1 - 0.
            device.labeler().writeTo(out, (to, id) -> ByteUtils.writeVarlong(1, to));
            device.risk().writeTo(riskOut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return encoded.length - labeler.size() - risk.size();
    }

    private static DeviceState decode(byte[] bytes) {
        return CheckpointCodec.decodeDevice(bytes, POLICY, new PerMachineType<>(Map.of("*", 3, "M", 4, "H", 5)));
    }

    private static byte[] versioned(int version, byte[] body) {
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = (byte) version;
        System.arraycopy(body, 0, bytes, 1, body.length);
        return bytes;
    }

    private static Scored scored(double failure) {
        return new Scored(failure > 0.5 ? "failure" : "normal", failure > 0.5 ? 1 : 0,
                new double[] {1 - failure, failure}, failure, 7, List.of(), null, null);
    }
}
