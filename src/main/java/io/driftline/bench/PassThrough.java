package io.driftline.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka limit: a Kafka Streams application that does the least a stateful per-device
 * application can do. Each record's bytes are read, its device's entry is read and replaced in a
 * changelogged RocksDB store (as Driftline's checkpoint stores are built: persistent, no record
 * cache), and the record is written unchanged to the output topic.
 *
 * <p>The two-stage variant has Driftline's shape: that stage, then a repartition topic (Driftline
 * re-keys readings from device to model there), then the same stage again on a store of its own,
 * then the output. It is the Kafka limit of any topology that must bring a model's readings
 * together from several devices' partitions.
 */
final class PassThrough {

    static final String STORE = "last-reading";
    static final String SECOND_STORE = "last-reading-by-model";

    private PassThrough() {
    }

    /** @param twoStages whether the records go through a repartition topic and a second stage */
    static Topology topology(String input, String output, boolean twoStages) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(store(STORE));
        KStream<byte[], byte[]> records = builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new LastReading(STORE), Named.as("get-put"), STORE);
        if (twoStages) {
            builder.addStateStore(store(SECOND_STORE));
            records = records
                    .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("by-model"))
                    .process(() -> new LastReading(SECOND_STORE), Named.as("get-put-by-model"), SECOND_STORE);
        }
        records.to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled();
    }

    /** One get and one put per record; the record goes on unchanged. */
    private static final class LastReading implements Processor<byte[], byte[], byte[], byte[]> {
        private final String storeName;
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<Bytes, byte[]> store;

        LastReading(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Bytes device = Bytes.wrap(record.key());
            // The read a stateful application makes before it writes (a RocksDB lookup through JNI).
            store.get(device);
            store.put(device, record.value());
            context.forward(record);
        }
    }
}
