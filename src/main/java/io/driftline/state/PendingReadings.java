package io.driftline.state;

import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.RocksDbWindowBytesStoreSupplier;

/**
 * The readings devices hold while they wait for a delayed label, one store entry each, written
 * once when a reading is queued and never written again: resolving a reading reads it, and readings
 * leave the store by time, whole segments at once, when the task's {@link PendingClock} has passed
 * them by the retention. Deleting each reading when resolved cost a changelog tombstone and a
 * RocksDB delete per reading (about 65 of the 565 bytes and one of the two records it wrote). A
 * device's {@link DeviceState} keeps only the ids of its readings: checkpointing a device then costs
 * its few changed entries rather than its whole queue (with a 2-hour horizon and a reading a minute,
 * about 125 readings of 50-odd features, 60 KB, rewritten at every commit that touched the device).
 *
 * <p>A Kafka Streams window store: an entry's key is its device and pending id, its timestamp the
 * clock when it was stored (its stamp). A resolved reading is found by key among the stamps from
 * its event time (rounded up, {@link PendingClock#earliestStamp}) to the clock, newest first: a
 * device whose state was replaced (moved, retyped, unreadable) starts its ids again while its
 * earlier entries wait to expire, and its current entries are always the newer ones. Those earlier
 * entries are never read again, so dropping a device's state writes nothing either.
 *
 * <p>The clock itself is kept as an entry of its own (stamped with its value, written when it moves
 * to a new quantum, once a minute of event time), because the store's own stream time is not kept
 * across a restart and starts again from whatever is put first. Expiry is decided by the clock,
 * not by the store: an entry is read only at stamps the clock keeps live, and the clock is never
 * behind the store's stream time, so the store holds every such entry whatever it dropped; a replay
 * of the same inputs after a restart or a restore therefore finds exactly the readings the live run
 * found.
 *
 * <p>Writes go straight to a changelogged RocksDB store, inside the same transaction as the
 * device checkpoints that refer to them, so a crash restores the two consistently. The changelog
 * is deleted by time ({@code cleanup.policy=delete}: no key is written twice, so compaction would
 * only copy segments for nothing), with Kafka Streams' retention for windowed changelogs, the store's
 * plus {@code windowstore.changelog.additional.retention.ms} (a day by default), counted from when
 * each record was appended ({@code LogAppendTime}): by the records' own timestamps, the event times of
 * a replayed history, the broker would delete them while they are still waiting.
 */
public final class PendingReadings {

    /**
     * Fixed, not derived from the retention as Kafka's own window stores do: RocksDB segments are
     * named by their start times, and a store opened with another interval does not find those it
     * wrote, so the horizon, the grace or the margin could not be changed without losing the readings
     * waiting. Twelve hours keep a default store (30 hours' retention) in four segments at most, and
     * a resolution's lookup, which visits the segments between its reading and the clock, in one to
     * three.
     */
    static final long SEGMENT_MS = Duration.ofHours(12).toMillis();
    // A key no entry's can be: theirs start with the non-negative length of a device id.
    private static final Bytes CLOCK_KEY = Bytes.wrap(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
    private static final byte[] CLOCK_VALUE = new byte[0];

    private final WindowStore<Bytes, byte[]> store;
    private final PendingClock clock;
    private boolean resumed;

    /** @param retention how long, in the clock's time, a stored reading is kept: the store's own */
    public PendingReadings(WindowStore<Bytes, byte[]> store, Duration retention) {
        this.store = store;
        this.clock = new PendingClock(retention.toMillis());
    }

    /** The store's builder: persistent, changelogged as the class comment says, without a record cache. */
    public static StoreBuilder<WindowStore<Bytes, byte[]>> builder(String name, Duration retention) {
        // Kafka's public factory derives the segment interval from the retention (see SEGMENT_MS).
        RocksDbWindowBytesStoreSupplier supplier = new RocksDbWindowBytesStoreSupplier(name, retention.toMillis(),
                SEGMENT_MS, 1, false, RocksDbWindowBytesStoreSupplier.WindowStoreTypes.DEFAULT_WINDOW_STORE);
        return Stores.windowStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
    }

    /** Keeps the reading {@code id} of {@code deviceId}, taken at {@code time} (event time). */
    public void put(String deviceId, PendingId id, long time, PendingReading reading) {
        PendingClock clock = clock();
        if (clock.advance(time)) {
            store.put(CLOCK_KEY, CLOCK_VALUE, clock.now());
        }
        store.put(key(deviceId, id), reading.encode(), clock.now());
    }

    /**
     * The reading {@code id} of {@code deviceId}, taken at {@code time}, or why it is gone. It stays
     * in the store until it expires, but is never looked up again.
     */
    public PendingLookup take(String deviceId, PendingId id, long time) {
        PendingClock clock = clock();
        long earliest = PendingClock.earliestStamp(time);
        if (clock.known()) {
            long from = Math.max(earliest, clock.oldestLive());
            if (from <= clock.now()) {
                try (WindowStoreIterator<byte[]> newestFirst = store.backwardFetch(key(deviceId, id), from,
                        clock.now())) {
                    if (newestFirst.hasNext()) {
                        return new PendingLookup.Found(PendingReading.decode(newestFirst.next().value));
                    }
                }
            }
        }
        return new PendingLookup.Gone(clock.expired(earliest) ? PendingLookup.Reason.EXPIRED
                : PendingLookup.Reason.MISSING);
    }

    /** The clock, resumed from the store on first use (the stream thread's, once the store is restored). */
    private PendingClock clock() {
        if (!resumed) {
            try (WindowStoreIterator<byte[]> newestFirst = store.backwardFetch(CLOCK_KEY, 0, Long.MAX_VALUE)) {
                if (newestFirst.hasNext()) {
                    clock.resume(newestFirst.next().key);
                }
            }
            resumed = true;
        }
        return clock;
    }

    private static Bytes key(String deviceId, PendingId id) {
        byte[] device = deviceId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + device.length + Long.BYTES)
                .putInt(device.length).put(device).putLong(id.value()).array());
    }
}
