package io.driftline.state;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each value written whole at every commit that changed it: right for small values such as
 * device states. A checkpoint longer than {@code chunkBytes} is split into chunks
 * ({@link CheckpointChunks}): its chunks go under derived keys and a head (chunk count, length,
 * checksum) under the key itself, all written by the same commit, so a reader sees all of a
 * checkpoint or none of it; chunks a shrunken checkpoint no longer needs are deleted by that
 * commit too. A checkpoint that fits is stored whole.
 */
final class WholeCheckpoints<V> implements DurableForm<V> {

    private final KeyValueStore<Bytes, byte[]> inner;
    private final CheckpointFormat<V> format;
    private final int chunkBytes;
    private final IntConsumer written;
    // Chunks of each checkpoint this instance wrote, so that rewriting it need not read the old one back.
    private final Map<String, Integer> writtenChunks = new HashMap<>();

    WholeCheckpoints(KeyValueStore<Bytes, byte[]> inner, CheckpointFormat<V> format, int chunkBytes,
                     IntConsumer written) {
        this.inner = inner;
        this.format = format;
        this.chunkBytes = chunkBytes;
        this.written = written;
    }

    @Override
    public V load(String key) {
        return read(key);
    }

    @Override
    public V read(String key) {
        byte[] bytes = checkpointed(key);
        return bytes == null ? null : format.decode(bytes);
    }

    /**
     * The checkpointed bytes of {@code key}, assembled from their chunks if they were split, or null.
     * A read from another thread that races a commit may see a new head with old chunks: it fails
     * the checksum and throws; read again.
     */
    byte[] checkpointed(String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] stored = inner.get(Bytes.wrap(keyBytes));
        if (stored == null || !CheckpointChunks.isHead(stored)) {
            return stored;
        }
        return CheckpointChunks.assemble(key, stored, index -> inner.get(CheckpointChunks.chunkKey(keyBytes, index)));
    }

    @Override
    public Set<String> keys() {
        return CheckpointChunks.valueKeys(inner);
    }

    @Override
    public void commitStarts() {
    }

    @Override
    public void write(String key, V value, boolean replaced) {
        byte[] encoded = format.encode(value);
        store(key, encoded);
        written.accept(encoded.length);
    }

    @Override
    public void delete(String key) {
        store(key, null);
    }

    /**
     * Stores {@code encoded} whole or in chunks, or deletes the checkpoint when it is null, and
     * deletes the chunks of the previous checkpoint it no longer needs.
     */
    private void store(String key, byte[] encoded) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        Integer before = writtenChunks.get(key);
        int stale = before != null ? before : storedChunks(keyBytes);
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
        if (encoded == null) {
            writtenChunks.remove(key);
        } else {
            writtenChunks.put(key, chunks);
        }
    }

    private int storedChunks(byte[] keyBytes) {
        byte[] stored = inner.get(Bytes.wrap(keyBytes));
        return stored != null && CheckpointChunks.isHead(stored) ? CheckpointChunks.chunksOf(stored) : 0;
    }

    @Override
    public void clear() {
        writtenChunks.clear();
    }
}
