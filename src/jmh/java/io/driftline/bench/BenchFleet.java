package io.driftline.bench;

import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.core.Observations;
import io.driftline.features.RollingFeatures;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.Observation;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The benchmarks' data: the bench command's fleet, as readings and as the observations a model sees. */
final class BenchFleet {

    static final DriftlineConfig CONFIG = DriftlineConfig.load(Map.of(
            DriftlineConfig.MACHINE_TYPES, "L,M,H",
            DriftlineConfig.LABEL_HORIZON_MS, Long.toString(Duration.ofHours(2).toMillis()),
            DriftlineConfig.DATA_DRIFT_EXCLUDE, "tool_wear_min"), null, Map.of(), Map.of());
    static final ModelSettings MODEL = CONFIG.modelSettings();

    private BenchFleet() {
    }

    /** {@code count} readings of 1,000 machines, labelled with the simulator's oracle (2-hour horizon). */
    static List<SensorReading> readings(int count) {
        FleetSimulator fleet = new FleetSimulator(new FleetSimulator.Settings(1000, 42,
                Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMinutes(1), 0.1, Duration.ofHours(12),
                Duration.ofHours(2), Scenario.NONE, Duration.ofHours(12), Duration.ofHours(2)));
        List<SensorReading> readings = new ArrayList<>(count);
        while (readings.size() < count) {
            if (fleet.next() instanceof FleetSimulator.Reading reading) {
                readings.add(reading.reading());
            }
        }
        return readings;
    }

    /** Each reading's sensors with its device's rolling features (window 10), as the model stage builds them. */
    static List<Observation> observations(List<SensorReading> readings) {
        Map<String, RollingFeatures> devices = new HashMap<>();
        List<Observation> observations = new ArrayList<>(readings.size());
        for (SensorReading reading : readings) {
            observations.add(Observations.of(reading,
                    devices.computeIfAbsent(reading.getDeviceId(), id -> new RollingFeatures(10))));
        }
        return observations;
    }
}
