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
 * leave the store by time, whole segments at once, once the task's {@link PendingClock} has passed
 * them by the retention. Deleting each reading when resolved cost a changelog tombstone and a
 * RocksDB delete per reading. A device's {@link DeviceState} keeps only the ids of its readings:
 * checkpointing a device then costs its few changed entries rather than its whole queue (with a
 * 2-hour horizon and a reading a minute, about 125 readings of 50-odd features, 60 KB, rewritten at
 * every commit that touched the device).
 *
 * <p>A Kafka Streams window store: an entry's key is its device and pending id, its timestamp the
 * time it is kept by (the reading's event time plus how far the clock was past it when it came,
 * {@link PendingClock#lag}), both of which the device's queue keeps, so that resolving a reading is a point
 * lookup (a RocksDB get, which its bloom filters make cheap, where a range over the segments would
 * open an iterator on each). A device whose state was replaced (moved, retyped,
 * unreadable) numbers its readings from 0 again while its earlier entries wait to expire: an entry
 * of the same id and time is overwritten by the new one, and any other is never read.
 * Dropping a device's state therefore writes nothing either.
 *
 * <p>The clock itself is kept as an entry of its own (stamped with its value, written when it moves
 * to a new quantum, once a minute of event time), because the store's own stream time is not kept
 * across a restart and starts again from whatever is put first. Expiry is decided by the clock,
 * not by the store: a reading is never written expired (it is kept by at least the clock's quantum
 * before the newest), one the clock expired is not read, and the clock is never
 * behind the store's stream time, so the store holds every reading the clock keeps whatever it
 * dropped; a replay of the same inputs after a restart or a restore finds exactly the readings the
 * live run found.
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
     * waiting. Twelve hours keep a default store (30 hours' retention) in four segments at most.
     */
    static final long SEGMENT_MS = Duration.ofHours(12).toMillis();
    // A key no entry's can be: theirs are longer, and 0xFF is no byte of UTF-8.
    private static final Bytes CLOCK_KEY = Bytes.wrap(new byte[] {(byte) 0xFF});
    private static final byte[] CLOCK_VALUE = new byte[0];

    private final WindowStore<Bytes, byte[]> store;
    private final PendingClock clock;
    private boolean resumed;

    /** @param retention how long a reading is kept once the clock has passed its event time: the store's own */
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

    /**
     * Keeps the reading {@code id} of {@code deviceId}, taken at {@code time} (event time), by that
     * time plus how far the clock is past it ({@link PendingClock#lag}); returns the id to look it up
     * by, which carries that lag.
     */
    public PendingId put(String deviceId, PendingId id, long time, PendingReading reading) {
        PendingClock clock = clock();
        if (clock.advance(time)) {
            store.put(CLOCK_KEY, CLOCK_VALUE, clock.now());
        }
        PendingId kept = id.lagging(clock.lag(time));
        store.put(key(deviceId, kept), reading.encode(), kept.keptBy(time));
        return kept;
    }

    /**
     * The reading {@code id} of {@code deviceId} (as {@link #put} returned it), taken at {@code time},
     * or why it is gone. It stays in the store until it expires, but is never looked up again.
     */
    public PendingLookup take(String deviceId, PendingId id, long time) {
        long keptBy = id.keptBy(time);
        if (clock().expired(keptBy)) {
            return new PendingLookup.Gone(PendingLookup.Reason.EXPIRED);
        }
        byte[] bytes = store.fetch(key(deviceId, id), keptBy);
        return bytes == null ? new PendingLookup.Gone(PendingLookup.Reason.MISSING)
                : new PendingLookup.Found(PendingReading.decode(bytes));
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

    /**
     * The device id's bytes, then the pending id's eight: two keys are equal only if both are (the
     * length tells where the device id ends). Nothing looks keys up by prefix, so the device id needs
     * no length of its own.
     */
    private static Bytes key(String deviceId, PendingId id) {
        byte[] device = deviceId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(device.length + Long.BYTES).put(device).putLong(id.value()).array());
    }
}
