package io.driftline.state;

import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.ByteUtils;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models as a snapshot and a journal: what a commit writes for a model is the operations applied
 * to it since the last commit ({@link ModelState#takeJournal}: journal segments, as many as it
 * takes to keep each record within {@code chunkBytes}), so its cost depends on what the model did,
 * not on how much it has learned. The snapshot (the whole state, {@link ModelCheckpoints}) is
 * renewed when replaying the segments since it would take {@link #RESTORE_MARGIN} of the time
 * decoding it takes (as the costliest of the last {@link #PLANNING_JOBS} background jobs measured
 * it; a byte of journal mostly replays several times faster than a byte of snapshot decodes), and
 * never before they add up to its own size: the bytes
 * written per reading are then at most twice the journal's, and a restore costs at most about
 * twice decoding the snapshot.
 *
 * <h2>Snapshots off the stream thread</h2>
 * Serialising a model inside a commit costs time proportional to the model (a third of a second
 * for a tree a million readings old): commits would slow down as models age. So a new snapshot is
 * made in the background: a job reads the current snapshot and the segments up to the last one
 * written back from the inner store, replays them onto a copy of the model, serialises it, and
 * hands the bytes back; the next commit writes them (chunked) with a head pointing at them and
 * deletes the segments and the snapshot they supersede, all in that commit's transaction. The live
 * model is never touched by the job, and the job's copy is exactly what a restore would build.
 *
 * <p>For a large model, decoding is most of a job's work, and the copy it decodes lives for seconds:
 * long enough for every young collection to copy it again, so the collector's pauses grew with the
 * model (a 10,000,000-reading soak: young pauses of 100-300 ms once the models passed 30 MB). So a
 * job keeps its copy once its snapshot is installed, as the next job's starting point (a shadow of
 * the durable form): the next job replays only the segments written since onto it and serialises
 * it. Every {@link #PLANNING_JOBS}th job still decodes afresh, which measures what decoding costs
 * (the snapshot policy needs it) and exercises the restore path. Models whose snapshot is smaller
 * than {@link #SHADOW_MIN_BYTES} are always decoded afresh: cheap, and a kept copy each would double
 * the memory of many small models (one per device).
 *
 * <h2>When the background falls behind</h2>
 * A machine short of CPU (a saturated stream thread on two cores) can leave the job behind the
 * journal. Should the journal grow to {@link #FALLBACK_RATIO} times what made its snapshot due while
 * the job is still running, the stream thread waits for the job at its next read of any model, for
 * at most {@link #MAX_STALL} (a write stall, as RocksDB stalls writes when its compactions fall
 * behind): the commits stay short and no CPU is spent twice. Only if the job is not done by then
 * does the next commit snapshot the live model itself, which keeps restores bounded (a warning says
 * when it does) and supersedes the job.
 *
 * <h2>Records under a model key K (UTF-8 bytes k)</h2>
 * <pre>
 * k                      head: HEAD, varlong generation, varlong first segment, then
 *                        INLINE and the snapshot bytes, or CHUNKED, varint chunks, varint length, int CRC-32C
 * k 0xFF 'S' gen index   chunk {@code index} (4 bytes) of snapshot {@code gen} (8 bytes), big-endian
 * k 0xFF 'J' segment     journal segment {@code segment} (8 bytes, big-endian): {@link ModelJournal}'s bytes
 * </pre>
 * A snapshot is inline when it fits in {@code chunkBytes}. Segments are numbered on from the first
 * one after the snapshot, contiguously; restore replays them in order (RocksDB orders keys as
 * unsigned bytes, so big-endian numbers come in order). 0xFF never occurs in UTF-8, so no key
 * starts with another key's prefix {@code k 0xFF}. A head whose first byte is
 * {@link ModelCheckpoints#LEGACY_VERSION} or {@link CheckpointChunks#HEAD} was written by an earlier
 * Driftline (a whole Java-serialised state, or the head of its chunks): it is reported as
 * {@link ModelCheckpoints.LegacyFormat}, and the model's new snapshot deletes it and its chunks.
 */
final class SnapshotJournal implements DurableForm<ModelState> {

    private static final Logger log = LoggerFactory.getLogger(SnapshotJournal.class);

    /** First byte of a head: neither a legacy format version nor a legacy chunk head. */
    static final byte HEAD = 2;
    private static final byte INLINE = 0;
    private static final byte CHUNKED = 1;
    private static final byte SNAPSHOT_CHUNK = 'S';
    private static final byte SEGMENT = 'J';
    private static final int DERIVED_SUFFIX = 16;

    /**
     * Most journal bytes since the snapshot, per snapshot byte, at which a new snapshot is made: the
     * ratio is measured (see {@link Durable#ratio}), and this bounds it.
     */
    static final double MAX_RATIO = 8.0;
    /**
     * The share of a snapshot's decoding time the journal's replay is planned to take: a restore also
     * replays the segments of the commits made while the next snapshot is being made, and one job's
     * measurement is not the next one's.
     */
    static final double RESTORE_MARGIN = 0.5;
    /**
     * How many background jobs' measurements plan the next snapshot (the least ratio of them): the
     * replay cost per byte of one journal differs from the next one's by up to 4 times (a scheduled
     * size measurement, bursts of split attempts), so the costliest of the recent ones plans.
     */
    static final int PLANNING_JOBS = 4;
    /**
     * Journal bytes since the snapshot, per byte due, beyond which the commit snapshots the live model
     * itself: with {@link #RESTORE_MARGIN} it bounds a restore to about twice decoding the snapshot
     * (1 + 0.5 x 2) even when the background jobs fall behind.
     */
    static final double FALLBACK_RATIO = 2.0;
    /**
     * The longest the stream thread waits, at one read, for background snapshots that fell behind:
     * well within the transaction timeout Kafka Streams sets under exactly-once (10 s), since the
     * wait holds the transaction open.
     */
    static final Duration MAX_STALL = Duration.ofSeconds(4);
    /** Snapshots from this size on are made from the copy the last job kept (see the class comment). */
    static final int SHADOW_MIN_BYTES = 256 * 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final KeyValueStore<Bytes, byte[]> inner;
    private final ModelCheckpoints format;
    private final int chunkBytes;
    private final Executor background;
    private final DurabilityEvents events;
    private final LongSupplier cpuClock;
    private final long maxStallNanos;
    private final int shadowMinBytes;
    // Models whose journal reached FALLBACK_RATIO times what made their snapshot due while their job ran.
    private final Set<String> behind = new HashSet<>();
    // What this instance knows of the durable form of each model it loaded or wrote.
    private final Map<String, Durable> durable = new HashMap<>();
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();

    /**
     * @param background where new snapshots are made
     * @param events     told of every segment and snapshot written (metrics)
     */
    SnapshotJournal(KeyValueStore<Bytes, byte[]> inner, ModelCheckpoints format, int chunkBytes, Executor background,
                    DurabilityEvents events) {
        this(inner, format, chunkBytes, background, events, SnapshotJournal::threadCpuNanos, MAX_STALL,
                SHADOW_MIN_BYTES);
    }

    /**
     * @param cpuClock the time a job's decoding and replay took, read on the job's thread
     * @param maxStall the longest the stream thread waits for jobs that fell behind at one read
     * @param shadowMinBytes the least snapshot size from which jobs start from the copy the last one kept
     */
    SnapshotJournal(KeyValueStore<Bytes, byte[]> inner, ModelCheckpoints format, int chunkBytes, Executor background,
                    DurabilityEvents events, LongSupplier cpuClock, Duration maxStall, int shadowMinBytes) {
        this.inner = inner;
        this.format = format;
        this.chunkBytes = chunkBytes;
        this.background = background;
        this.events = events;
        this.cpuClock = cpuClock;
        this.maxStallNanos = maxStall.toNanos();
        this.shadowMinBytes = shadowMinBytes;
    }

    /** The bookkeeping of one model's durable form; stream thread only. */
    private static final class Durable {
        // Volatile: a background job reads it to tell a snapshot superseded under it from a failure.
        volatile long generation;
        int snapshotChunks;
        int snapshotBytes;
        long firstSegment;
        long nextSegment;
        long journalBytes;
        boolean inFlight;
        // Counted down by the job in flight once its outcome is in the finished queue.
        CountDownLatch jobDone;
        // The stream thread waited for the job in flight as long as it may: the next commit snapshots the model itself.
        boolean stallExpired;
        long fallbacks;
        // After a failed job, the journal size at which to try again.
        long retryAt;
        /*
         * Journal bytes since the snapshot, per snapshot byte, at which the next snapshot is due, as each
         * of the last PLANNING_JOBS background jobs measured it (see Finished.ratio); the least of them
         * plans, because one journal's replay cost per byte predicts the next one's poorly.
         */
        private final double[] ratios = new double[PLANNING_JOBS];
        private int measuredJobs;
        // CPU nanoseconds per snapshot byte of the last decoding a job measured: jobs that start from a shadow do not decode.
        private double decodeNanosPerByte = Double.NaN;
        /*
         * The durable form decoded, with the segments up to shadowThrough replayed: the copy the last job
         * made its snapshot from. Handed to the next job, which owns it until its outcome is back.
         */
        Replayed shadow;
        long shadowThrough;
        // Jobs since the last one that decoded the snapshot afresh.
        int jobsOnShadow;

        /** Between 1 (at most one byte of snapshot per byte of journal written) and MAX_RATIO; 1 until measured. */
        double ratio() {
            double least = MAX_RATIO;
            for (int i = 0; i < Math.min(measuredJobs, PLANNING_JOBS); i++) {
                least = Math.min(least, ratios[i]);
            }
            return measuredJobs == 0 ? 1 : least;
        }

        /**
         * Plans by a job's costs: journal bytes per snapshot byte whose replay costs {@link #RESTORE_MARGIN}
         * of decoding the snapshot, with the last decoding measured where the job did not decode.
         */
        void measured(RestoreCost cost) {
            if (cost.snapshotBytes() > 0 && cost.decodeNanos() > 0) {
                decodeNanosPerByte = (double) cost.decodeNanos() / cost.snapshotBytes();
            }
            if (!Double.isNaN(decodeNanosPerByte)) {
                double replayPerByte = (double) cost.replayNanos() / cost.journalBytes();
                ratios[measuredJobs++ % PLANNING_JOBS] = Math.max(1, Math.min(MAX_RATIO,
                        RESTORE_MARGIN * decodeNanosPerByte / replayPerByte));
            }
        }

        /** Nothing durable yet: the first snapshot will be generation 0. */
        Durable() {
            this.generation = -1;
        }

        Durable(Head head, long nextSegment, long journalBytes) {
            this.generation = head.generation();
            this.snapshotChunks = head.chunks();
            this.snapshotBytes = head.length();
            this.firstSegment = head.firstSegment();
            this.nextSegment = nextSegment;
            this.journalBytes = journalBytes;
        }
    }

    /** A head record's fields; {@code chunks} is 0 for an inline snapshot, whose bytes are {@code inline}. */
    record Head(long generation, long firstSegment, int chunks, int length, int crc, byte[] inline) {

        byte[] encode() {
            EncodeBuffer bytes = new EncodeBuffer(32 + (inline == null ? 0 : inline.length));
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(HEAD);
                ByteUtils.writeVarlong(generation, out);
                ByteUtils.writeVarlong(firstSegment, out);
                if (inline != null) {
                    out.write(INLINE);
                    out.write(inline);
                } else {
                    out.write(CHUNKED);
                    ByteUtils.writeVarint(chunks, out);
                    ByteUtils.writeVarint(length, out);
                    out.writeInt(crc);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Head decode(String key, byte[] head) {
            if (head[0] == ModelCheckpoints.LEGACY_VERSION || head[0] == CheckpointChunks.HEAD) {
                throw new ModelCheckpoints.LegacyFormat();
            }
            if (head[0] != HEAD) {
                throw new CheckpointDecodingException("unknown model head " + head[0] + " of " + key, null);
            }
            ByteArrayInputStream remaining = new ByteArrayInputStream(head, 1, head.length - 1);
            DataInputStream in = new DataInputStream(remaining);
            try {
                long generation = ByteUtils.readVarlong(in);
                long firstSegment = ByteUtils.readVarlong(in);
                byte kind = in.readByte();
                if (kind == INLINE) {
                    byte[] snapshot = in.readAllBytes();
                    return new Head(generation, firstSegment, 0, snapshot.length, 0, snapshot);
                }
                if (kind != CHUNKED) {
                    throw new IOException("unknown snapshot kind " + kind);
                }
                return new Head(generation, firstSegment, ByteUtils.readVarint(in), ByteUtils.readVarint(in),
                        in.readInt(), null);
            } catch (IOException e) {
                throw new CheckpointDecodingException("malformed model head of " + key + ": " + e, e);
            }
        }
    }

    /** A snapshot ready to be written: its bytes, already split into chunks when they do not fit in one record. */
    private record Prepared(byte[] bytes, List<byte[]> chunks, int crc) {

        static Prepared of(byte[] bytes, int chunkBytes) {
            if (bytes.length <= chunkBytes) {
                return new Prepared(bytes, List.of(), 0);
            }
            int count = CheckpointChunks.count(bytes.length, chunkBytes);
            List<byte[]> chunks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                chunks.add(CheckpointChunks.chunk(bytes, chunkBytes, i));
            }
            return new Prepared(bytes, chunks, CheckpointChunks.crc(bytes));
        }
    }

    /**
     * A background job's outcome: a snapshot covering the segments up to {@code lastSegment} and the
     * state it encodes, or null bytes if it failed, and what decoding the previous snapshot (none when
     * the job started from a shadow) and replaying the segments cost (null if it failed before).
     */
    private record Finished(String key, Durable owner, long generation, long lastSegment, long coveredBytes,
                            Prepared snapshot, Replayed built, RestoreCost cost) {

        boolean measured() {
            return cost != null && cost.journalBytes() > 0 && cost.replayNanos() > 0;
        }

        boolean decoded() {
            return cost != null && cost.snapshotBytes() > 0;
        }
    }

    @Override
    public ModelState load(String key) {
        Loaded loaded = readDurable(key, -1, Long.MAX_VALUE);
        if (loaded == null) {
            return null;
        }
        durable.put(key, new Durable(loaded.head(), loaded.nextSegment(), loaded.cost().journalBytes()));
        events.restored(key, loaded.cost());
        return loaded.state();
    }

    @Override
    public ModelState read(String key) {
        Loaded loaded = readDurable(key, -1, Long.MAX_VALUE);
        if (loaded == null) {
            return null;
        }
        requireNotSuperseded(key, loaded);
        return loaded.state();
    }

    /**
     * A read from another thread races the commits: one that installs a snapshot deletes the segments
     * the read's head needs. When segments follow them, the read finds a gap and fails; when none do
     * (the input stopped, so the new snapshot covers the whole journal), it finds no segment at all,
     * and would return the old snapshot alone: the model without the whole journal since that snapshot.
     * A read that saw the segments up to the new snapshot is whole: the state as of an earlier commit.
     *
     * @throws CheckpointDecodingException when a newer snapshot covers segments the read did not find
     */
    private void requireNotSuperseded(String key, Loaded loaded) {
        byte[] stored = inner.get(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
        if (stored == null || stored.length == 0) {
            return;
        }
        Head now = Head.decode(key, stored);
        if (now.generation() != loaded.head().generation() && loaded.nextSegment() < now.firstSegment()) {
            throw new CheckpointDecodingException("snapshot " + loaded.head().generation() + " of " + key
                    + " was replaced during the read, with the journal segments it needs", null);
        }
    }

    private record Loaded(Replayed replayed, Head head, long nextSegment, RestoreCost cost) {

        ModelState state() {
            return replayed.state();
        }
    }

    /**
     * A state with journal segments replayed onto it, and the layouts its replayed observations are on
     * (see {@link ReplayLayouts}): a job hands both to the next one.
     */
    private record Replayed(ModelState state, ReplayLayouts layouts) {
    }

    /**
     * The state of {@code key}: its snapshot with the segments up to {@code lastSegment} replayed, or
     * null if it has none.
     *
     * @param generation the snapshot's expected generation, or -1 for any
     * @throws CheckpointDecodingException when it cannot be read, a segment is missing, or the
     *     snapshot is not of the expected generation
     */
    private Loaded readDurable(String key, long generation, long lastSegment) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] stored = inner.get(Bytes.wrap(keyBytes));
        if (stored == null || stored.length == 0) {
            return null;
        }
        Head head = Head.decode(key, stored);
        if (generation >= 0 && head.generation() != generation) {
            throw new CheckpointDecodingException("snapshot " + generation + " of " + key + " was replaced", null);
        }
        byte[] snapshot = head.inline() != null ? head.inline()
                : CheckpointChunks.assemble(key, head.chunks(), head.length(), head.crc(),
                        index -> inner.get(snapshotChunkKey(keyBytes, head.generation(), index)));
        long started = cpuClock.getAsLong();
        ModelState state;
        try {
            state = format.decode(snapshot);
        } catch (ModelCheckpoints.SettingsChanged changed) {
            throw changed.retired() == null ? changed : withJournalAlertQuality(key, keyBytes, head, changed);
        }
        long decoded = cpuClock.getAsLong();
        ReplayLayouts layouts = new ReplayLayouts();
        Segments segments = readSegments(key, keyBytes, head.firstSegment(), lastSegment,
                segment -> state.replay(segment, layouts));
        return new Loaded(new Replayed(state, layouts), head, segments.next(),
                new RestoreCost(snapshot.length, decoded - started, segments.bytes(), cpuClock.getAsLong() - decoded));
    }

    /**
     * A model built under settings that changed: the alert quality its key goes on with is the
     * snapshot's and what the segments since counted, read without replaying the model's other
     * operations (they need the old settings). Segments that cannot be read lose the alert quality,
     * and the reset says so.
     */
    private ModelCheckpoints.SettingsChanged withJournalAlertQuality(String key, byte[] keyBytes, Head head,
                                                                    ModelCheckpoints.SettingsChanged changed) {
        try {
            readSegments(key, keyBytes, head.firstSegment(), Long.MAX_VALUE, changed.retired()::replayAlertQuality);
            return changed;
        } catch (CheckpointDecodingException e) {
            return changed.alertQualityLost(e.getMessage());
        }
    }

    private record Segments(long next, long bytes) {
    }

    /**
     * Hands the journal segments of {@code key} from {@code first} to {@code lastSegment} to
     * {@code replay}, in order; returns the number of the segment after them and their bytes.
     *
     * @throws CheckpointDecodingException when a segment is missing, or {@code replay} cannot read one
     */
    private Segments readSegments(String key, byte[] keyBytes, long first, long lastSegment, Consumer<byte[]> replay) {
        long next = first;
        long bytes = 0;
        try (KeyValueIterator<Bytes, byte[]> segments = inner.range(segmentKey(keyBytes, first),
                segmentKey(keyBytes, lastSegment))) {
            while (segments.hasNext()) {
                KeyValue<Bytes, byte[]> segment = segments.next();
                long number = ByteBuffer.wrap(segment.key.get(), keyBytes.length + 2, Long.BYTES).getLong();
                if (number != next) {
                    throw new CheckpointDecodingException("journal segment " + next + " of " + key + " is missing ("
                            + number + " follows " + (next - 1) + ")", null);
                }
                replay.accept(segment.value);
                bytes += segment.value.length;
                next++;
            }
        }
        if (lastSegment != Long.MAX_VALUE && next != lastSegment + 1) {
            throw new CheckpointDecodingException("journal segments " + next + " to " + lastSegment + " of " + key
                    + " are missing", null);
        }
        return new Segments(next, bytes);
    }

    /**
     * {@code shadow}, the durable form with the segments up to {@code through} replayed, with those
     * after it up to {@code lastSegment} replayed too; its cost has no decoding.
     *
     * @throws CheckpointDecodingException when a segment is missing (a commit replaced the snapshot meanwhile)
     */
    private Loaded replayOnto(String key, Replayed shadow, long through, long lastSegment) {
        long started = cpuClock.getAsLong();
        Segments segments = readSegments(key, key.getBytes(StandardCharsets.UTF_8), through + 1, lastSegment,
                segment -> shadow.state().replay(segment, shadow.layouts()));
        return new Loaded(shadow, null, segments.next(), new RestoreCost(0, 0, segments.bytes(),
                cpuClock.getAsLong() - started));
    }

    @Override
    public void commitStarts() {
        for (Finished done = finished.poll(); done != null; done = finished.poll()) {
            Durable current = durable.get(done.key());
            if (current != done.owner()) {
                continue;
            }
            current.inFlight = false;
            /*
             * A job superseded by the commit's own snapshot still measured what a restore costs: without
             * it a model whose jobs keep losing that race would keep the unmeasured ratio of 1, the
             * most frequent snapshots, and fall further behind.
             */
            if (done.measured()) {
                current.measured(done.cost());
                events.snapshotJobMeasured(done.key(), done.cost());
            }
            if (done.snapshot() == null) {
                current.retryAt = current.journalBytes + current.snapshotBytes;
            } else if (current.generation == done.generation()) {
                install(done.key(), current, done.snapshot(), done.lastSegment() + 1, done.coveredBytes());
                if (done.snapshot().bytes().length >= shadowMinBytes) {
                    current.shadow = done.built();
                    current.shadowThrough = done.lastSegment();
                    current.jobsOnShadow = done.decoded() ? 0 : current.jobsOnShadow + 1;
                }
            }
        }
    }

    @Override
    public void write(String key, ModelState state, boolean replaced) {
        Durable current = durable.get(key);
        if (replaced || current == null) {
            // A new state: everything it did is in its snapshot.
            state.takeJournal(Integer.MAX_VALUE);
            snapshotNow(key, current, state);
            return;
        }
        for (byte[] segment : state.takeJournal(chunkBytes)) {
            inner.put(segmentKey(key.getBytes(StandardCharsets.UTF_8), current.nextSegment), segment);
            current.nextSegment++;
            current.journalBytes += segment.length;
            events.written(segment.length);
        }
        double due = current.ratio() * current.snapshotBytes;
        boolean outgrown = current.inFlight && current.journalBytes >= FALLBACK_RATIO * due;
        // The next read waits for the job; not twice without a read in between, so the journal stays bounded.
        if (outgrown && !current.stallExpired && behind.add(key)) {
            return;
        }
        if (outgrown) {
            behind.remove(key);
            current.fallbacks++;
            // A machine short of CPU can do this at every few commits: a warning at the 1st, 2nd, 4th, 8th... time.
            if (Long.bitCount(current.fallbacks) == 1) {
                log.warn("Snapshotting model {} on the stream thread ({} times so far): background snapshots are {} "
                        + "journal bytes behind", key, current.fallbacks, current.journalBytes);
            }
            events.snapshotOnStreamThread(key);
            snapshotNow(key, current, state);
        } else if (!current.inFlight && current.journalBytes >= due && current.journalBytes >= current.retryAt) {
            submit(key, current);
        }
    }

    /**
     * Waits, for at most {@link #MAX_STALL} in all, for the jobs of the models whose journal outgrew
     * them at the last commit; a model whose job is still not done is snapshotted by the next commit.
     */
    @Override
    public void awaitBackground() {
        if (behind.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        for (String key : behind) {
            Durable current = durable.get(key);
            if (current == null || !current.inFlight) {
                continue;
            }
            try {
                long left = maxStallNanos - (System.nanoTime() - started);
                current.stallExpired = !current.jobDone.await(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                current.stallExpired = true;
            }
        }
        behind.clear();
        events.stalled(System.nanoTime() - started);
    }

    /** Writes the snapshot of {@code state}, which covers every segment written so far, and deletes what it supersedes. */
    private void snapshotNow(String key, Durable current, ModelState state) {
        Prepared snapshot = Prepared.of(format.encode(state), chunkBytes);
        if (current == null) {
            // Whatever the store holds of the key is unknown here (e.g. a checkpoint that could not be read).
            deleteDerived(key.getBytes(StandardCharsets.UTF_8));
            current = new Durable();
            durable.put(key, current);
        }
        install(key, current, snapshot, current.nextSegment, current.journalBytes);
    }

    /**
     * Writes {@code snapshot}, which covers the segments before {@code firstSegment}, as the next
     * generation, and deletes the snapshot and segments it supersedes.
     */
    private void install(String key, Durable current, Prepared snapshot, long firstSegment, long coveredBytes) {
        // Whoever made this snapshot, a kept copy is of the one it replaces; a job's own is kept by the caller.
        current.shadow = null;
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        long generation = current.generation + 1;
        for (int i = 0; i < snapshot.chunks().size(); i++) {
            if (i == 1) {
                HaltBetweenChunks.betweenChunks(key, snapshot.chunks().size());
            }
            inner.put(snapshotChunkKey(keyBytes, generation, i), snapshot.chunks().get(i));
        }
        Head head = snapshot.chunks().isEmpty()
                ? new Head(generation, firstSegment, 0, snapshot.bytes().length, 0, snapshot.bytes())
                : new Head(generation, firstSegment, snapshot.chunks().size(), snapshot.bytes().length, snapshot.crc(),
                        null);
        inner.put(Bytes.wrap(keyBytes), head.encode());
        for (int i = 0; i < current.snapshotChunks; i++) {
            inner.delete(snapshotChunkKey(keyBytes, current.generation, i));
        }
        for (long segment = current.firstSegment; segment < firstSegment; segment++) {
            inner.delete(segmentKey(keyBytes, segment));
        }
        events.written(snapshot.bytes().length);
        current.generation = generation;
        current.snapshotChunks = snapshot.chunks().size();
        current.snapshotBytes = snapshot.bytes().length;
        current.firstSegment = firstSegment;
        current.nextSegment = Math.max(current.nextSegment, firstSegment);
        current.journalBytes -= coveredBytes;
        current.retryAt = 0;
        current.stallExpired = false;
    }

    /**
     * Makes the next snapshot of {@code key} in the background, from what the inner store holds now.
     * Segments and snapshot chunks are never rewritten under the same key, and only this thread
     * deletes them, once the job is done or its outcome void: the job reads them consistently or
     * fails.
     */
    private void submit(String key, Durable current) {
        long generation = current.generation;
        long lastSegment = current.nextSegment - 1;
        long coveredBytes = current.journalBytes;
        Replayed shadow = current.jobsOnShadow < PLANNING_JOBS - 1 ? current.shadow : null;
        long shadowThrough = current.shadowThrough;
        current.shadow = null;
        current.inFlight = true;
        current.stallExpired = false;
        CountDownLatch done = new CountDownLatch(1);
        current.jobDone = done;
        try {
            background.execute(() -> {
                Prepared snapshot = null;
                Replayed built = null;
                RestoreCost cost = null;
                try {
                    Loaded loaded = shadow != null ? replayOnto(key, shadow, shadowThrough, lastSegment)
                            : readDurable(key, generation, lastSegment);
                    if (loaded == null) {
                        throw new CheckpointDecodingException("model " + key + " was deleted", null);
                    }
                    cost = loaded.cost();
                    built = loaded.replayed();
                    snapshot = Prepared.of(format.encode(built.state()), chunkBytes);
                } catch (RuntimeException e) {
                    if (current.generation != generation) {
                        // The commit snapshotted the live model meanwhile and deleted what this job read.
                        log.debug("Background snapshot of model {} superseded by the commit's", key);
                    } else if (!inner.isOpen()) {
                        // A shutdown or rebalance closed the store under the job: the journal it would have covered stays.
                        log.debug("Background snapshot of model {} stopped: its store was closed", key);
                    } else {
                        log.warn("Cannot make a new snapshot of model {} in the background; the next commits try "
                                + "again", key, e);
                    }
                }
                finished.add(new Finished(key, current, generation, lastSegment, coveredBytes, snapshot, built, cost));
                done.countDown();
            });
        } catch (RejectedExecutionException e) {
            current.inFlight = false;
            log.warn("Cannot make a new snapshot of model {} in the background", key, e);
        }
    }

    @Override
    public void delete(String key) {
        inner.delete(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
        deleteDerived(key.getBytes(StandardCharsets.UTF_8));
        durable.remove(key);
        behind.remove(key);
    }

    /**
     * Deletes every snapshot chunk and segment of the key, and any record an earlier layout derived
     * from it: the keys from {@code k 0xFF} to {@code k 0xFF} and 16 more 0xFF bytes, longer than any
     * derived key's suffix. (Not {@code prefixScan}: its exclusive upper bound, the prefix incremented,
     * is {@code k+1} when the prefix ends in 0xFF, and would take the next key along.)
     */
    private void deleteDerived(byte[] keyBytes) {
        byte[] last = CheckpointChunks.derivedPrefix(keyBytes, DERIVED_SUFFIX);
        Arrays.fill(last, keyBytes.length, last.length, (byte) 0xFF);
        List<Bytes> derived = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> records = inner.range(Bytes.wrap(CheckpointChunks.derivedPrefix(keyBytes,
                0)), Bytes.wrap(last))) {
            records.forEachRemaining(record -> derived.add(record.key));
        }
        derived.forEach(inner::delete);
    }

    @Override
    public void clear() {
        durable.clear();
        finished.clear();
        behind.clear();
    }

    @Override
    public Set<String> keys() {
        return CheckpointChunks.valueKeys(inner);
    }

    /** CPU time of this thread, where the JVM measures it: a loaded machine's waits are not a job's cost. */
    private static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    static Bytes segmentKey(byte[] key, long segment) {
        return Bytes.wrap(ByteBuffer.wrap(CheckpointChunks.derivedPrefix(key, 1 + Long.BYTES)).position(key.length + 1)
                .put(SEGMENT).putLong(segment).array());
    }

    static Bytes snapshotChunkKey(byte[] key, long generation, int index) {
        return Bytes.wrap(ByteBuffer.wrap(CheckpointChunks.derivedPrefix(key, 1 + Long.BYTES + Integer.BYTES))
                .position(key.length + 1).put(SNAPSHOT_CHUNK).putLong(generation).putInt(index).array());
    }
}
