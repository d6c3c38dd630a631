package io.driftline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.config.ModelScope;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Issue 18's targets as the issue states them, from a run's figures. */
class TargetsTest {

    @Test
    void shouldCapThroughputAtBothLimitsWorkInSeries() {
        // The example, the third round's run: two-stage pass-through 47,710/s, MOA 52,967/s.
        assertThat(Targets.cap(47_710, 52_967)).isCloseTo(25_101, Offset.offset(0.5));
        assertThat(13_101 / Targets.cap(47_710, 52_967)).isCloseTo(0.522, Offset.offset(0.0005));
        // Two limits of 1 ms per reading each: 2 ms per reading, 500 readings/s; no learning cost: the pass-through's.
        assertThat(Targets.cap(1_000, 1_000)).isEqualTo(500);
        assertThat(Targets.cap(1_000, Double.POSITIVE_INFINITY)).isEqualTo(1_000);
    }

    @Test
    void shouldHoldOnlyPooledModelsAgainstTheTwoStagePassThrough() {
        assertThat(ModelScope.DEVICE.poolsDevices()).isFalse();
        assertThat(ModelScope.MACHINE_TYPE.poolsDevices()).isTrue();
        assertThat(ModelScope.FLEET.poolsDevices()).isTrue();
    }

    @Test
    void shouldMeetTargetsAtTheirBounds() {
        Map<String, Criterion> criteria = Targets.criteria(0.8, 130, 100, 1_500, 500);

        assertThat(criteria.get("driftline_vs_cap")).isEqualTo(new Criterion(0.8, ">= 0.8", true));
        assertThat(criteria.get("latency_p99_vs_passthrough")).isEqualTo(new Criterion(1.3, "<= 1.3", true));
        assertThat(criteria.get("bytes_written_vs_input")).isEqualTo(new Criterion(3.0, "<= 3.0", true));
    }

    @Test
    void shouldMissEachTargetOnItsOwn() {
        // The third round's figures: 0.522 of the cap, p99 556 against 383 ms, 1,690 bytes against a reading of 150.
        Map<String, Criterion> criteria = Targets.criteria(0.522, 556, 383, 1_690, 150);

        assertThat(criteria.get("driftline_vs_cap")).isEqualTo(new Criterion(0.522, ">= 0.8", false));
        assertThat(criteria.get("latency_p99_vs_passthrough")).isEqualTo(new Criterion(1.452, "<= 1.3", false));
        assertThat(criteria.get("bytes_written_vs_input")).isEqualTo(new Criterion(11.267, "<= 3.0", false));
        assertThat(Targets.criteria(0.9, 556, 383, 300, 150).get("driftline_vs_cap").pass()).isTrue();
        assertThat(Targets.criteria(0.5, 383, 383, 1_690, 150).get("latency_p99_vs_passthrough").pass()).isTrue();
        assertThat(Targets.criteria(0.5, 556, 383, 300, 150).get("bytes_written_vs_input").pass()).isTrue();
    }

    @Test
    void shouldFailWithoutAFigureWhatTheRunCouldNotMeasure() {
        Map<String, Criterion> criteria = Targets.criteria(Double.NaN, 200, 0, 1_690, 0);

        assertThat(criteria).allSatisfy((name, criterion) -> {
            assertThat(criterion.value()).as(name).isNull();
            assertThat(criterion.pass()).as(name).isFalse();
        });
    }
}
