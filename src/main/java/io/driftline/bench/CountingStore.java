package io.driftline.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A byte store in memory that counts what is written to it: what a changelogged store would send
 * to its changelog (every put and delete is one record of key and value).
 */
final class CountingStore implements KeyValueStore<Bytes, byte[]> {

    private final NavigableMap<Bytes, byte[]> records = new TreeMap<>();
    private long bytesWritten;
    private long recordsWritten;

    /** Bytes of keys and values written so far (a delete writes its key). */
    long bytesWritten() {
        return bytesWritten;
    }

    long recordsWritten() {
        return recordsWritten;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        bytesWritten += key.get().length + (value == null ? 0 : value.length);
        recordsWritten++;
        if (value == null) {
            records.remove(key);
        } else {
            records.put(key, value);
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] before = records.get(key);
        if (before == null) {
            put(key, value);
        }
        return before;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] before = records.get(key);
        put(key, null);
        return before;
    }

    @Override
    public byte[] get(Bytes key) {
        return records.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(records.subMap(from, true, to, true));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(records);
    }

    private static KeyValueIterator<Bytes, byte[]> iterator(Map<Bytes, byte[]> view) {
        Iterator<Map.Entry<Bytes, byte[]>> entries = new TreeMap<>(view).entrySet().iterator();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                Map.Entry<Bytes, byte[]> next = entries.next();
                return KeyValue.pair(next.getKey(), next.getValue());
            }

            @Override
            public Bytes peekNextKey() {
                throw new UnsupportedOperationException("not needed by the checkpoint store");
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public long approximateNumEntries() {
        return records.size();
    }

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
    }

    @Override
    public void close() {
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
