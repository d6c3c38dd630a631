package io.driftline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.app.DriftlineService;
import io.driftline.app.Infrastructure;
import io.driftline.app.Logging;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.kafka.EmbeddedKafkaBroker;
import io.driftline.kafka.TopicAdmin;
import io.driftline.registry.RegistryServer;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.Scenario;
import io.driftline.topology.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftline bench}: on one fresh embedded broker and registry, the same simulated fleet is
 * run through the MOA learner alone, Driftline's per-model core alone ({@link CoreLimit}), a Kafka
 * Streams pass-through (in one stage and in two) and the full Driftline topology, with the same
 * partitions, stream threads, processing guarantee and producer tuning, in {@code --rounds} rounds
 * reported as medians; then Driftline's latency is measured at a fixed offered rate, and the
 * pass-through's of Driftline's shape (two stages where a model pools devices, one for per-device
 * models). The last line printed is one JSON object, with
 * issue 18's targets ({@link Targets}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Driftline against its limits in one run on a fresh embedded broker and registry: the MOA "
                + "learner alone and Driftline's per-model core alone (in-process), a Kafka Streams pass-through "
                + "with one store get/put per record (in one stage, and in two joined by a repartition topic as "
                + "Driftline's), and the full topology, on the same simulated fleet; then latency at a fixed rate, of "
                + "Driftline and of the pass-through of its shape (two stages, or one for --scope device).",
                "Progress goes to stderr; the last line on stdout is one JSON object."})
public final class BenchCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    static final String PASS_THROUGH_OUTPUT = "bench-pass-through";
    static final String TWO_STAGE_OUTPUT = "bench-pass-through-2";

    @Option(names = "--records", defaultValue = "500000", paramLabel = "N",
            description = "Readings per throughput run (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--devices", defaultValue = "1000", paramLabel = "D", description = "Machines (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--scope", defaultValue = "machine-type", paramLabel = "device|machine-type|fleet",
            description = "Model scope (default: ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "R",
            description = "Throughput rounds: each runs the pass-through, the two-stage pass-through and Driftline, "
                    + "each afresh on the same input; figures and ratios are medians over the rounds, which this "
                    + "machine's speed, drifting over minutes, needs (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T",
            description = "Stream threads, for the pass-through and Driftline alike (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--partitions", defaultValue = "4", paramLabel = "P",
            description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rate", defaultValue = "5000", paramLabel = "R",
            description = "Offered readings per second in the latency run (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--latency-seconds", defaultValue = "30", paramLabel = "S",
            description = "Length of the latency run; its first tenth is warm-up (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--failure-rate", defaultValue = "1.0", paramLabel = "F",
            description = "Failures per machine per simulated day, each after 2 hours of degradation: failures, and "
                    + "readings labelled failure, happen within the few simulated hours of a run (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--footprint", paramLabel = "K",
            description = "Instead of the runs: measure the memory of per-device state in-process, one model and one "
                    + "device state per machine of --devices, each trained on its first K readings.")
    int footprintReadings;

    @Option(names = "--checkpoint-curves", paramLabel = "N",
            description = "Instead of the runs: measure checkpoint encoding in-process, for one model trained on up to N "
                    + "readings (10k, 100k, ...) and for 10, 100, ... dirty per-device models of --devices machines; "
                    + "and what keeping one model durable costs per reading and to restore as it ages, whole "
                    + "checkpoints against snapshot + journal.")
    long checkpointReadings;

    @Option(names = "--soak", paramLabel = "N",
            description = "Instead of the runs: N pre-produced readings through one Driftline, reported for each tenth of "
                    + "the run (readings/s, p99 commit latency, model sizes, bytes written per reading by topic), with "
                    + "the criteria for models that learn for months (docs/benchmarks.md, \"Soak\").")
    long soakReadings;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one Driftline configuration key, e.g. --set learner=trees.HoeffdingAdaptiveTree.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"},
            description = "Show the whole log on the console, Kafka's own warnings included (it always goes to bench.log "
                    + "in the default data directory).")
    boolean verbose;

    private String loadBefore;

    @Override
    public Integer call() throws Exception {
        // The runs' data directory is temporary; their log outlives it.
        Logging.toFile(new DriftlineConfig(Map.of()).dataDir().resolve("bench.log"), verbose);
        Path dataDir = Files.createTempDirectory("driftline-bench");
        try {
            return run(dataDir);
        } finally {
            Utils.delete(dataDir.toFile());
        }
    }

    private int run(Path dataDir) throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        DriftlineConfig config = config(dataDir);
        PipelineSettings pipeline = config.pipeline();
        Map<String, Object> result = new LinkedHashMap<>();
        loadBefore = MachineInfo.loadAverage();
        if (checkpointReadings > 0) {
            Duration horizon = Duration.ofMillis(config.getLong(DriftlineConfig.LABEL_HORIZON_MS));
            progress("Checkpoint encoding of one model trained on up to %,d readings", checkpointReadings);
            result.put("checkpoint_by_model_size",
                    CheckpointCurves.bySize(pipeline, new FleetSimulator(fleet(horizon)), checkpointReadings));
            progress("Durability of one model as it ages, whole checkpoints and snapshot + journal, up to %,d readings",
                    checkpointReadings);
            result.put("durability_by_model_age",
                    DurabilityCurves.run(pipeline, new FleetSimulator(fleet(horizon)), checkpointReadings));
            progress("Checkpoint encoding of 10 to %,d dirty per-device models", devices);
            result.put("checkpoint_by_dirty_models",
                    CheckpointCurves.byDirty(pipeline, new FleetSimulator(fleet(horizon)), devices, 20));
            return report(result);
        }
        if (footprintReadings > 0) {
            progress("Per-device state of %,d machines, %d readings each", devices, footprintReadings);
            StateFootprint.Result footprint = StateFootprint.measure(pipeline,
                    fleet(Duration.ofMillis(config.getLong(DriftlineConfig.LABEL_HORIZON_MS))), footprintReadings);
            result.put("footprint", footprint);
            return report(result);
        }
        if (soakReadings > 0) {
            result.put("soak_readings", soakReadings);
            describe(result, config);
            result.putAll(soak(config, dataDir));
            return report(result);
        }
        result.put("records", records);
        describe(result, config);


        progress("MOA learner alone, in-process: %,d readings", records);
        LearnerLimit.Result moa = new LearnerLimit(pipeline.model(), pipeline.scope(), pipeline.featureWindow())
                .run(new FleetSimulator(fleet(Duration.ofMillis(config.getLong(DriftlineConfig.LABEL_HORIZON_MS)))),
                        records);
        progress("  %,.0f instances/s (prequential accuracy %.4f, %.2f %% labelled failure)", moa.perSecond(),
                moa.accuracy(), 100 * moa.failureShare());
        result.put("failure_label_share", round3(moa.failureShare()));
        progress("Driftline's per-model core alone, in-process: %,d readings", records);
        CoreLimit.Result core = new CoreLimit(pipeline).run(new FleetSimulator(fleet(null)), records);
        progress("  %,.0f readings/s (%.2f outcomes per reading)", core.perSecond(), core.outcomesPerReading());

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary();
             RegistryServer registry = RegistryServer.start(0, dataDir.resolve("registry"))) {
            // --set kafka.* reaches the pass-throughs and the feed as it reaches Driftline: one setting for all.
            Infrastructure infrastructure = Infrastructure.existing(broker.bootstrapServers(), registry.url(),
                    config.kafkaClientOverrides());
            Map<String, Object> clients = infrastructure.clientSettings();
            Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
            TopicAdmin.ensureTopics(clients, topics.names(), partitions, (short) 1, Duration.ofSeconds(60));
            TopicAdmin.ensureTopics(clients, List.of(PASS_THROUGH_OUTPUT, TWO_STAGE_OUTPUT), partitions, (short) 1,
                    Duration.ofSeconds(60));

            progress("Producing %,d readings of %,d machines (Avro, registry serde)", records, devices);
            FleetFeed feed = new FleetFeed(clients, topics, fleet(null));
            long produceStart = System.nanoTime();
            feed.publish(records, 0, false);
            double produced = records / seconds(produceStart, System.nanoTime());
            progress("  %,.0f readings/s", produced);

            // Driftline's topology has a repartition only where a model pools devices: its limits are of that shape.
            boolean twoStages = config.modelScope().poolsDevices();
            Map<String, List<Double>> perRound = new LinkedHashMap<>();
            Map<String, List<Double>> ratiosPerRound = new LinkedHashMap<>();
            LastRound last = null;
            for (int round = 1; round <= rounds; round++) {
                progress("Round %d of %d", round, rounds);
                progress("Kafka Streams pass-through (one store get/put per record)");
                double passThrough = passThrough(config, infrastructure, topics.readings().name(), false, round);
                progress("  %,.0f records/s", passThrough);
                progress("Kafka Streams pass-through in two stages (get/put, repartition, get/put: the shape of models "
                        + "that pool devices)");
                double twoStagePassThrough = passThrough(config, infrastructure, topics.readings().name(), true,
                        round);
                progress("  %,.0f records/s", twoStagePassThrough);
                progress("Driftline topology");
                DriftlineConfig roundConfig = config.with(Map.of(DriftlineConfig.APPLICATION_ID,
                        config.getString(DriftlineConfig.APPLICATION_ID) + "-" + round));
                DriftlineService service = DriftlineService.start(roundConfig, infrastructure);
                try (CommittedOutput predictions = new CommittedOutput(clients, topics.predictions().name())) {
                    if (!service.awaitRunning(TIMEOUT)) {
                        throw new IllegalStateException("Driftline did not reach RUNNING within " + TIMEOUT);
                    }
                    long start = System.nanoTime();
                    double driftline = records / seconds(start, predictions.await(records, TIMEOUT, timestamp -> { }));
                    progress("  %,.0f readings/s", driftline);
                    add(perRound, "passthrough_rps", passThrough);
                    add(perRound, "passthrough_2stage_rps", twoStagePassThrough);
                    add(perRound, "driftline_rps", driftline);
                    double cap = Targets.cap(twoStages ? twoStagePassThrough : passThrough, moa.perSecond());
                    add(perRound, "cap", cap);
                    double coreCap = Targets.cap(twoStages ? twoStagePassThrough : passThrough, core.perSecond());
                    add(perRound, "core_cap", coreCap);
                    add(ratiosPerRound, "driftline_vs_passthrough", driftline / passThrough);
                    add(ratiosPerRound, "driftline_vs_2stage", driftline / twoStagePassThrough);
                    add(ratiosPerRound, "2stage_vs_passthrough", twoStagePassThrough / passThrough);
                    add(ratiosPerRound, "driftline_vs_moa", driftline / moa.perSecond());
                    add(ratiosPerRound, "driftline_vs_cap", driftline / cap);
                    add(ratiosPerRound, "driftline_vs_core_cap", driftline / coreCap);
                    add(ratiosPerRound, "core_cap_vs_cap", coreCap / cap);
                    if (round == rounds) {
                        last = lastRound(service, roundConfig.getString(DriftlineConfig.APPLICATION_ID), predictions,
                                feed, clients, topics.readings().name());
                    }
                } finally {
                    service.close();
                }
            }
            result.put("produce_rps", Math.round(produced));
            result.put("moa_rps", Math.round(moa.perSecond()));
            result.put("core_rps", Math.round(core.perSecond()));
            perRound.forEach((name, values) -> result.put(name, Math.round(median(values))));
            ratiosPerRound.forEach((name, values) -> result.put(name, round3(median(values))));
            result.put("latency_ms", latencyJson(last.latency()));
            result.put("driftline_thread", last.thread());
            result.put("driftline_bytes_per_reading", last.written());
            result.put("bytes_written_per_reading", last.written().get("total"));
            result.put("bytes_per_input_reading", Math.round(last.inputBytesPerReading()));
            Map<String, List<Long>> rounded = new LinkedHashMap<>();
            perRound.forEach((name, values) -> rounded.put(name, values.stream().map(Math::round).toList()));
            result.put("rounds", rounded);

            String shape = twoStages ? "passthrough_2stage" : "passthrough";
            progress("%s pass-through latency at %,.0f readings/s for %d s", twoStages ? "Two-stage" : "One-stage",
                    rate, latencySeconds);
            Floor floor = passThroughLatency(config, infrastructure, topics.readings().name(), feed, twoStages);
            progress("  p50 %d ms, p99 %d ms, p99.9 %d ms", floor.latency().p50(), floor.latency().p99(),
                    floor.latency().p999());
            result.put(shape + "_latency_ms", latencyJson(floor.latency()));
            result.put(shape + "_thread", floor.thread());

            Map<String, Criterion> targets = Targets.criteria(median(ratiosPerRound.get("driftline_vs_cap")),
                    last.latency().p99(), floor.latency().p99(), last.written().get("total"),
                    last.inputBytesPerReading());
            result.put("latency_p99_vs_passthrough", targets.get("latency_p99_vs_passthrough").value());
            result.put("targets", targets);
            targets.forEach((name, criterion) -> progress("Target %s %s: %s, %s", name, criterion.bound(),
                    criterion.value(), criterion.pass() ? "met" : "missed"));
        }
        return report(result);
    }

    /**
     * The last round's Driftline, warm and with its state, after its throughput run: its latency at
     * the offered rate, its stream threads' time shares, and the bytes it wrote per reading, set
     * against the bytes a reading takes in the input topic.
     */
    private LastRound lastRound(DriftlineService service, String applicationId, CommittedOutput predictions,
                                FleetFeed feed, Map<String, Object> clients, String readingsTopic)
            throws InterruptedException {
        progress("Latency at %,.0f readings/s for %d s", rate, latencySeconds);
        Latencies.Summary latency = latency(feed, predictions, records);
        progress("  p50 %d ms, p99 %d ms, p99.9 %d ms", latency.p50(), latency.p99(), latency.p999());
        Map<String, Double> thread = ThreadTimes.of(service.streams());
        // Every reading in the input topic so far, the throughput run's and the latency run's, went through this instance.
        long readings = records + Math.round(rate * latencySeconds);
        Map<String, Long> written = ProducedBytes.perRecord(service.streams(), applicationId, readings);
        double input = (double) TopicAdmin.logBytes(clients, readingsTopic) / readings;
        progress("  %,d bytes written per reading, %,.0f bytes per reading in %s", written.get("total"), input,
                readingsTopic);
        return new LastRound(latency, thread, written, input);
    }

    /**
     * What {@link #lastRound} measured.
     *
     * @param written bytes written per reading by topic, and their total
     * @param inputBytesPerReading the input topic's log size over the readings in it: the record
     *                             batches as the feed's producer sent them and the broker stores them
     */
    private record LastRound(Latencies.Summary latency, Map<String, Double> thread, Map<String, Long> written,
                             double inputBytesPerReading) {
    }

    private void describe(Map<String, Object> result, DriftlineConfig config) {
        result.put("devices", devices);
        result.put("scope", config.modelScope().configValue());
        result.put("threads", threads);
        result.put("partitions", partitions);
        result.put("processing_guarantee", config.getString(DriftlineConfig.PROCESSING_GUARANTEE));
        result.put("learner", config.getString(DriftlineConfig.LEARNER));
        result.put("adaptation", config.getString(DriftlineConfig.ADAPTATION));
    }

    /** The soak: its readings produced first, so that the producer never limits Driftline, then {@link Soak}. */
    private Map<String, Object> soak(DriftlineConfig config, Path dataDir) throws InterruptedException {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary();
             RegistryServer registry = RegistryServer.start(0, dataDir.resolve("registry"))) {
            Infrastructure infrastructure = Infrastructure.existing(broker.bootstrapServers(), registry.url(),
                    config.kafkaClientOverrides());
            Map<String, Object> clients = infrastructure.clientSettings();
            Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
            TopicAdmin.ensureTopics(clients, topics.names(), partitions, (short) 1, Duration.ofSeconds(60));
            progress("Producing %,d readings of %,d machines (Avro, registry serde)", soakReadings, devices);
            long produceStart = System.nanoTime();
            new FleetFeed(clients, topics, fleet(null)).publish(soakReadings, 0, false);
            progress("  %,.0f readings/s", soakReadings / seconds(produceStart, System.nanoTime()));
            progress("Driftline over them, tenth by tenth");
            return Soak.run(config, infrastructure, topics, soakReadings);
        }
    }

    private int report(Map<String, Object> result) throws IOException {
        result.put("peak_rss_mb", MachineInfo.peakRssMb());
        MachineInfo machine = MachineInfo.current();
        Map<String, Object> machineJson = new LinkedHashMap<>();
        machineJson.put("cores", machine.cores());
        machineJson.put("java", machine.java());
        machineJson.put("os", machine.os());
        machineJson.put("max_heap_mb", machine.maxHeapMb());
        machineJson.put("load_before", loadBefore);
        machineJson.put("load_after", machine.load());
        result.put("machine", machineJson);
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }

    private DriftlineConfig config(Path dataDir) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(DriftlineConfig.DATA_DIR, dataDir.toString());
        defaults.put(DriftlineConfig.APPLICATION_ID, "driftline-bench");
        defaults.put(DriftlineConfig.MACHINE_TYPES, "L,M,H");
        // As the demo: a reading is a failure precursor when its machine fails within 2 simulated hours.
        defaults.put(DriftlineConfig.LABEL_HORIZON_MS, Long.toString(Duration.ofHours(2).toMillis()));
        defaults.put(DriftlineConfig.DATA_DRIFT_EXCLUDE, "tool_wear_min");
        // Deployed as in production, HTTP API and its live feed included, on a free port.
        defaults.put(DriftlineConfig.HTTP_PORT, "0");
        Map<String, Object> flags = new HashMap<>(overrides);
        flags.put(DriftlineConfig.MODEL_SCOPE, scope);
        flags.put(DriftlineConfig.NUM_STREAM_THREADS, Integer.toString(threads));
        flags.put(DriftlineConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
        return DriftlineConfig.load(defaults, null, Map.of(), flags);
    }

    /** The benchmark fleet; {@code oracleHorizon} non-null attaches the simulator's own labels (for the MOA run). */
    private FleetSimulator.Settings fleet(Duration oracleHorizon) {
        return new FleetSimulator.Settings(devices, seed, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMinutes(1),
                failureRate, Duration.ofHours(2), Duration.ofHours(2), Scenario.NONE, Duration.ofHours(12), oracleHorizon);
    }

    private Map<String, Object> latencyJson(Latencies.Summary latency) {
        Map<String, Object> latencyMs = new LinkedHashMap<>();
        latencyMs.put("offered_rps", rate);
        latencyMs.put("samples", latency.samples());
        latencyMs.put("p50", latency.p50());
        latencyMs.put("p99", latency.p99());
        latencyMs.put("p999", latency.p999());
        latencyMs.put("max", latency.max());
        return latencyMs;
    }

    /** Records per second of the pass-through over the readings already in {@code input}. */
    private double passThrough(DriftlineConfig config, Infrastructure infrastructure, String input, boolean twoStages,
                               int round) throws InterruptedException {
        String output = twoStages ? TWO_STAGE_OUTPUT : PASS_THROUGH_OUTPUT;
        try (CommittedOutput committed = new CommittedOutput(infrastructure.clientSettings(), output)) {
            KafkaStreams streams = startPassThrough(config, infrastructure, input, twoStages, output + "-" + round,
                    false);
            try {
                long start = System.nanoTime();
                return records / seconds(start, committed.await(records, TIMEOUT, timestamp -> { }));
            } finally {
                streams.close();
            }
        }
    }

    /**
     * The pass-through's latency at the offered rate, as Driftline's is measured: what Kafka alone
     * (one exactly-once stage, or two in series) adds to a reading. A new application that starts at
     * the end of the input: no backlog to catch up on first.
     */
    private Floor passThroughLatency(DriftlineConfig config, Infrastructure infrastructure, String input,
                                     FleetFeed feed, boolean twoStages) throws InterruptedException {
        String output = twoStages ? TWO_STAGE_OUTPUT : PASS_THROUGH_OUTPUT;
        try (CommittedOutput committed = new CommittedOutput(infrastructure.clientSettings(), output)) {
            KafkaStreams streams = startPassThrough(config, infrastructure, input, twoStages, output + "-latency",
                    true);
            try {
                Latencies.Summary latency = latency(feed, committed, 0);
                return new Floor(latency, ThreadTimes.of(streams));
            } finally {
                streams.close();
            }
        }
    }

    /**
     * Starts the pass-through on {@code input} as a new application and returns it once it is RUNNING.
     *
     * @param fromEnd start at the end of the input rather than at its beginning
     */
    private KafkaStreams startPassThrough(DriftlineConfig config, Infrastructure infrastructure, String input,
                                          boolean twoStages, String application, boolean fromEnd)
            throws InterruptedException {
        String output = twoStages ? TWO_STAGE_OUTPUT : PASS_THROUGH_OUTPUT;
        Properties props = new Properties();
        props.putAll(infrastructure.clientSettings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, application);
        if (fromEnd) {
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        }
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(DriftlineConfig.PROCESSING_GUARANTEE));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(DriftlineConfig.COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve(application).toAbsolutePath().toString());
        // The producer tuning Driftline runs with, so that the two compare like for like.
        DriftlineService.tuneProducer(props);
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(PassThrough.topology(input, output, twoStages), props);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(error -> {
            failure.set(error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        if (!running.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            streams.close();
            throw new IllegalStateException("the pass-through did not reach RUNNING", failure.get());
        }
        return streams;
    }

    /**
     * Offers {@code rate} readings per second for the latency run and measures, for each, the time
     * from its production to its prediction being committed and read by a read_committed consumer.
     */
    private Latencies.Summary latency(FleetFeed feed, CommittedOutput predictions, long alreadyCommitted)
            throws InterruptedException {
        long readings = Math.round(rate * latencySeconds);
        long warmUpUntil = System.currentTimeMillis() + latencySeconds * 100L;
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                feed.publish(readings, rate, true);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "bench-latency-producer");
        producer.start();
        Latencies latencies = new Latencies();
        predictions.await(alreadyCommitted + readings, TIMEOUT, timestamp -> {
            if (timestamp >= warmUpUntil) {
                latencies.add(System.currentTimeMillis() - timestamp);
            }
        });
        producer.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return latencies.summary();
    }

    private record Floor(Latencies.Summary latency, Map<String, Double> thread) {
    }

    private static double seconds(long startNanos, long endNanos) {
        return (endNanos - startNanos) / 1e9;
    }

    /** To three decimals, as every ratio of the report. */
    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void add(Map<String, List<Double>> series, String name, double value) {
        series.computeIfAbsent(name, unused -> new ArrayList<>()).add(value);
    }

    /** The median; of an even count, the mean of the middle two. */
    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
