package io.driftline.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka limit: a Kafka Streams application that does the least a stateful per-device
 * application can do. Each record's bytes are read, its device's entry is read and replaced in a
 * changelogged RocksDB store (as Driftline's checkpoint stores are built: persistent, no record
 * cache), and the record is written unchanged to the output topic.
 */
final class PassThrough {

    static final String STORE = "last-reading";

    private PassThrough() {
    }

    static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingDisabled());
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(LastReading::new, Named.as("get-put"), STORE)
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    /** One get and one put per record; the record goes on unchanged. */
    private static final class LastReading implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<Bytes, byte[]> store;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
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
