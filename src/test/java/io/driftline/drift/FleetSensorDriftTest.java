package io.driftline.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetSensorDriftTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final int DEVICES = 20;
    private static final DataDriftSettings SETTINGS = new DataDriftSettings(0.002, Duration.ofDays(1), 1.0, 3,
            Set.of("tool_wear"));

    private final Random random = new Random(7);

    /** Ambient temperature: a daily cycle of 3 degrees around 25, noise 0.6. */
    private double temperature(long time) {
        return 25 + 3 * Math.sin(2 * Math.PI * (time % DAY) / DAY) + 0.6 * random.nextGaussian();
    }

    @Test
    void shouldTakeADailyCycleForNormalOnceTheBaselineCoversADay() {
        List<DataDrift> drifts = run(new FleetSensorDrift(SETTINGS), 5 * DAY, (device, time) -> temperature(time));

        assertThat(drifts).isEmpty();
    }

    @Test
    void shouldReportTheDailyCycleWhenTheBaselineCoversOnlyPartOfADay() {
        DataDriftSettings sixHours = new DataDriftSettings(0.002, Duration.ofHours(6), 1.0, 3, Set.of());

        List<DataDrift> drifts = run(new FleetSensorDrift(sixHours), 2 * DAY, (device, time) -> temperature(time));

        assertThat(drifts).as("a pooled baseline of the night sees the afternoon as drift").isNotEmpty();
    }

    @Test
    void shouldNotReportOneDeviceDegrading() {
        List<DataDrift> drifts = run(new FleetSensorDrift(SETTINGS), 3 * DAY, (device, time) -> {
            double value = temperature(time);
            // Device 0 heats up by up to 10 standard deviations over its last day.
            return device == 0 && time > 2 * DAY ? value + 6.0 * (time - 2 * DAY) / DAY : value;
        });

        assertThat(drifts).isEmpty();
    }

    @Test
    void shouldReportAFleetWideStepOnceNamingTheDevicesAndTheShift() {
        long step = 2 * DAY + 5 * HOUR;
        List<DataDrift> drifts = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        FleetSensorDrift monitor = new FleetSensorDrift(SETTINGS);
        long reading = 0;
        for (long time = 0; time < 4 * DAY; time += MINUTE) {
            for (int device = 0; device < DEVICES; device++) {
                double value = temperature(time) + (time >= step ? 6 : 0);
                for (DataDrift drift : monitor.add("D" + device, time, Map.of("temperature", value), ++reading)) {
                    drifts.add(drift);
                    times.add(time);
                }
            }
        }

        assertThat(drifts).hasSize(1);
        DataDrift drift = drifts.get(0);
        assertThat(times.get(0)).isBetween(step, step + HOUR);
        assertThat(drift.sensor()).isEqualTo("temperature");
        assertThat(drift.meanAfter() - drift.meanBefore()).isCloseTo(6.0, within(0.5));
        assertThat(drift.spreadBefore()).isCloseTo(0.6, within(0.2));
        assertThat(drift.spreadAfter()).isCloseTo(0.6, within(0.2));
        assertThat(drift.devicesWatched()).isEqualTo(DEVICES);
        assertThat(drift.devicesAffected()).isGreaterThanOrEqualTo(DEVICES / 2);
        assertThat(drift.devices()).hasSize(10).allSatisfy(device -> assertThat(device).startsWith("D"));
    }

    @Test
    void shouldSkipMissingValuesAndExcludedSensors() {
        FleetSensorDrift monitor = new FleetSensorDrift(SETTINGS);
        long reading = 0;
        List<DataDrift> drifts = new ArrayList<>();
        for (long time = 0; time < 3 * DAY; time += MINUTE) {
            for (int device = 0; device < DEVICES; device++) {
                Map<String, Double> values = new HashMap<>();
                values.put("temperature", time % 7 == 0 ? Double.valueOf(Double.NaN) : time % 11 == 0 ? null : temperature(time));
                // A counter grows by design: excluded, so never drift.
                values.put("tool_wear", (double) time / MINUTE);
                drifts.addAll(monitor.add("D" + device, time, values, ++reading));
            }
        }

        assertThat(drifts).isEmpty();
    }

    @Test
    void shouldForgetDevicesSilentForLongerThanTheBaseline() {
        FleetSensorDrift monitor = new FleetSensorDrift(SETTINGS);
        monitor.add("gone", 0, Map.of("temperature", 25.0), 1);
        for (long time = MINUTE; time < 2 * DAY; time += HOUR) {
            monitor.add("stays", time, Map.of("temperature", 25.0), 2);
        }

        assertThat(monitor.devices()).isEqualTo(1);
    }

    private interface Values {
        double at(int device, long time);
    }

    private static List<DataDrift> run(FleetSensorDrift monitor, long until, Values values) {
        List<DataDrift> drifts = new ArrayList<>();
        long reading = 0;
        for (long time = 0; time < until; time += MINUTE) {
            for (int device = 0; device < DEVICES; device++) {
                drifts.addAll(monitor.add("D" + device, time, Map.of("temperature", values.at(device, time)), ++reading));
            }
        }
        return drifts;
    }
}
