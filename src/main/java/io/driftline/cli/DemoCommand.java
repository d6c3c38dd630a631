package io.driftline.cli;

import io.driftline.app.DriftlineService;
import io.driftline.app.Infrastructure;
import io.driftline.app.Logging;
import io.driftline.config.DriftlineConfig;
import io.driftline.sim.FleetPublisher;
import io.driftline.sim.FleetSimulator;
import io.driftline.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Everything at once: embedded broker and registry, the topology, the fleet simulator with a "
                + "drift scenario, and a live view of alerts and model figures. Ctrl-C stops it all.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    SimulateCommand.SimulationOptions simulation;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Labels come the realistic way, from the simulator's FAILURE events: a reading is a failure
        // precursor when its machine fails within 2 simulated hours.
        // Data drift is judged against a baseline of about a simulated day per model, so that the
        // daily ambient cycle is normal; tool wear is a counter and drifts by design.
        DriftlineConfig config = options.load(Map.of(
                DriftlineConfig.MACHINE_TYPES, "L,M,H,X",
                DriftlineConfig.DATA_DIR, "data/demo",
                DriftlineConfig.LABEL_HORIZON_MS, Long.toString(Duration.ofHours(2).toMillis()),
                DriftlineConfig.DATA_DRIFT_EXCLUDE, "tool_wear_min"));
        // A demo compresses time: more failures, and the scenario once the baselines are in place.
        ParseResult parsed = spec.commandLine().getParseResult();
        if (!parsed.hasMatchedOption("--failure-rate")) {
            simulation.failureRate = 0.5;
        }
        if (!parsed.hasMatchedOption("--drift-at")) {
            simulation.driftAt = Duration.ofHours(36);
        }
        List<AutoCloseable> resources = new ArrayList<>();
        Infrastructure infrastructure = Infrastructure.start(config);
        DriftlineService service = DriftlineService.start(config, infrastructure);
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));

        LiveView view = new LiveView(infrastructure.clientSettings(), topics, System.out, System.console() != null);
        Thread viewThread = new Thread(view, "driftline-live-view");
        FleetPublisher publisher = new FleetPublisher(infrastructure.clientSettings(), topics, simulation.rate);
        Thread simulator = new Thread(() -> publisher.publish(new FleetSimulator(simulation.settings()),
                Long.MAX_VALUE, () -> Thread.currentThread().isInterrupted()), "driftline-simulator");
        simulator.setDaemon(true);
        viewThread.setDaemon(true);
        System.err.printf("Driftline demo: %d machines, scenario %s at +%s simulated; %s. Ctrl-C stops. Full log: %s%n",
                simulation.devices, simulation.scenario, simulation.driftAt, infrastructure, Logging.fileIn(config.dataDir()));
        service.httpUrl(config.getString(DriftlineConfig.HTTP_HOST))
                .ifPresent(url -> System.err.printf("Dashboard: %s%n", url));
        viewThread.start();
        simulator.start();

        resources.add(() -> {
            simulator.interrupt();
            simulator.join(5_000);
        });
        resources.add(publisher);
        resources.add(view::stop);
        resources.add(service);
        resources.add(infrastructure);
        Shutdown.closeOnSignal(resources);
        return 0;
    }
}
