package io.driftline.cli;

import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.sim.FleetPublisher;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.Scenario;
import io.driftline.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the fleet simulator: readings and maintenance events of degrading machines, with scripted drift.")
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    SimulationOptions simulation;

    @Option(names = "--readings", paramLabel = "N", description = "Stop after N readings (default: never).")
    long readings = Long.MAX_VALUE;

    @Override
    public Integer call() {
        DriftlineConfig config = options.load();
        Map<String, Object> clientSettings = config.kafkaClientSettings();
        Topics topics = Topics.from(config, config.registryClientSettings(config.registryUrlToConnect()));
        TopicAdmin.ensureTopics(clientSettings, List.of(topics.readings().name(), topics.maintenance().name()),
                config.getInt(DriftlineConfig.TOPIC_PARTITIONS),
                config.getShort(DriftlineConfig.TOPIC_REPLICATION_FACTOR), Duration.ofSeconds(60));
        try (FleetPublisher publisher = new FleetPublisher(clientSettings, topics, simulation.rate)) {
            long sent = publisher.publish(new FleetSimulator(simulation.settings()), readings, () -> false);
            System.err.printf("Simulated %d readings.%n", sent);
        }
        return 0;
    }

    /** Simulator options shared with {@code demo}. */
    static final class SimulationOptions {
        @Option(names = "--devices", paramLabel = "D", defaultValue = "100", description = "Machines (default: ${DEFAULT-VALUE}).")
        int devices;

        @Option(names = "--rate", paramLabel = "R", defaultValue = "2000",
                description = "Readings per second, wall clock (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--scenario", defaultValue = "FIRMWARE",
                description = "Drift scenario: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Scenario scenario;

        @Option(names = "--interval", defaultValue = "PT1M",
                description = "Simulated time between two readings of a machine, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(names = "--drift-at", defaultValue = "PT12H",
                description = "Simulated time after the start when the scenario begins (default: ${DEFAULT-VALUE}).")
        Duration driftAt;

        @Option(names = "--failure-rate", defaultValue = "0.1",
                description = "Failures per machine per simulated day (default: ${DEFAULT-VALUE}).")
        double failureRate;

        @Option(names = "--in-band-labels", paramLabel = "HORIZON",
                description = "Attach the simulator's oracle label (fails within HORIZON, ISO-8601, e.g. PT6H) to each reading.")
        Duration labelHorizon;

        @Mixin
        DegradationOptions degradation;

        FleetSimulator.Settings settings() {
            return fleet(devices, seed, interval, failureRate, degradation, scenario, driftAt, labelHorizon);
        }

        /** The simulation of {@code devices} machines, with the repair time every command uses. */
        static FleetSimulator.Settings fleet(int devices, long seed, Duration interval, double failureRate,
                                             DegradationOptions degradation, Scenario scenario, Duration driftAt,
                                             Duration labelHorizon) {
            return new FleetSimulator.Settings(devices, seed, Instant.parse("2026-01-01T00:00:00Z"), interval,
                    failureRate, degradation.shortest(), degradation.longest(), degradation.healthyFor,
                    Duration.ofHours(2), scenario, driftAt, labelHorizon);
        }
    }
}
