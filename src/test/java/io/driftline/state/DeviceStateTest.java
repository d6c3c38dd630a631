package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.label.LabelPolicy;
import io.driftline.label.Resolution;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceStateTest {

    private static final LabelPolicy POLICY = new LabelPolicy(Duration.ofHours(2), Duration.ofMinutes(5), 100,
            LabelPolicy.RepairPolicy.CENSOR);
    private static final long MINUTE = 60_000;

    @Test
    void shouldEncodeAPendingReadingLosslessly() {
        DeviceState device = new DeviceState("L", 0, POLICY);
        device.pending(new Observation(Map.of("a", 1.5), Map.of()), scored(0.25), 1);
        PendingReading pending = device.pending(new Observation(Map.of("b", -0.0, "c", Double.MIN_VALUE),
                Map.of("firmware", "v2")), scored(0.75), 42);

        PendingReading decoded = PendingReading.decode(pending.encode());

        assertThat(decoded.numeric()).containsExactly(pending.numeric());
        assertThat(Double.isNaN(decoded.numeric()[0])).isTrue();
        assertThat(decoded.nominal()).isEqualTo(Map.of("firmware", "v2"));
        assertThat(decoded.scored().predictedClass()).isEqualTo("failure");
        assertThat(decoded.scored().probabilities()).containsExactly(0.25, 0.75);
        assertThat(decoded.scored().positiveProbability()).isEqualTo(0.75);
        assertThat(decoded.scored().modelVersion()).isEqualTo(7);
        assertThat(decoded.sequence()).isEqualTo(42);
        assertThat(device.observation(decoded).numeric()).isEqualTo(Map.of("b", -0.0, "c", Double.MIN_VALUE));
    }

    @Test
    void shouldResolveTheSameReadingsAfterACheckpoint() {
        DeviceState device = new DeviceState("L", 3, POLICY);
        for (int i = 0; i < 10; i++) {
            device.pending(new Observation(Map.of("a", (double) i), Map.of()), scored(0.5), i);
            device.labeler().onReading(device.nextPendingId(), i * MINUTE);
        }
        device.labeler().onFailure(10 * MINUTE + 1);

        DeviceState restored = CheckpointCodec.decode(CheckpointCodec.encode(device), DeviceState.class);

        assertThat(restored.labeler().pendingCount()).isEqualTo(device.labeler().pendingCount());
        assertThat(restored.nextPendingId()).isEqualTo(device.nextPendingId());
        assertThat(restored.observation(restored.pending(new Observation(Map.of("a", 1.0), Map.of()), scored(0), 0)))
                .isEqualTo(device.observation(device.pending(new Observation(Map.of("a", 1.0), Map.of()), scored(0), 0)));
        // A reading just after the failure is within its horizon: the remembered failure labels it at once.
        List<Resolution<PendingId>> original = device.labeler().onReading(new PendingId(99), 10 * MINUTE);
        List<Resolution<PendingId>> afterCheckpoint = restored.labeler().onReading(new PendingId(99), 10 * MINUTE);
        assertThat(afterCheckpoint).isEqualTo(original).isNotEmpty();
        assertThat(restored.labeler().advance(200 * MINUTE)).isEqualTo(device.labeler().advance(200 * MINUTE));
    }

    private static Scored scored(double failure) {
        return new Scored(failure > 0.5 ? "failure" : "normal", failure > 0.5 ? 1 : 0,
                new double[] {1 - failure, failure}, failure, 7, List.of());
    }
}
