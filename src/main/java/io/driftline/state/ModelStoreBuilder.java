package io.driftline.state;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link ModelStore} around a RocksDB store of the same name with change logging on:
 * persistent because an in-memory inner store made restarts after a kill -9 wait ~10 s for the
 * killed instance's transaction to time out. Kafka's record cache is never used: the model store
 * is its own cache.
 */
public final class ModelStoreBuilder implements StoreBuilder<ModelStore> {

    private final String name;
    private final Map<String, String> logConfig = new HashMap<>();

    public ModelStoreBuilder(String name) {
        this.name = name;
    }

    @Override
    public ModelStore build() {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> inner = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(logConfig);
        return new ModelStore(inner.build());
    }

    @Override
    public StoreBuilder<ModelStore> withCachingEnabled() {
        throw new UnsupportedOperationException("the model store is its own cache");
    }

    @Override
    public StoreBuilder<ModelStore> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<ModelStore> withLoggingEnabled(Map<String, String> config) {
        logConfig.putAll(config);
        return this;
    }

    @Override
    public StoreBuilder<ModelStore> withLoggingDisabled() {
        throw new UnsupportedOperationException("models must be changelogged to survive a crash");
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
