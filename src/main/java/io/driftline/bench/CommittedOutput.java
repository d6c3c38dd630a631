package io.driftline.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What an application has committed to an output topic, as a downstream consumer sees it
 * (read_committed): records are counted, not decoded, so that watching costs both benchmarked
 * applications the same.
 */
final class CommittedOutput implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private long seen;

    /** Watches {@code topic} from its current end: only records written from now on count. */
    CommittedOutput(Map<String, Object> clientSettings, String topic) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: resolve the positions now, before the application writes anything.
        partitions.forEach(consumer::position);
    }

    /**
     * Waits until {@code expected} records have been committed since this watch began, passing
     * each one's timestamp to {@code timestamps}; returns {@link System#nanoTime()} when the last arrived.
     *
     * @throws IllegalStateException when they do not arrive within {@code timeout}
     */
    long await(long expected, Duration timeout, LongConsumer timestamps) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + expected + " records committed to "
                        + topic + " within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                timestamps.accept(record.timestamp());
                seen++;
            }
        }
        return System.nanoTime();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
