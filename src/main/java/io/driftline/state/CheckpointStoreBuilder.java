package io.driftline.state;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link CheckpointStore} around a RocksDB store of the same name with change logging on:
 * persistent because an in-memory inner store made restarts after a kill -9 wait ~10 s for the
 * killed instance's transaction to time out. Kafka's record cache is never used: the checkpoint store
 * is its own cache.
 */
public final class CheckpointStoreBuilder<V> implements StoreBuilder<CheckpointStore<V>> {

    private final String name;
    private final CheckpointFormat<V> format;
    private final int chunkBytes;
    private final IntConsumer written;
    private final Map<String, String> logConfig = new HashMap<>();

    /**
     * @param chunkBytes longest checkpoint written as one changelog record; longer ones are chunked
     * @param written    told the size of every checkpoint written (a metric)
     */
    public CheckpointStoreBuilder(String name, CheckpointFormat<V> format, int chunkBytes, IntConsumer written) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkBytes);
        }
        this.name = name;
        this.format = format;
        this.chunkBytes = chunkBytes;
        this.written = written;
    }

    @Override
    public CheckpointStore<V> build() {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> inner = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(logConfig);
        return new CheckpointStore<>(inner.build(), format, chunkBytes, written);
    }

    @Override
    public StoreBuilder<CheckpointStore<V>> withCachingEnabled() {
        throw new UnsupportedOperationException("the checkpoint store is its own cache");
    }

    @Override
    public StoreBuilder<CheckpointStore<V>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<CheckpointStore<V>> withLoggingEnabled(Map<String, String> config) {
        logConfig.putAll(config);
        return this;
    }

    @Override
    public StoreBuilder<CheckpointStore<V>> withLoggingDisabled() {
        throw new UnsupportedOperationException("checkpoints must be changelogged to survive a crash");
    }

    @Override
    public Map<String, String> logConfig() {
        return logConfig;
    }

    @Override
    public boolean loggingEnabled() {
        return true;
    }

    @Override
    public String name() {
        return name;
    }
}
