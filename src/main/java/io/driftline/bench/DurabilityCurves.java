package io.driftline.bench;

import io.driftline.avro.SensorReading;
import io.driftline.config.PipelineSettings;
import io.driftline.core.Observations;
import io.driftline.features.RollingFeatures;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.sim.FleetSimulator;
import io.driftline.state.CheckpointStore;
import io.driftline.state.DurabilityEvents;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import io.driftline.state.RestoreCost;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * What keeping one model durable costs as it ages, in-process, before and after snapshots and
 * journals: one model fed the fleet, committed every {@link #READINGS_PER_COMMIT} readings (about
 * what one of three machine-type models gets in a 100 ms commit at the headline rate) through the
 * real model store over a store that counts what it writes (what the changelog receives).
 *
 * <p>Before: every commit encodes the whole model ({@code wholeX}, sampled every tenth commit).
 * After: the commit writes the journal segments since the last commit and installs snapshots made
 * in the background ({@code durable_bytes_per_reading} counts both, keys and deletions included;
 * {@code stream_us_per_reading} is what the stream thread spends on durability: recording the
 * operations, measured against an unjournaled copy of the model fed the same readings, plus the
 * commit's writes; {@code background_us_per_reading} the snapshot thread's time). Snapshot jobs
 * run after the commit that submitted them and are installed by the next. Times are CPU times of
 * the measuring thread. Restores are measured when a snapshot is due, before it is made: the
 * journal then holds a snapshot's worth of operations, the most a restore replays.
 */
final class DurabilityCurves {

    static final int READINGS_PER_COMMIT = 400;
    private static final String KEY = "L";
    private static final int WINDOW = 20_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The cost of durability over the window of readings that ends at {@code readings}. */
    record ByAge(long readings, double snapshotKb, double wholeBytesPerReading, double wholeUsPerReading,
                 double wholeCommitMaxMs, double durableBytesPerReading, double streamUsPerReading,
                 double commitP99Ms, double backgroundUsPerReading, int snapshots) {
    }

    /**
     * Restoring the model at {@code readings}: decoding its snapshot, and decoding it and replaying its
     * journal; then the per-KB costs of decoding and replaying as the restore measured them, and as
     * the background job measured them that set when this snapshot was due ({@code job...}).
     */
    record Restore(long readings, double snapshotKb, double journalKb, double decodeMs, double restoreMs,
                   double restoreOverDecode, double decodeMsPerKb, double replayMsPerKb, double jobDecodeMsPerKb,
                   double jobReplayMsPerKb) {
    }

    record Result(int readingsPerCommit, List<ByAge> byAge, List<Restore> restores) {
    }

    private DurabilityCurves() {
    }

    /** One model fed {@code readings} of {@code fleet}, measured in windows ending at 10k, 30k, 100k, 300k, 1M ... */
    static Result run(PipelineSettings pipeline, FleetSimulator fleet, long readings) {
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        CountingStore inner = new CountingStore();
        Queue<Runnable> jobs = new ArrayDeque<>();
        Costs costs = new Costs();
        CheckpointStore<ModelState> store = CheckpointStore.models(inner, codec, pipeline.checkpointChunkBytes(),
                jobs::add, costs);
        store.put(KEY, codec.create());
        store.flushCache();
        Map<String, RollingFeatures> features = new HashMap<>();
        List<ByAge> byAge = new ArrayList<>();
        List<Restore> restores = new ArrayList<>();
        Window window = null;
        long mark = 10_000;
        boolean restoreDue = false;
        // On past the last window until its restore is measured.
        for (long done = 1; done <= readings || restoreDue; done++) {
            if (window == null && mark <= readings && done > mark - Math.min(mark / 2, WINDOW)) {
                window = new Window(codec, store.get(KEY));
            }
            SensorReading reading = next(fleet);
            int featureWindow = pipeline.featureWindow().forType(reading.getMachineType());
            Observation observation = Observations.of(reading,
                    features.computeIfAbsent(reading.getDeviceId(), id -> new RollingFeatures(featureWindow)));
            ModelState model = store.get(KEY);
            long started = THREADS.getCurrentThreadCpuTime();
            Scored scored = model.predict(observation, reading.getSensors(), reading.getDeviceId(), reading.getEventTime().toEpochMilli());
            model.learn(observation, reading.getLabel(), scored);
            if (window != null) {
                window.journaled += THREADS.getCurrentThreadCpuTime() - started;
                window.feedTwin(observation, reading);
            }
            if (done % READINGS_PER_COMMIT == 0) {
                store.markDirty(KEY);
                long bytes = inner.bytesWritten();
                started = THREADS.getCurrentThreadCpuTime();
                store.flushCache();
                long commit = THREADS.getCurrentThreadCpuTime() - started;
                if (window != null) {
                    window.commit(commit, inner.bytesWritten() - bytes, store.get(KEY));
                }
                if (restoreDue && !jobs.isEmpty()) {
                    restores.add(restore(codec, store, inner, costs, done));
                    restoreDue = false;
                }
                for (Runnable job = jobs.poll(); job != null; job = jobs.poll()) {
                    started = THREADS.getCurrentThreadCpuTime();
                    job.run();
                    if (window != null) {
                        window.background += THREADS.getCurrentThreadCpuTime() - started;
                        window.snapshots++;
                    }
                }
            }
            if (window != null && done == mark) {
                byAge.add(window.result(done));
                window = null;
                restoreDue = true;
                // 10k, 30k, 100k, 300k, 1M ...
                mark = Long.toString(mark).startsWith("1") ? mark * 3 : mark * 10 / 3;
            }
        }
        return new Result(READINGS_PER_COMMIT, byAge, restores);
    }

    /** Restoring the model as a new instance would: its snapshot decoded, its journal replayed. */
    private static Restore restore(ModelCheckpoints codec, CheckpointStore<ModelState> store, CountingStore inner,
                                   Costs costs, long readings) {
        byte[] snapshot = codec.encode(store.get(KEY));
        double decodeMs = medianMs(() -> codec.decode(snapshot));
        long journalBytes = journalBytes(inner);
        double restoreMs = medianMs(() -> {
            store.clearCache();
            store.get(KEY);
        });
        RestoreCost restored = costs.restored;
        RestoreCost job = costs.job;
        return new Restore(readings, BenchCommand.round3(snapshot.length / 1024.0),
                BenchCommand.round3(journalBytes / 1024.0), BenchCommand.round3(decodeMs),
                BenchCommand.round3(restoreMs), BenchCommand.round3(restoreMs / decodeMs),
                msPerKb(restored.decodeNanos(), restored.snapshotBytes()),
                msPerKb(restored.replayNanos(), restored.journalBytes()),
                costs.decoding == null ? 0 : msPerKb(costs.decoding.decodeNanos(), costs.decoding.snapshotBytes()),
                job == null ? 0 : msPerKb(job.replayNanos(), job.journalBytes()));
    }

    private static double msPerKb(long nanos, long bytes) {
        return bytes == 0 ? 0 : BenchCommand.round3(nanos / 1e6 / (bytes / 1024.0));
    }

    /**
     * The latest restore's costs, the latest background job's and the latest job's that decoded a
     * snapshot (a job that starts from the copy the one before kept only replays), as the store
     * measured them.
     */
    private static final class Costs implements DurabilityEvents {
        private RestoreCost restored;
        private RestoreCost job;
        private RestoreCost decoding;

        @Override
        public void restored(String key, RestoreCost cost) {
            restored = cost;
        }

        @Override
        public void snapshotJobMeasured(String key, RestoreCost cost) {
            job = cost;
            if (cost.snapshotBytes() > 0) {
                decoding = cost;
            }
        }
    }

    /** Bytes of the journal segments held now (keys with the journal's mark 'J' after the key's end). */
    private static long journalBytes(CountingStore inner) {
        long bytes = 0;
        try (var all = inner.all()) {
            while (all.hasNext()) {
                var next = all.next();
                byte[] key = next.key.get();
                if (key.length > 1 + Long.BYTES && key[key.length - 1 - Long.BYTES - 1] == (byte) 0xFF
                        && key[key.length - 1 - Long.BYTES] == 'J') {
                    bytes += next.value.length;
                }
            }
        }
        return bytes;
    }

    private static SensorReading next(FleetSimulator fleet) {
        while (true) {
            if (fleet.next() instanceof FleetSimulator.Reading reading) {
                return reading.reading();
            }
        }
    }

    private static double medianMs(Runnable work) {
        double[] times = new double[3];
        for (int i = 0; i < times.length; i++) {
            long started = THREADS.getCurrentThreadCpuTime();
            work.run();
            times[i] = (THREADS.getCurrentThreadCpuTime() - started) / 1e6;
        }
        Arrays.sort(times);
        return times[1];
    }

    /** What one window measured. */
    private static final class Window {
        private final ModelCheckpoints codec;
        // An unjournaled copy of the model, fed the same readings: what learning costs without the journal.
        private final OnlineModel twin;
        private final List<Long> commits = new ArrayList<>();
        private final List<Double> wholeMs = new ArrayList<>();
        private long wholeBytes;
        private int readings;
        private long journaled;
        private long plain;
        private long durableBytes;
        private long background;
        private int snapshots;

        Window(ModelCheckpoints codec, ModelState live) {
            this.codec = codec;
            this.twin = codec.decode(codec.encode(live)).model();
        }

        void feedTwin(Observation observation, SensorReading reading) {
            long started = THREADS.getCurrentThreadCpuTime();
            twin.learn(observation, reading.getLabel(), twin.predict(observation, reading.getSensors(), reading.getDeviceId(), reading.getEventTime().toEpochMilli()));
            plain += THREADS.getCurrentThreadCpuTime() - started;
            readings++;
        }

        void commit(long cpuNanos, long bytes, ModelState live) {
            commits.add(cpuNanos);
            durableBytes += bytes;
            if (commits.size() % 10 == 1) {
                long started = THREADS.getCurrentThreadCpuTime();
                byte[] whole = codec.encode(live);
                wholeMs.add((THREADS.getCurrentThreadCpuTime() - started) / 1e6);
                wholeBytes = whole.length;
            }
        }

        ByAge result(long done) {
            long[] sorted = commits.stream().mapToLong(Long::longValue).sorted().toArray();
            double p99 = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6;
            double wholeMean = wholeMs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            long commitNanos = commits.stream().mapToLong(Long::longValue).sum();
            return new ByAge(done, BenchCommand.round3(wholeBytes / 1024.0),
                    BenchCommand.round3((double) wholeBytes / READINGS_PER_COMMIT),
                    BenchCommand.round3(wholeMean * 1000 / READINGS_PER_COMMIT),
                    BenchCommand.round3(wholeMs.stream().mapToDouble(Double::doubleValue).max().orElse(0)),
                    BenchCommand.round3((double) durableBytes / readings),
                    BenchCommand.round3((Math.max(0, journaled - plain) + commitNanos) / 1e3 / readings),
                    BenchCommand.round3(p99),
                    BenchCommand.round3(background / 1e3 / readings), snapshots);
        }
    }
}
