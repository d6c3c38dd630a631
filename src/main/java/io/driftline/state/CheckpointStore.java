package io.driftline.state;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live state objects of one task (models, per-device label queues) kept in memory and
 * checkpointed into a changelogged byte store when Kafka Streams commits.
 *
 * <h2>Why this is consistent with the committed offsets</h2>
 * Serialising a model on every record costs milliseconds; serialising on a timer loses updates on
 * a crash. Kafka Streams' commit ({@code StreamTask.prepareCommit}) calls
 * {@code ProcessorStateManager.flushCache()} on every registered store that implements
 * {@link CachedStateStore} <em>before</em> it flushes the record collector and commits the
 * transaction (the hook Kafka's own caching store uses). {@link #flushCache()} therefore writes
 * every model changed since the last commit into the inner store, whose change-logging layer
 * sends it to the changelog inside the same transaction as the outputs and the input offsets.
 * Under exactly_once_v2 a crash aborts the transaction, the task's state is rebuilt from the
 * changelog, and processing resumes from the committed offsets with exactly the models that
 * belonged to them. {@code StateStore#commit}, {@code flush()} and the restore callback all run
 * after the transaction's records are sent: too late, hence this internal interface. Its use is
 * guarded by the crash-equivalence integration test; re-run it before upgrading Kafka.
 *
 * <p>Changelog restoration and standby tasks write into the inner store directly, bypassing the
 * live map, so the map is cleared whenever the task is (re)initialised, closed or recycled, and
 * models are loaded lazily from the inner store on a miss. Not thread-safe: used by one stream
 * thread; interactive queries read the inner store's bytes only.
 */
public final class CheckpointStore<V extends Serializable>
        implements StateStore, CachedStateStore<Bytes, byte[]>, ReadOnlyCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);

    private final KeyValueStore<Bytes, byte[]> inner;
    private final Class<V> type;
    private final Map<String, V> live = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();

    CheckpointStore(KeyValueStore<Bytes, byte[]> inner, Class<V> type) {
        this.inner = inner;
        this.type = type;
    }

    /**
     * The live value of {@code key}, or null if it has none yet.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when the checkpoint cannot be read
     */
    public V get(String key) {
        V value = live.get(key);
        if (value == null) {
            byte[] bytes = inner.get(bytesOf(key));
            if (bytes != null) {
                value = CheckpointCodec.decode(bytes, type);
                live.put(key, value);
            }
        }
        return value;
    }

    /** Makes {@code value} the live value of {@code key}; it is checkpointed at the next commit. */
    public void put(String key, V value) {
        live.put(key, value);
        dirty.add(key);
    }

    /** Records that the live value of {@code key} changed; it is checkpointed at the next commit. */
    public void markDirty(String key) {
        if (!live.containsKey(key)) {
            throw new IllegalStateException("no live value for " + key);
        }
        dirty.add(key);
    }

    /** The checkpointed bytes of {@code key}, as of the last commit (for interactive queries). */
    @Override
    public byte[] checkpointed(String key) {
        return inner.get(bytesOf(key));
    }

    /** Keys of all checkpointed values (for interactive queries). */
    @Override
    public Set<String> checkpointedKeys() {
        Set<String> keys = new LinkedHashSet<>();
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            all.forEachRemaining(entry -> keys.add(new String(entry.key.get(), StandardCharsets.UTF_8)));
        }
        return keys;
    }

    /** Number of values changed since the last commit. */
    public int dirtyCount() {
        return dirty.size();
    }

    @Override
    public void flushCache() {
        for (String key : dirty) {
            inner.put(bytesOf(key), CheckpointCodec.encode(live.get(key)));
        }
        if (!dirty.isEmpty()) {
            log.debug("Checkpointed {} values of {}", dirty.size(), name());
        }
        dirty.clear();
    }

    @Override
    public void clearCache() {
        live.clear();
        dirty.clear();
    }

    /** Checkpoints are written by {@link #flushCache()} itself; there is no downstream listener. */
    @Override
    public boolean setFlushListener(CacheFlushListener<Bytes, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        clearCache();
        inner.init(context, root);
    }

    @Override
    public String name() {
        return inner.name();
    }

    /** Commits the inner store; checkpoints were written to it by {@link #flushCache()} already. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    /** Still consulted by Kafka Streams 4.3's state manager: the inner store decides. */
    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    @Override
    public void close() {
        clearCache();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    private static Bytes bytesOf(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }
}
