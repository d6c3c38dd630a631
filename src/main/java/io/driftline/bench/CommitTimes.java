package io.driftline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka clients for one Kafka Streams application that time each exactly-once commit of its stream
 * threads, from the end of the work that preceded it to the end of the transaction.
 *
 * <p>Kafka Streams' own {@code commit-latency-avg|max} cannot give a percentile, and divide each
 * commit by the number of tasks it covered. A commit ({@code TaskManager#commit}) runs on the stream
 * thread right after processing or punctuating: it writes the stores' caches (Driftline's dirty
 * checkpoints are serialised here), flushes the producer, adds the input offsets to the transaction
 * and commits it. Every record processed or punctuated sends an output (a prediction, a repartitioned
 * reading, a status), while a commit sends only changelog records. So on each stream thread a commit
 * spans from the last send to a topic other than a changelog, or the last poll if that came later,
 * to the return of {@code commitTransaction}. Only valid under exactly_once_v2 (one producer, one
 * transaction per thread).
 */
final class CommitTimes implements KafkaClientSupplier {

    private static final String CHANGELOG_SUFFIX = "-changelog";

    // The end of the last processing, punctuation or poll, per stream thread (clients are used by their thread only).
    private final ThreadLocal<long[]> workEnded = ThreadLocal.withInitial(() -> new long[]{System.nanoTime()});
    private final List<Long> commitNanos = new ArrayList<>();

    /** The commits timed since the last call, in milliseconds, and forgets them. */
    synchronized double[] drainMillis() {
        double[] millis = commitNanos.stream().mapToDouble(nanos -> nanos / 1e6).toArray();
        commitNanos.clear();
        return millis;
    }

    private synchronized void committed(long nanos) {
        commitNanos.add(nanos);
    }

    private void workEnded() {
        workEnded.get()[0] = System.nanoTime();
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                if (!record.topic().endsWith(CHANGELOG_SUFFIX)) {
                    workEnded();
                }
                return super.send(record, callback);
            }

            @Override
            public void commitTransaction() {
                super.commitTransaction();
                long now = System.nanoTime();
                committed(now - workEnded.get()[0]);
                workEnded.get()[0] = now;
            }
        };
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
            @Override
            public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
                ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
                workEnded();
                return records;
            }
        };
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }
}
