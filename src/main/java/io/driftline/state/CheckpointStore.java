package io.driftline.state;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
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
 *
 * <h2>Why large checkpoints are chunked</h2>
 * A tree grows with its stream and a lazy learner with its window; a checkpoint is a changelog
 * record, and a record above the topic's {@code max.message.bytes} and the producer's
 * {@code max.request.size} (1 MiB each by default) fails the commit, every time, for every model
 * of the task. Raising those limits needs broker-side changes and only moves the cliff. So a
 * checkpoint longer than {@code chunkBytes} is split: its chunks go under derived keys and a head
 * (chunk count, length, checksum) under the key itself, all in the same inner store and written by
 * the same {@link #flushCache()}, hence in the same transaction, so a reader sees all of a
 * checkpoint or none of it; chunks a shrunken checkpoint no longer needs are deleted in that
 * transaction too. Reading assembles and verifies the chunks (layout in {@link CheckpointChunks}).
 * A checkpoint that fits is stored whole, as before chunking existed: most are small, and older
 * changelogs stay readable. There is no size limit other than memory; each changelog record holds
 * at most {@code chunkBytes} plus the key.
 */
public final class CheckpointStore<V>
        implements StateStore, CachedStateStore<Bytes, byte[]>, ReadOnlyCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);

    private final KeyValueStore<Bytes, byte[]> inner;
    private final CheckpointFormat<V> format;
    private final int chunkBytes;
    private final IntConsumer written;
    private final Map<String, V> live = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    // Chunks of each checkpoint this instance wrote, so that rewriting it need not read the old one back.
    private final Map<String, Integer> writtenChunks = new HashMap<>();

    /**
     * @param chunkBytes longest checkpoint stored as one record; longer ones are split into chunks this long
     * @param written    told the size of every checkpoint written (a metric)
     */
    CheckpointStore(KeyValueStore<Bytes, byte[]> inner, CheckpointFormat<V> format, int chunkBytes, IntConsumer written) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkBytes);
        }
        this.inner = inner;
        this.format = format;
        this.chunkBytes = chunkBytes;
        this.written = written;
    }

    /**
     * The live value of {@code key}, or null if it has none yet.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when the checkpoint cannot be read
     */
    public V get(String key) {
        V value = live.get(key);
        if (value == null && !live.containsKey(key)) {
            byte[] bytes = checkpointed(key);
            if (bytes != null) {
                value = format.decode(bytes);
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

    /**
     * Removes the value of {@code key}, e.g. one whose checkpoint cannot be read; its checkpoint is
     * deleted at the next commit.
     */
    public void remove(String key) {
        // A null live value stands for "none", so that the checkpoint is not loaded again before it is deleted.
        live.put(key, null);
        dirty.add(key);
    }

    /** Records that the live value of {@code key} changed; it is checkpointed at the next commit. */
    public void markDirty(String key) {
        if (live.get(key) == null) {
            throw new IllegalStateException("no live value for " + key);
        }
        dirty.add(key);
    }

    /**
     * The checkpointed bytes of {@code key} as of the last commit, assembled from their chunks if
     * they were split, or null (for interactive queries; the store's {@link CheckpointFormat} reads them).
     * A read from another thread that races a commit may see a new head with old chunks: it fails
     * the checksum and throws; read again.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when a chunk is missing or corrupt
     */
    @Override
    public byte[] checkpointed(String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] stored = inner.get(Bytes.wrap(keyBytes));
        if (stored == null || !CheckpointChunks.isHead(stored)) {
            return stored;
        }
        return CheckpointChunks.assemble(key, stored, index -> inner.get(CheckpointChunks.chunkKey(keyBytes, index)));
    }

    /** Keys of all checkpointed values (for interactive queries); chunks are not keys. */
    @Override
    public Set<String> checkpointedKeys() {
        Set<String> keys = new LinkedHashSet<>();
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            all.forEachRemaining(entry -> {
                if (!CheckpointChunks.isChunkKey(entry.key.get())) {
                    keys.add(new String(entry.key.get(), StandardCharsets.UTF_8));
                }
            });
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
            V value = live.get(key);
            if (value == null) {
                write(key, null);
                live.remove(key);
            } else {
                byte[] encoded = format.encode(value);
                write(key, encoded);
                written.accept(encoded.length);
            }
        }
        if (!dirty.isEmpty()) {
            log.debug("Checkpointed {} values of {}", dirty.size(), name());
        }
        dirty.clear();
    }

    /**
     * Stores {@code encoded} whole or in chunks, or deletes the checkpoint when it is null, and
     * deletes the chunks of the previous checkpoint it no longer needs.
     */
    private void write(String key, byte[] encoded) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        Integer written = writtenChunks.get(key);
        int stale = written != null ? written : storedChunks(keyBytes);
        int chunks = 0;
        if (encoded == null) {
            inner.delete(Bytes.wrap(keyBytes));
        } else if (encoded.length <= chunkBytes) {
            // Starts with the codec's format version, never with a head's first byte.
            inner.put(Bytes.wrap(keyBytes), encoded);
        } else {
            chunks = CheckpointChunks.count(encoded.length, chunkBytes);
            for (int i = 0; i < chunks; i++) {
                if (i == 1) {
                    HaltBetweenChunks.betweenChunks(key, chunks);
                }
                inner.put(CheckpointChunks.chunkKey(keyBytes, i), CheckpointChunks.chunk(encoded, chunkBytes, i));
            }
            inner.put(Bytes.wrap(keyBytes), CheckpointChunks.head(chunks, encoded));
        }
        for (int i = chunks; i < stale; i++) {
            inner.delete(CheckpointChunks.chunkKey(keyBytes, i));
        }
        writtenChunks.put(key, chunks);
    }

    private int storedChunks(byte[] keyBytes) {
        byte[] stored = inner.get(Bytes.wrap(keyBytes));
        return stored != null && CheckpointChunks.isHead(stored) ? CheckpointChunks.chunksOf(stored) : 0;
    }

    @Override
    public void clearCache() {
        live.clear();
        dirty.clear();
        writtenChunks.clear();
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
}
