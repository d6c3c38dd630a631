package io.driftline.bench;

import io.driftline.app.DriftlineService;
import io.driftline.app.Infrastructure;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.SerialisedSize;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.ModelState;
import io.driftline.state.ReadOnlyCheckpoints;
import io.driftline.topology.DriftlineTopology;
import io.driftline.topology.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * {@code bench --soak N}: N pre-produced readings through one Driftline, watched tenth by tenth, to
 * see whether it slows down as its models age. For each tenth of the predictions committed: readings
 * per second, the p99 of the stream threads' commits ({@link CommitTimes}), each model's size at the
 * tenth's end (Java serialisations, {@link SerialisedSize}, of the model read back through interactive
 * queries as of the last commit: its learner, and its whole state), the bytes written to Kafka
 * per reading, by topic, the model stage's bytes per commit (checkpoints written whole at every commit
 * cost per commit, not per reading, so their bytes per reading also fall as throughput rises) and the
 * machine's load average (on a shared machine, what else ran explains a slow tenth). Then the
 * issue's criteria, computed here so that every run states them the same way: the last tenth keeps
 * {@link #MIN_LAST_VS_BEST} of the best tenth's throughput, its model stage writes at most
 * {@link #MAX_BYTES_GROWTH} times the second tenth's bytes per reading, it commits with a p99 at most
 * {@link #MAX_P99_GROWTH} times the second tenth's, while the models' learners grow at least
 * {@link #MIN_MODEL_GROWTH} times from the first tenth to the last (otherwise the run did not reach
 * the regime it is meant to test), and at most {@link #MAX_GONE_SHARE} of the readings whose labels
 * came over the run were gone untrained (expired or missing, see {@code PendingLookup}), so that the
 * run measured a Driftline that trained on its readings. The second tenth, not the first, is the
 * reference: the first includes start-up and a cold JIT.
 *
 * <p>Growth is the learners' (what {@code model.max.bytes} bounds), not the whole states': most of a
 * state can be the scores waiting for the model's label clock, a queue that fills and drains by tens
 * of percent within seconds as its slowest device holds the clock back or lets it go.
 */
final class Soak {

    static final double MIN_LAST_VS_BEST = 0.8;
    static final double MAX_BYTES_GROWTH = 1.25;
    static final double MAX_P99_GROWTH = 1.5;
    static final double MIN_MODEL_GROWTH = 5;
    static final double MAX_GONE_SHARE = 0.01;
    private static final Set<String> GONE = Set.of("EXPIRED", "MISSING");
    private static final int TENTHS = 10;
    private static final Duration TIMEOUT = Duration.ofHours(2);
    /** The key, among the topics of {@code bytes_written_per_reading}, of the model stage's bytes. */
    static final String MODEL_STAGE = "model_stage";
    // Written by the device stage, per reading it routes (the changelog of DeviceRouter's store); every
    // other topic by the model stage. The device stage runs ahead: in a pre-produced run it has routed
    // every reading before the last tenths, so the criterion on bytes compares the model stage's alone.
    private static final Set<String> DEVICE_STAGE_TOPICS = Set.of(Topics.MODEL_INPUTS + "-repartition",
            "device-types-changelog");

    /** One tenth of the run; {@code modelBytes} is the learners' bytes, summed over the models. */
    record Tenth(int tenth, long readings, double seconds, double readingsPerSecond, double commitLatencyP99Ms,
                 double commitLatencyMaxMs, int commits, long modelBytes, Map<String, Long> modelBytesByModel,
                 Map<String, Long> stateBytesByModel, Map<String, Long> bytesWrittenPerReading,
                 long modelStageBytesPerCommit, Durability durability, Map<String, Long> labelsResolved,
                 String load) {

        /** Readings whose labels came in this tenth but that were gone untrained. */
        long labelsGone() {
            return labelsResolved.entrySet().stream().filter(entry -> GONE.contains(entry.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tenth", tenth);
            json.put("readings", readings);
            json.put("seconds", BenchCommand.round3(seconds));
            json.put("readings_per_s", Math.round(readingsPerSecond));
            json.put("commit_latency_p99_ms", BenchCommand.round3(commitLatencyP99Ms));
            json.put("commit_latency_max_ms", BenchCommand.round3(commitLatencyMaxMs));
            json.put("commits", commits);
            json.put("model_bytes", modelBytes);
            json.put("model_bytes_by_model", modelBytesByModel);
            json.put("state_bytes_by_model", stateBytesByModel);
            json.put("bytes_written_per_reading", bytesWrittenPerReading);
            json.put("model_stage_bytes_per_commit", modelStageBytesPerCommit);
            json.put("snapshot_stalls", durability.stalls());
            json.put("snapshot_stall_seconds", BenchCommand.round3(durability.stallSeconds()));
            json.put("snapshots_on_stream_thread", durability.onStreamThread());
            json.put("labels_resolved", labelsResolved);
            json.put("load", load);
            return json;
        }
    }

    /**
     * How far the background snapshots fell behind: the stream thread's waits for them and the
     * snapshots commits made themselves (see {@code SnapshotJournal}).
     */
    record Durability(long stalls, double stallSeconds, long onStreamThread) {

        static Durability of(MeterRegistry meters) {
            Collection<Timer> stalls = meters.find("driftline.model.snapshot.stalls").timers();
            return new Durability(stalls.stream().mapToLong(Timer::count).sum(),
                    stalls.stream().mapToDouble(timer -> timer.totalTime(TimeUnit.SECONDS)).sum(),
                    Math.round(meters.find("driftline.model.snapshots.stream.thread").counters().stream()
                            .mapToDouble(Counter::count).sum()));
        }

        Durability since(Durability before) {
            return new Durability(stalls - before.stalls, stallSeconds - before.stallSeconds,
                    onStreamThread - before.onStreamThread);
        }
    }

    private Soak() {
    }

    /**
     * Runs Driftline over the {@code readings} readings already in its input topic and returns
     * {@code soak_tenths}, {@code soak_last_vs_best} and the criteria.
     */
    static Map<String, Object> run(DriftlineConfig config, Infrastructure infrastructure, Topics topics,
                                   long readings) throws InterruptedException {
        CommitTimes commits = new CommitTimes();
        String applicationId = config.getString(DriftlineConfig.APPLICATION_ID);
        List<Tenth> tenths = new ArrayList<>();
        DriftlineService service = DriftlineService.start(config, infrastructure, commits);
        try (CommittedOutput predictions = new CommittedOutput(infrastructure.clientSettings(),
                topics.predictions().name())) {
            if (!service.awaitRunning(TIMEOUT)) {
                throw new IllegalStateException("Driftline did not reach RUNNING within " + TIMEOUT);
            }
            commits.drainMillis();
            Map<String, Double> bytesBefore = ProducedBytes.totals(service.streams(), applicationId);
            long consumedBefore = consumed(service.streams(), topics.readings().name());
            Durability durabilityBefore = Durability.of(service.meters());
            Map<String, Long> resolvedBefore = labelsResolved(service.meters());
            long start = System.nanoTime();
            long done = 0;
            for (int tenth = 1; tenth <= TENTHS; tenth++) {
                long target = readings * tenth / TENTHS;
                long end = predictions.await(target, TIMEOUT, timestamp -> { });
                double[] commitMillis = commits.drainMillis();
                Map<String, Double> bytesNow = ProducedBytes.totals(service.streams(), applicationId);
                long consumedNow = consumed(service.streams(), topics.readings().name());
                Sizes models = modelBytes(service.streams());
                Durability durabilityNow = Durability.of(service.meters());
                Map<String, Long> resolvedNow = labelsResolved(service.meters());
                Map<String, Long> resolved = since(resolvedNow, resolvedBefore);
                double seconds = (end - start) / 1e9;
                long count = target - done;
                long deviceStage = consumedNow - consumedBefore;
                Map<String, Long> written = new LinkedHashMap<>(ProducedBytes.perRecord(bytesNow, bytesBefore,
                        topic -> DEVICE_STAGE_TOPICS.contains(topic) ? deviceStage : count));
                long modelStage = written.get("total") - DEVICE_STAGE_TOPICS.stream()
                        .mapToLong(topic -> written.getOrDefault(topic, 0L)).sum();
                written.put(MODEL_STAGE, modelStage);
                Tenth measured = new Tenth(tenth, count, seconds, count / seconds, percentile(commitMillis, 0.99),
                        Arrays.stream(commitMillis).max().orElse(Double.NaN), commitMillis.length,
                        models.learners().values().stream().mapToLong(Long::longValue).sum(), models.learners(),
                        models.states(), written,
                        commitMillis.length == 0 ? 0 : Math.round((double) modelStage * count / commitMillis.length),
                        durabilityNow.since(durabilityBefore), resolved, MachineInfo.loadAverage());
                tenths.add(measured);
                System.err.printf("  tenth %d: %,.0f readings/s, commit p99 %.0f ms (%d commits), models %s bytes "
                                + "(states %s), model stage wrote %d bytes per reading, %s, labels %s, load %s%n",
                        tenth, measured.readingsPerSecond(), measured.commitLatencyP99Ms(), measured.commits(),
                        models.learners(), models.states(), measured.bytesWrittenPerReading().get(MODEL_STAGE),
                        measured.durability(), resolved, measured.load());
                bytesBefore = bytesNow;
                consumedBefore = consumedNow;
                durabilityBefore = durabilityNow;
                resolvedBefore = resolvedNow;
                start = end;
                done = target;
            }
        } finally {
            service.close();
        }
        return report(tenths);
    }

    static Map<String, Object> report(List<Tenth> tenths) {
        Tenth first = tenths.get(0);
        Tenth second = tenths.get(1);
        Tenth last = tenths.get(tenths.size() - 1);
        double best = tenths.stream().mapToDouble(Tenth::readingsPerSecond).max().orElseThrow();
        Map<String, Criterion> criteria = new LinkedHashMap<>();
        double lastVsBest = last.readingsPerSecond() / best;
        criteria.put("throughput_last_vs_best", Criterion.atLeast(lastVsBest, MIN_LAST_VS_BEST));
        criteria.put("bytes_per_reading_last_vs_second", atMost(last.bytesWrittenPerReading().get(MODEL_STAGE),
                second.bytesWrittenPerReading().get(MODEL_STAGE), MAX_BYTES_GROWTH));
        criteria.put("commit_p99_last_vs_second", atMost(last.commitLatencyP99Ms(), second.commitLatencyP99Ms(),
                MAX_P99_GROWTH));
        double growth = (double) last.modelBytes() / first.modelBytes();
        criteria.put("model_bytes_last_vs_first", Criterion.atLeast(growth, MIN_MODEL_GROWTH));
        long resolved = tenths.stream().flatMap(tenth -> tenth.labelsResolved().values().stream())
                .mapToLong(Long::longValue).sum();
        long gone = tenths.stream().mapToLong(Tenth::labelsGone).sum();
        criteria.put("labels_gone_share", Criterion.atMost(resolved == 0 ? Double.NaN : (double) gone / resolved,
                MAX_GONE_SHARE));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("soak_tenths", tenths.stream().map(Tenth::json).toList());
        result.put("soak_last_vs_best", BenchCommand.round3(lastVsBest));
        result.put("soak_criteria", criteria);
        result.put("soak_pass", criteria.values().stream().allMatch(Criterion::pass));
        return result;
    }

    /**
     * {@code last / earlier} at most {@code bound}. A tenth shorter than a commit interval can have
     * written nothing (the producer sends at commit) nor committed (a p99 of no commits is NaN): then
     * there is no ratio and the criterion fails.
     */
    private static Criterion atMost(double last, double earlier, double bound) {
        return Criterion.atMost(last > 0 && earlier > 0 ? last / earlier : Double.NaN, bound);
    }

    /**
     * Readings the stream threads have consumed from {@code topic} so far: the device stage runs
     * ahead of the predictions committed (by up to a tenth of the run at first), so what it writes is
     * divided by the readings it consumed, not by the predictions.
     */
    private static long consumed(KafkaStreams streams, String topic) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if ("consumer-fetch-manager-metrics".equals(name.group()) && "records-consumed-total".equals(name.name())
                    && topic.equals(name.tags().get("topic")) && entry.getValue().metricValue() instanceof Double value) {
                total += value;
            }
        }
        return Math.round(total);
    }

    private static Map<String, Long> since(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> since = new TreeMap<>();
        now.forEach((key, total) -> since.put(key, total - before.getOrDefault(key, 0L)));
        return since;
    }

    /** Labels resolved so far, by cause ({@code driftline_labels_resolved_total}). */
    private static Map<String, Long> labelsResolved(MeterRegistry meters) {
        Map<String, Long> byCause = new TreeMap<>();
        for (Counter counter : meters.find("driftline.labels.resolved").counters()) {
            byCause.merge(counter.getId().getTag("cause"), Math.round(counter.count()), Long::sum);
        }
        return byCause;
    }

    /** Sizes by model key: each model's learner and its whole state. */
    private record Sizes(Map<String, Long> learners, Map<String, Long> states) {
    }

    /** Each model's sizes as of the last commit. */
    private static Sizes modelBytes(KafkaStreams streams) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                ReadOnlyCheckpoints<ModelState> store = streams.store(StoreQueryParameters.fromNameAndType(
                        DriftlineTopology.MODEL_STORE, ReadOnlyCheckpoints.<ModelState>queryableType()));
                Sizes sizes = new Sizes(new TreeMap<>(), new TreeMap<>());
                for (String key : store.checkpointedKeys()) {
                    ModelState state = store.checkpointed(key);
                    if (state != null) {
                        sizes.learners().put(key, SerialisedSize.of(state.model().exported().model()));
                        sizes.states().put(key, SerialisedSize.of(state.model()));
                    }
                }
                return sizes;
            } catch (InvalidStateStoreException | CheckpointCodec.CheckpointDecodingException e) {
                // A rebalance, or a read racing a commit's chunks: ask again.
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Nearest-rank percentile; NaN without samples. */
    static double percentile(double[] values, double quantile) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
