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

/**
 * How many records of a topic are committed, counted as they come (read_committed, undecoded), so
 * that a fault test can strike when a share of its output is committed and prove that it struck
 * mid-stream, rather than sleeping and hoping.
 */
final class CommittedCount implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private long count;

    CommittedCount(Infrastructure infrastructure, String topic) {
        Map<String, Object> settings = new HashMap<>(infrastructure.clientSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * The records committed when called: read up to each partition's last stable offset as of the
     * call (what read_committed consumers can see; an open transaction, e.g. of a killed producer,
     * is not counted).
     */
    long now() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (!end.entrySet().stream().allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue())) {
            count += consumer.poll(Duration.ofMillis(200)).count();
        }
        return count;
    }

    /** Waits until at least {@code target} records are committed; returns the count then. */
    long awaitAtLeast(long target, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long committed;
        while ((committed = now()) < target) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + committed + " of " + target + " records committed after "
                        + timeout);
            }
            Thread.sleep(50);
        }
        return committed;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
