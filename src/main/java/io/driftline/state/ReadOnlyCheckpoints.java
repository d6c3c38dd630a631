package io.driftline.state;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * Interactive-query view of checkpoints: values read back from what the last commit wrote, never
 * the live objects (which belong to the stream thread). Readable from any thread, as Kafka's own read-only
 * stores are. {@link #queryableType()} plugs it into {@code KafkaStreams#store}, which then spans
 * every active task of this instance.
 */
public interface ReadOnlyCheckpoints<V> {

    /**
     * The value of {@code key} as of the last commit, or null.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when it cannot be read
     */
    V checkpointed(String key);

    /** Keys of all checkpointed values. */
    Set<String> checkpointedKeys();

    /** The store type for {@code StoreQueryParameters.fromNameAndType(name, ReadOnlyCheckpoints.queryableType())}. */
    static <V> QueryableStoreType<ReadOnlyCheckpoints<V>> queryableType() {
        return new QueryableStoreType<>() {
            @Override
            public boolean accepts(StateStore store) {
                return store instanceof CheckpointStore;
            }

            @Override
            public ReadOnlyCheckpoints<V> create(StateStoreProvider provider, String storeName) {
                // Asked again at each call: tasks come and go with rebalances.
                return new Composite<>(() -> provider.stores(storeName, this));
            }
        };
    }

    /** All local stores of one name: a key lives in exactly one task's store. */
    final class Composite<V> implements ReadOnlyCheckpoints<V> {
        private final Supplier<List<ReadOnlyCheckpoints<V>>> stores;

        private Composite(Supplier<List<ReadOnlyCheckpoints<V>>> stores) {
            this.stores = stores;
        }

        @Override
        public V checkpointed(String key) {
            for (ReadOnlyCheckpoints<V> store : stores.get()) {
                V value = store.checkpointed(key);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }

        @Override
        public Set<String> checkpointedKeys() {
            Set<String> keys = new TreeSet<>();
            stores.get().forEach(store -> keys.addAll(store.checkpointedKeys()));
            return keys;
        }
    }
}
