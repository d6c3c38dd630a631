package io.driftline.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SensorDriftMonitorTest {

    @Test
    void shouldStayQuietOnAStationarySensor() {
        SensorDriftMonitor monitor = new SensorDriftMonitor("temperature", 0.002, 500, 0.5);
        Random random = new Random(7);

        List<DataDrift> drifts = feed(monitor, random, 70.0, 2.0, 1, 50_000);

        assertThat(monitor.isWarmedUp()).isTrue();
        assertThat(monitor.baselineMean()).isCloseTo(70.0, within(0.5));
        assertThat(drifts).isEmpty();
    }

    @Test
    void shouldReportAShiftOnceWithMeansInSensorUnits() {
        SensorDriftMonitor monitor = new SensorDriftMonitor("temperature", 0.002, 500, 0.5);
        Random random = new Random(7);
        feed(monitor, random, 70.0, 2.0, 1, 5_000);

        List<DataDrift> drifts = feed(monitor, random, 76.0, 2.0, 5_001, 5_000);

        assertThat(drifts).hasSize(1);
        DataDrift drift = drifts.get(0);
        assertThat(drift.sensor()).isEqualTo("temperature");
        assertThat(drift.reading()).isBetween(5_001L, 5_400L);
        assertThat(drift.meanBefore()).isCloseTo(70.0, within(0.5));
        assertThat(drift.meanAfter()).isGreaterThan(72.0);
        assertThat(monitor.baselineMean()).as("re-baselined on the new regime").isCloseTo(76.0, within(0.5));
    }

    @Test
    void shouldIgnoreNonFiniteValues() {
        SensorDriftMonitor monitor = new SensorDriftMonitor("current", 0.002, 2, 0.5);
        monitor.add(Double.NaN, 1);
        monitor.add(Double.POSITIVE_INFINITY, 2);
        monitor.add(1.0, 3);

        assertThat(monitor.isWarmedUp()).isFalse();
    }

    private static List<DataDrift> feed(SensorDriftMonitor monitor, Random random, double mean, double stddev,
                                        long first, int count) {
        List<DataDrift> drifts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            monitor.add(mean + stddev * random.nextGaussian(), first + i).ifPresent(drifts::add);
        }
        return drifts;
    }
}
