package io.driftline.state;

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
 * The parts of model bundles being imported, by model key and part number, until the last part
 * arrives: each part is one store entry, no longer than the command that carried it, so that the
 * changelog takes it as it is. Written in the same transaction as the model the bundle becomes.
 */
public final class ImportParts {

    private final KeyValueStore<Bytes, byte[]> store;

    public ImportParts(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** The store's builder: persistent and changelogged, without a record cache (parts are written once). */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled();
    }

    public void put(String modelKey, int part, ImportPart value) {
        store.put(key(modelKey, part), value.encode());
    }

    /** Part {@code part} of {@code modelKey}'s import, or null if none is kept. */
    public ImportPart get(String modelKey, int part) {
        byte[] bytes = store.get(key(modelKey, part));
        return bytes == null ? null : ImportPart.decode(bytes);
    }

    /** Forgets every part kept for {@code modelKey}. */
    public void dropAll(String modelKey) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.prefixScan(prefix(modelKey), Serdes.Bytes().serializer())) {
            entries.forEachRemaining((KeyValue<Bytes, byte[]> entry) -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    /** The model key's length and bytes: its parts share it, and no other model key's start with it. */
    private static Bytes prefix(String modelKey) {
        return Bytes.wrap(key(modelKey, 0, 0).array());
    }

    private static Bytes key(String modelKey, int part) {
        return Bytes.wrap(key(modelKey, Integer.BYTES, part).array());
    }

    private static ByteBuffer key(String modelKey, int suffix, int part) {
        byte[] key = modelKey.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + key.length + suffix).putInt(key.length).put(key);
        return suffix == 0 ? buffer : buffer.putInt(part);
    }
}
