package io.driftline.state;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
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

    /**
     * Where model snapshots are made: one daemon thread for the process, below the stream threads'
     * priority (a snapshot is due only now and then, and nothing waits for it).
     */
    private static final ExecutorService SNAPSHOTS = Executors.newSingleThreadExecutor(job -> {
        Thread thread = new Thread(job, "driftline-snapshots");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });

    private final String name;
    private final Function<KeyValueStore<Bytes, byte[]>, DurableForm<V>> form;
    private final Map<String, String> logConfig = new HashMap<>();

    private CheckpointStoreBuilder(String name, int chunkBytes,
                                   Function<KeyValueStore<Bytes, byte[]>, DurableForm<V>> form) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkBytes);
        }
        this.name = name;
        this.form = form;
    }

    /**
     * A store whose values are checkpointed whole at every commit that changed them.
     *
     * @param chunkBytes longest checkpoint written as one changelog record; longer ones are chunked
     * @param written    told the size of every checkpoint written (a metric)
     */
    public static <V> CheckpointStoreBuilder<V> whole(String name, CheckpointFormat<V> format, int chunkBytes,
                                                      IntConsumer written) {
        return new CheckpointStoreBuilder<>(name, chunkBytes,
                inner -> new WholeCheckpoints<>(inner, format, chunkBytes, written));
    }

    /**
     * A store of models, each made durable as a snapshot and a journal ({@link SnapshotJournal}),
     * its snapshots made on the process's snapshot thread.
     *
     * @param chunkBytes longest record written; longer snapshots are chunked
     * @param events     told of every journal segment and snapshot written (metrics)
     */
    public static CheckpointStoreBuilder<ModelState> models(String name, ModelCheckpoints format, int chunkBytes,
                                                            DurabilityEvents events) {
        return models(name, format, chunkBytes, SNAPSHOTS, events);
    }

    /** Like {@link #models(String, ModelCheckpoints, int, DurabilityEvents)}, with snapshots made by {@code background}. */
    public static CheckpointStoreBuilder<ModelState> models(String name, ModelCheckpoints format, int chunkBytes,
                                                            Executor background, DurabilityEvents events) {
        return new CheckpointStoreBuilder<>(name, chunkBytes,
                inner -> new SnapshotJournal(inner, format, chunkBytes, background, events));
    }

    @Override
    public CheckpointStore<V> build() {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> inner = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(logConfig);
        return new CheckpointStore<>(inner.build(), form);
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
