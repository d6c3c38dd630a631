package io.driftline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.app.Evaluation;
import io.driftline.app.Infrastructure;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.EmbeddedKafkaBroker;
import io.driftline.learn.MoaStreams;
import io.driftline.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Prequential evaluation through the real topology on a fresh embedded broker and registry.",
                "Prints, last, one JSON line: instances, accuracy and kappa (percent, as MOA prints them), concept drifts.",
                "A regression stream (a numeric class, e.g. generators.HyperplaneGeneratorForRegression) is replayed "
                        + "with in-band targets to the remaining-life regressor --learner (e.g. trees.FIMTDD); the line is "
                        + "then instances, mae, rmse and r2, as MOA's EvaluatePrequentialRegression computes them.",
                "With --fleet: a simulator scenario through the per-model logic without Kafka, its drift alerts "
                        + "scored against the scenario's ground truth (issue #19): a table per model, then one JSON line."})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--stream", paramLabel = "SPEC", description = "MOA stream spec (required without --fleet).")
    String stream;

    @Option(names = "--learner", defaultValue = "trees.HoeffdingTree", paramLabel = "SPEC",
            description = "MOA classifier spec, or MOA regressor spec for a regression stream (default: ${DEFAULT-VALUE}).")
    String learner;

    @Option(names = "--adaptation", defaultValue = "none", paramLabel = "reset|background|none",
            description = "none reproduces MOA's figures for the learner itself; reset replaces it on concept "
                    + "drift as MOA's DriftDetectionMethodClassifier does with ADWINChangeDetector, and as `run` "
                    + "does by default; background replaces it by the learner trained since the detector's "
                    + "warning (concept.drift.detector), as MOA's DriftDetectionMethodClassifier does with any "
                    + "detector (default: ${DEFAULT-VALUE}).")
    String adaptation;

    @Option(names = "--instances", paramLabel = "N", description = "How many instances (required without --fleet).")
    Long instances;

    @Option(names = "--label-delay", defaultValue = "0", paramLabel = "K",
            description = "Train on each label K instances later, as MOA's EvaluatePrequentialDelayed -k K "
                    + "(default: ${DEFAULT-VALUE}).")
    int labelDelay;

    @Override
    public Integer call() throws Exception {
        if (fleet.fleet) {
            List<String> streamOnly = Stream.of("--stream", "--instances", "--learner", "--adaptation", "--label-delay")
                    .filter(spec.commandLine().getParseResult()::hasMatchedOption)
                    .toList();
            if (!streamOnly.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--fleet runs the simulator with the configuration's "
                        + "learner and adaptation (--set learner=..., --set learner.adaptation=...): no "
                        + String.join(", ", streamOnly));
            }
            return fleet.run(options, spec);
        }
        if (stream == null || instances == null) {
            throw new ParameterException(spec.commandLine(), "give --stream and --instances, or --fleet");
        }
        Path dataDir = Files.createTempDirectory("driftline-evaluate");
        if (MoaStreams.isRegression(stream)) {
            return evaluateRegression(dataDir);
        }
        DriftlineConfig config = Evaluation.configFor(options.load(Map.of(DriftlineConfig.DATA_DIR, dataDir.toString(),
                DriftlineConfig.LABEL_DELAY, Integer.toString(labelDelay))), MoaStreams.open(stream), learner, adaptation);
        Evaluation.Result result = onFreshServers(dataDir, infrastructure -> Evaluation.run(config, infrastructure,
                stream, instances));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("instances", result.instances());
        line.put("accuracy", result.accuracy());
        line.put("kappa", result.kappa());
        line.put("concept_drifts", result.conceptDrifts());
        System.out.println(new ObjectMapper().writeValueAsString(line));
        return 0;
    }

    /** A regression stream: its targets in band, the remaining-life regressor {@code --learner}. */
    private Integer evaluateRegression(Path dataDir) throws Exception {
        if (labelDelay != 0 || !"none".equals(adaptation)) {
            throw new ParameterException(spec.commandLine(), "a regression stream takes no --label-delay or --adaptation");
        }
        DriftlineConfig config = Evaluation.configForRegression(options.load(Map.of(DriftlineConfig.DATA_DIR,
                dataDir.toString())), MoaStreams.openRegression(stream), learner);
        Evaluation.RegressionResult result = onFreshServers(dataDir, infrastructure -> Evaluation.runRegression(config,
                infrastructure, stream, instances));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("instances", result.instances());
        line.put("mae", result.mae());
        line.put("rmse", result.rmse());
        line.put("r2", result.r2());
        System.out.println(new ObjectMapper().writeValueAsString(line));
        return 0;
    }

    /** An evaluation on a broker and a registry of its own, stopped once it is done. */
    private static <T> T onFreshServers(Path dataDir, EvaluationRun<T> evaluation) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary();
             RegistryServer registry = RegistryServer.start(0, dataDir.resolve("registry"))) {
            return evaluation.on(Infrastructure.existing(broker.bootstrapServers(), registry.url()));
        }
    }

    private interface EvaluationRun<T> {
        T on(Infrastructure infrastructure) throws InterruptedException;
    }
}
