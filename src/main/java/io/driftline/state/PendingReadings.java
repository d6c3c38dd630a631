package io.driftline.state;

import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The readings devices hold while they wait for a delayed label, one store entry each, written
 * once when a reading is queued and deleted when it is resolved. A device's {@link DeviceState}
 * keeps only their ids: checkpointing a device then costs its few changed entries rather than its
 * whole queue (with a 2-hour horizon and a reading a minute, about 125 readings of 50-odd
 * features, 60 KB, rewritten at every commit that touched the device).
 *
 * <p>Writes go straight to a changelogged RocksDB store, inside the same transaction as the
 * device checkpoints that refer to them, so a crash restores the two consistently.
 */
public final class PendingReadings {

    private final KeyValueStore<Bytes, byte[]> store;

    public PendingReadings(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** The store's builder: persistent and changelogged like the checkpoint stores, without a record cache. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled();
    }

    public void put(String deviceId, PendingId id, PendingReading reading) {
        store.put(key(deviceId, id), reading.encode());
    }

    /** Removes and returns the reading {@code id} of {@code deviceId}. */
    public PendingReading take(String deviceId, PendingId id) {
        byte[] bytes = store.delete(key(deviceId, id));
        if (bytes == null) {
            throw new IllegalStateException("no pending reading " + id.value() + " of device " + deviceId);
        }
        return PendingReading.decode(bytes);
    }

    /** Removes every reading of {@code deviceId} (its state was replaced by a new one). */
    public void dropAll(String deviceId) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.prefixScan(prefix(deviceId), Serdes.Bytes().serializer())) {
            entries.forEachRemaining((KeyValue<Bytes, byte[]> entry) -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    /** The device id's length and bytes: a device's readings share it, and no other device's key starts with it. */
    private static Bytes prefix(String deviceId) {
        return Bytes.wrap(key(deviceId, 0).array());
    }

    private static Bytes key(String deviceId, PendingId id) {
        return Bytes.wrap(key(deviceId, Long.BYTES).putLong(id.value()).array());
    }

    private static ByteBuffer key(String deviceId, int suffix) {
        byte[] device = deviceId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Integer.BYTES + device.length + suffix).putInt(device.length).put(device);
    }
}
