package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.kafka.InputLagWatch;
import io.driftline.kafka.TopicAdmin;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker's answer to "is this device-stage partition read to its end": a partition no record
 * was written to is, at once; one with records only once the application committed past them in
 * every input topic; a record written after that makes the answer stop advancing.
 */
class InputLagWatchIT {

    private static final String READINGS = "lag-readings";
    private static final String MAINTENANCE = "lag-maintenance";
    private static final String APPLICATION = "lag-watch-test";
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldTellWhenAPartitionIsReadToItsEnd() throws Exception {
        Map<String, Object> client = environment.infrastructure().clientSettings();
        TopicAdmin.ensureTopics(client, List.of(READINGS, MAINTENANCE), 2, (short) 1, Duration.ofSeconds(60));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(READINGS, 0, "pump-1", "reading")).get();
            }
            producer.send(new ProducerRecord<>(MAINTENANCE, 0, "pump-1", "event")).get();

            try (InputLagWatch watch = InputLagWatch.start(client, APPLICATION, List.of(READINGS, MAINTENANCE), INTERVAL)) {
                await(() -> watch.caughtUpAsOf(1) != Long.MIN_VALUE);
                assertThat(watch.caughtUpAsOf(0)).as("records never read").isEqualTo(Long.MIN_VALUE);

                commit(client, Map.of(new TopicPartition(READINGS, 0), 3L));
                Thread.sleep(5 * INTERVAL.toMillis());
                assertThat(watch.caughtUpAsOf(0)).as("its maintenance partition is not read yet").isEqualTo(Long.MIN_VALUE);

                long committedAt = System.currentTimeMillis();
                commit(client, Map.of(new TopicPartition(MAINTENANCE, 0), 1L));
                await(() -> watch.caughtUpAsOf(0) >= committedAt);

                producer.send(new ProducerRecord<>(READINGS, 0, "pump-1", "reading")).get();
                long producedAt = System.currentTimeMillis();
                Thread.sleep(5 * INTERVAL.toMillis());
                assertThat(watch.caughtUpAsOf(0)).as("a record left to read").isLessThan(producedAt);
                assertThat(watch.caughtUpAsOf(1)).as("still nothing in partition 1").isGreaterThan(producedAt);
            }
        }
    }

    private static void commit(Map<String, Object> client, Map<TopicPartition, Long> offsets) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, APPLICATION);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(commit);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
