package io.driftline.app;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Counts the records committed to a topic (read_committed, from its beginning) while an application writes it. */
final class CommittedCount implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private long seen;

    CommittedCount(Infrastructure infrastructure, String topic) {
        Map<String, Object> settings = new HashMap<>(infrastructure.clientSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until at least {@code count} records are committed; returns how many are. */
    long await(long count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (seen < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + seen + " of " + count + " records committed within " + timeout);
            }
            seen += consumer.poll(Duration.ofMillis(50)).count();
        }
        return seen;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
