package io.driftline.state;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * Interactive-query view of checkpoints: the bytes written at the last commit, never the live
 * objects (which belong to the stream thread). Readable from any thread, as Kafka's own read-only
 * stores are. {@link #queryableType()} plugs it into {@code KafkaStreams#store}, which then spans
 * every active task of this instance.
 */
public interface ReadOnlyCheckpoints {

    /** The checkpointed bytes of {@code key}, or null. */
    byte[] checkpointed(String key);

    /** Keys of all checkpointed values. */
    Set<String> checkpointedKeys();

    /** The store type for {@code StoreQueryParameters.fromNameAndType(name, ReadOnlyCheckpoints.queryableType())}. */
    static QueryableStoreType<ReadOnlyCheckpoints> queryableType() {
        return new QueryableStoreType<>() {
            @Override
            public boolean accepts(StateStore store) {
                return store instanceof CheckpointStore;
            }

            @Override
            public ReadOnlyCheckpoints create(StateStoreProvider provider, String storeName) {
                // Asked again at each call: tasks come and go with rebalances.
                return new Composite(() -> provider.stores(storeName, this));
            }
        };
    }

    /** All local stores of one name: a key lives in exactly one task's store. */
    final class Composite implements ReadOnlyCheckpoints {
        private final Supplier<List<ReadOnlyCheckpoints>> stores;

        private Composite(Supplier<List<ReadOnlyCheckpoints>> stores) {
            this.stores = stores;
        }

        @Override
        public byte[] checkpointed(String key) {
            for (ReadOnlyCheckpoints store : stores.get()) {
                byte[] bytes = store.checkpointed(key);
                if (bytes != null) {
                    return bytes;
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
