package io.driftline.cli;

import io.driftline.app.FleetEvaluation;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.ModelScope;
import io.driftline.config.PipelineSettings;
import io.driftline.sim.Scenario;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code evaluate --fleet}: a simulator scenario through the per-model logic, scored against its
 * ground truth ({@link FleetEvaluation}). Settings are {@code run}'s, except a 2-hour
 * {@code label.horizon.ms} ({@code --set} overrides it); simulator defaults are {@code simulate}'s,
 * except the fleet size, the run length and the drift time: issue #19's measuring conditions.
 */
final class FleetOptions {

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final Duration LABEL_HORIZON = Duration.ofHours(2);

    @Option(names = "--fleet", description = "Score a simulator scenario's drift alerts instead of a MOA stream.")
    boolean fleet;

    @Option(names = "--scenario", paramLabel = "S", defaultValue = "FIRMWARE",
            description = "With --fleet: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Scenario scenario;

    @Option(names = "--devices", paramLabel = "D", defaultValue = "1000",
            description = "With --fleet: machines (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "7",
            description = "With --fleet: simulated days to run, e.g. 0.5 (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--drift-at", paramLabel = "DURATION", defaultValue = "P2D",
            description = "With --fleet: simulated time after the start when the scenario begins, ISO-8601 "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration driftAt;

    @Option(names = "--failure-rate", paramLabel = "F", defaultValue = "0.1",
            description = "With --fleet: failures per machine per simulated day (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "PT1M",
            description = "With --fleet: simulated time between two readings of a machine (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Mixin
    DegradationOptions degradation;

    @Option(names = "--in-band-labels", paramLabel = "HORIZON",
            description = "With --fleet: attach the simulator's oracle label (fails within HORIZON) to each reading.")
    Duration labelHorizon;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "With --fleet: random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sample-every", paramLabel = "DURATION", defaultValue = "PT6H",
            description = "With --fleet: simulated time between two points of the kappa and recall series "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration period;

    @Option(names = "--tolerance", paramLabel = "DURATION", defaultValue = "PT6H",
            description = "With --fleet: how long after a scripted change (after a gradual one's ramp; after a "
                    + "concept change's label horizon and grace) an alert still detects it; any other drift alert "
                    + "is false (default: ${DEFAULT-VALUE}).")
    Duration tolerance;

    int run(ConfigOptions options, CommandSpec spec) throws Exception {
        if (days <= 0 || devices < 1 || period.isZero() || period.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--days, --devices and --sample-every must be positive");
        }
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(DriftlineConfig.DATA_DIR, Files.createTempDirectory("driftline-evaluate").toString());
        // Issue #19 states its targets for a 2-hour label horizon.
        defaults.put(DriftlineConfig.LABEL_HORIZON_MS, Long.toString(LABEL_HORIZON.toMillis()));
        // The simulator's tool wear is a counter (it grows, and restarts at a repair): drift by design, as in the demo.
        defaults.put(DriftlineConfig.DATA_DRIFT_EXCLUDE, "tool_wear_min");
        if (scenario == Scenario.NEW_MACHINE_TYPE) {
            // Its ground truth is a new model X, which needs X among the known types.
            defaults.put(DriftlineConfig.MACHINE_TYPES, "L,M,H,X");
        }
        PipelineSettings pipeline = options.load(defaults).pipeline();
        if (pipeline.scope() == ModelScope.DEVICE) {
            throw new ParameterException(spec.commandLine(), "--fleet scores models of scope machine-type or fleet");
        }
        FleetEvaluation.Settings settings = new FleetEvaluation.Settings(
                SimulateCommand.SimulationOptions.fleet(devices, seed, interval, failureRate, degradation, scenario,
                        driftAt, labelHorizon),
                Duration.ofMillis(Math.round(days * DAY_MILLIS)), period, tolerance);
        PrintStream err = System.err;
        FleetEvaluation.Result result = FleetEvaluation.run(pipeline, settings, new RateReport(err));
        err.printf(Locale.ROOT, "%,d readings in %.1f s: %,.0f readings/s%n", result.readings(),
                result.wallTime().toMillis() / 1000.0, result.readingsPerSecond());
        FleetScoreOutput output = new FleetScoreOutput(scenario, devices, days, result);
        output.table(System.out);
        System.out.println(output.json());
        return 0;
    }

    /** Progress on stderr: readings so far, simulated time reached, and the rate. */
    private static final class RateReport implements FleetEvaluation.Progress {
        private final PrintStream out;
        private final long started = System.nanoTime();

        RateReport(PrintStream out) {
            this.out = out;
        }

        @Override
        public void readings(long readings, Duration simulated) {
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(Locale.ROOT, "%,d readings, %.2f simulated days, %,.0f readings/s%n", readings,
                    simulated.toMillis() / (double) DAY_MILLIS, readings / Math.max(seconds, 1e-9));
        }
    }
}
