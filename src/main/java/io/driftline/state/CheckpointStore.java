package io.driftline.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live state objects of one task (models, device states) kept in memory and made durable in a
 * changelogged byte store when Kafka Streams commits.
 *
 * <h2>Why this is consistent with the committed offsets</h2>
 * Serialising a model on every record costs milliseconds; serialising on a timer loses updates on
 * a crash. Kafka Streams' commit ({@code StreamTask.prepareCommit}) calls
 * {@code ProcessorStateManager.flushCache()} on every registered store that implements
 * {@link CachedStateStore} <em>before</em> it flushes the record collector and commits the
 * transaction (the hook Kafka's own caching store uses). {@link #flushCache()} therefore writes
 * what changed of every value changed since the last commit into the inner store, whose
 * change-logging layer sends it to the changelog inside the same transaction as the outputs and the
 * input offsets. Under exactly_once_v2 a crash aborts the transaction, the task's state is rebuilt
 * from the changelog, and processing resumes from the committed offsets with exactly the values
 * that belonged to them. {@code StateStore#commit}, {@code flush()} and the restore callback all run
 * after the transaction's records are sent: too late, hence this internal interface. Its use is
 * guarded by the crash-equivalence integration test; re-run it before upgrading Kafka.
 *
 * <p>Changelog restoration and standby tasks write into the inner store directly, bypassing the
 * live map, so the map is cleared whenever the task is (re)initialised, closed or recycled, and
 * values are loaded lazily from the inner store on a miss. Not thread-safe: used by one stream
 * thread; interactive queries read the inner store only.
 *
 * <h2>Durable forms</h2>
 * What a commit writes per changed value is the {@link DurableForm}'s business: device states are
 * written whole ({@link WholeCheckpoints}); a model, whose whole form grows with everything it has
 * learned, as the operations applied to it since the last commit, with a snapshot now and then
 * ({@link SnapshotJournal}). Either splits records longer than {@code chunkBytes} into chunks: a
 * record above the topic's {@code max.message.bytes} and the producer's {@code max.request.size}
 * (1 MiB each by default) would fail the commit, every time, for every value of the task.
 */
public final class CheckpointStore<V>
        implements StateStore, CachedStateStore<Bytes, byte[]>, ReadOnlyCheckpoints<V> {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    // A checkpoint that cannot be read this many times running is unreadable, not raced.
    private static final int READ_ATTEMPTS = 3;

    private final KeyValueStore<Bytes, byte[]> inner;
    private final DurableForm<V> form;
    private final Map<String, V> live = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    // Keys put since the last commit: their earlier durable form no longer counts.
    private final Set<String> replaced = new HashSet<>();

    CheckpointStore(KeyValueStore<Bytes, byte[]> inner, Function<KeyValueStore<Bytes, byte[]>, DurableForm<V>> form) {
        this.inner = inner;
        this.form = form.apply(inner);
    }

    /**
     * A model store over {@code inner}, which the caller manages (benchmarks measure what the store
     * writes into it); the topology builds its stores with {@link CheckpointStoreBuilder}.
     *
     * @param background where new snapshots are made
     * @param events     told of every journal segment and snapshot written
     */
    public static CheckpointStore<ModelState> models(KeyValueStore<Bytes, byte[]> inner, ModelCheckpoints format,
                                                     int chunkBytes, Executor background, DurabilityEvents events) {
        return new CheckpointStore<>(inner, store -> new SnapshotJournal(store, format, chunkBytes, background,
                events));
    }

    /**
     * The live value of {@code key}, or null if it has none yet.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when the checkpoint cannot be read
     */
    public V get(String key) {
        form.awaitBackground();
        V value = live.get(key);
        if (value == null && !live.containsKey(key)) {
            value = form.load(key);
            if (value != null) {
                live.put(key, value);
            }
        }
        return value;
    }

    /** Makes {@code value} the live value of {@code key}; it is made durable at the next commit. */
    public void put(String key, V value) {
        live.put(key, value);
        dirty.add(key);
        replaced.add(key);
    }

    /**
     * Removes the value of {@code key}, e.g. one whose checkpoint cannot be read; its checkpoint is
     * deleted at the next commit.
     */
    public void remove(String key) {
        // A null live value stands for "none", so that the checkpoint is not loaded again before it is deleted.
        live.put(key, null);
        dirty.add(key);
    }

    /** Records that the live value of {@code key} changed; what changed is made durable at the next commit. */
    public void markDirty(String key) {
        if (live.get(key) == null) {
            throw new IllegalStateException("no live value for " + key);
        }
        dirty.add(key);
    }

    /**
     * The value of {@code key} as of the last commit, read from the inner store (for interactive
     * queries, from any thread), or null. A read can race the stream thread's commit, which may
     * install a new snapshot and delete the chunks and journal segments the read was about to
     * reach; the read is then tried again, as of the newer commit.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when it cannot be read
     */
    @Override
    public V checkpointed(String key) {
        for (int attempt = 1; ; attempt++) {
            try {
                return form.read(key);
            } catch (CheckpointCodec.CheckpointDecodingException e) {
                if (attempt == READ_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Keys of all checkpointed values (for interactive queries). */
    @Override
    public Set<String> checkpointedKeys() {
        return form.keys();
    }

    /** Number of values changed since the last commit. */
    public int dirtyCount() {
        return dirty.size();
    }

    @Override
    public void flushCache() {
        form.commitStarts();
        for (String key : dirty) {
            V value = live.get(key);
            if (value == null) {
                form.delete(key);
                live.remove(key);
            } else {
                form.write(key, value, replaced.contains(key));
            }
        }
        if (!dirty.isEmpty()) {
            log.debug("Checkpointed {} values of {}", dirty.size(), name());
        }
        dirty.clear();
        replaced.clear();
    }

    @Override
    public void clearCache() {
        live.clear();
        dirty.clear();
        replaced.clear();
        form.clear();
    }

    /** Values are written by {@link #flushCache()} itself; there is no downstream listener. */
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

    /** Commits the inner store; values were written to it by {@link #flushCache()} already. */
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
}
