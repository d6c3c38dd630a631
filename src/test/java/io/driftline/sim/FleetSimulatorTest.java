package io.driftline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.SensorReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static FleetSimulator.Settings settings(int devices, double failureRate, Scenario scenario, Duration driftAt) {
        return new FleetSimulator.Settings(devices, 42, START, Duration.ofMinutes(1), failureRate, Duration.ofHours(12),
                Duration.ofHours(2), scenario, driftAt, null);
    }

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        FleetSimulator first = new FleetSimulator(settings(20, 0.5, Scenario.FIRMWARE, Duration.ofHours(6)));
        FleetSimulator second = new FleetSimulator(settings(20, 0.5, Scenario.FIRMWARE, Duration.ofHours(6)));
        for (int i = 0; i < 50_000; i++) {
            assertThat(second.next()).isEqualTo(first.next());
        }
    }

    @Test
    void shouldFailAtTheConfiguredRateAndRepairEveryFailedMachine() {
        int devices = 200;
        int days = 5;
        double rate = 0.05;
        FleetSimulator simulator = new FleetSimulator(settings(devices, rate, Scenario.NONE, Duration.ofDays(365)));
        long end = START.plus(Duration.ofDays(days)).toEpochMilli();
        Map<MaintenanceKind, Integer> counts = new HashMap<>();
        long lastTime = 0;
        FleetSimulator.Event event;
        while ((event = simulator.next()).timeMillis() < end) {
            assertThat(event.timeMillis()).as("simulated-time order").isGreaterThanOrEqualTo(lastTime);
            lastTime = event.timeMillis();
            if (event instanceof FleetSimulator.Maintenance maintenance) {
                counts.merge(maintenance.event().getKind(), 1, Integer::sum);
            }
        }

        double perDeviceDay = counts.getOrDefault(MaintenanceKind.FAILURE, 0) / (double) (devices * days);
        assertThat(perDeviceDay).isCloseTo(rate, within(rate / 2));
        assertThat(counts.get(MaintenanceKind.REPAIR)).isBetween(counts.get(MaintenanceKind.FAILURE) - devices / 10,
                counts.get(MaintenanceKind.FAILURE));
    }

    @Test
    void shouldDegradeTowardsAFailure() {
        FleetSimulator simulator = new FleetSimulator(settings(50, 1.0, Scenario.NONE, Duration.ofDays(365)));
        Map<String, List<Double>> vibration = new HashMap<>();
        List<Double> beforeFailure = new ArrayList<>();
        List<Double> healthy = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            FleetSimulator.Event event = simulator.next();
            if (event instanceof FleetSimulator.Reading reading) {
                vibration.computeIfAbsent(reading.deviceId(), id -> new ArrayList<>())
                        .add(reading.reading().getSensors().get(MachineType.VIBRATION));
            } else if (((FleetSimulator.Maintenance) event).event().getKind() == MaintenanceKind.FAILURE) {
                List<Double> history = vibration.remove(event.deviceId());
                if (history != null && history.size() > 720) {
                    beforeFailure.addAll(history.subList(history.size() - 30, history.size()));
                    healthy.addAll(history.subList(0, 30));
                }
            }
        }

        assertThat(beforeFailure).isNotEmpty();
        assertThat(mean(beforeFailure)).isGreaterThan(mean(healthy) + 3);
    }

    @Test
    void shouldScaleTypeMVibrationAfterTheFirmwareUpdate() {
        Duration driftAt = Duration.ofHours(6);
        FleetSimulator simulator = new FleetSimulator(settings(60, 0.0, Scenario.FIRMWARE, driftAt));
        long drift = START.plus(driftAt).toEpochMilli();
        Map<String, List<Double>> before = new HashMap<>();
        Map<String, List<Double>> after = new HashMap<>();
        FleetSimulator.Event event;
        while ((event = simulator.next()).timeMillis() < drift + Duration.ofHours(6).toMillis()) {
            if (event instanceof FleetSimulator.Reading reading) {
                SensorReading r = reading.reading();
                (event.timeMillis() < drift ? before : after).computeIfAbsent(r.getMachineType(), t -> new ArrayList<>())
                        .add(r.getSensors().get(MachineType.VIBRATION));
            }
        }

        assertThat(mean(after.get("M")) / mean(before.get("M"))).isCloseTo(2.5, within(0.1));
        assertThat(mean(after.get("L")) / mean(before.get("L"))).isCloseTo(1.0, within(0.05));
    }

    @Test
    void shouldStartNoDegradationWhileTheFleetIsHealthyAndDrawEachLengthFromTheRange() {
        Duration healthyFor = Duration.ofHours(12);
        Duration shortest = Duration.ofHours(2);
        Duration longest = Duration.ofHours(8);
        FleetSimulator simulator = new FleetSimulator(new FleetSimulator.Settings(100, 42, START, Duration.ofMinutes(1),
                2.0, shortest, longest, healthyFor, Duration.ofHours(2), Scenario.NONE, Duration.ofDays(365),
                Duration.ofHours(1)));
        long end = START.plus(Duration.ofDays(3)).toEpochMilli();
        List<SimulatedFailure> failures = new ArrayList<>();
        Map<String, Long> lastNormal = new HashMap<>();
        FleetSimulator.Event event;
        while ((event = simulator.next()).timeMillis() < end) {
            if (event instanceof FleetSimulator.Reading reading) {
                if (reading.reading().getLabel().equals("normal")) {
                    lastNormal.put(event.deviceId(), event.timeMillis());
                }
                continue;
            }
            FleetSimulator.Maintenance maintenance = (FleetSimulator.Maintenance) event;
            SimulatedFailure failure = maintenance.failure();
            if (maintenance.event().getKind() != MaintenanceKind.FAILURE) {
                assertThat(failure).isNull();
                continue;
            }
            assertThat(failure.deviceId()).isEqualTo(event.deviceId());
            assertThat(failure.failedAt().toEpochMilli()).isEqualTo(event.timeMillis());
            assertThat(event.deviceId()).startsWith(failure.machineType() + "-");
            // The oracle label turns to failure one horizon before the drawn end, which the failure
            // follows at the next reading.
            assertThat(failure.failedAt().toEpochMilli() - lastNormal.get(event.deviceId()))
                    .isBetween(Duration.ofHours(1).toMillis(), Duration.ofHours(1).plusMinutes(2).toMillis());
            failures.add(failure);
        }

        assertThat(failures).hasSizeGreaterThan(100);
        assertThat(failures).allSatisfy(failure -> {
            assertThat(failure.degradationStart()).isAfterOrEqualTo(START.plus(healthyFor));
            // A degradation ends at the first reading past its length: up to one reading interval later.
            assertThat(failure.degradation()).isBetween(shortest, longest.plusMinutes(1).plusMillis(1));
        });
        List<Long> hours = failures.stream().map(failure -> failure.degradation().toHours()).distinct().toList();
        assertThat(hours).as("lengths spread over the range").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldFailExactlyTheFixedLengthAfterADegradationStarts() {
        FleetSimulator simulator = new FleetSimulator(settings(30, 1.0, Scenario.NONE, Duration.ofDays(365)));
        int failures = 0;
        for (int i = 0; i < 100_000; i++) {
            if (simulator.next() instanceof FleetSimulator.Maintenance maintenance && maintenance.failure() != null) {
                // Readings fall on whole minutes, as does 12 hours: the failure is a millisecond after its last reading.
                assertThat(maintenance.failure().degradation()).isEqualTo(Duration.ofHours(12).plusMillis(1));
                failures++;
            }
        }
        assertThat(failures).isPositive();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
