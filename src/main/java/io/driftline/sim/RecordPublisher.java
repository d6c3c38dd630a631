package io.driftline.sim;

import io.driftline.topology.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces records to one topic at an optional steady rate, and fails loudly: every send is
 * checked, and {@link #close()} throws if any record was not acknowledged. Idempotent, so a retried
 * send is never written twice.
 */
public final class RecordPublisher<K, V> implements AutoCloseable {

    private final KafkaProducer<K, V> producer;
    private final Topic<K, V> topic;
    private final double ratePerSecond;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private long sent;
    private long startNanos;

    /** {@code ratePerSecond} of 0 or less means as fast as the producer goes. */
    public RecordPublisher(Map<String, Object> clientSettings, Topic<K, V> topic, double ratePerSecond) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(settings, topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.topic = topic;
        this.ratePerSecond = ratePerSecond;
    }

    /** Sends one record, waiting first if ahead of the configured rate. */
    public void publish(K key, V value, long timestamp) {
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException("an earlier record to " + topic.name() + " was not written", failure);
        }
        pace();
        producer.send(new ProducerRecord<>(topic.name(), null, timestamp, key, value), (metadata, error) -> {
            if (error != null) {
                firstFailure.compareAndSet(null, error);
            } else {
                acknowledged.incrementAndGet();
            }
        });
        sent++;
    }

    private void pace() {
        if (ratePerSecond <= 0) {
            return;
        }
        if (sent == 0) {
            startNanos = System.nanoTime();
            return;
        }
        long due = startNanos + (long) (sent * 1e9 / ratePerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    public long sent() {
        return sent;
    }

    /** Flushes and closes; throws if any record was not written. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException((sent - acknowledged.get()) + " of " + sent
                    + " records to " + topic.name() + " were not written", failure);
        }
    }
}
