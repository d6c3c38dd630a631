package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.config.DriftlineConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Driftline's Kafka Streams producers batch 256 KB unless the settings choose their own size. */
class ProducerTuningTest {

    private static Object producerBatchSize(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                DriftlineConfig.BOOTSTRAP_SERVERS, "kafka-1:9092",
                DriftlineConfig.SCHEMA_REGISTRY_URL, "http://registry:8081"));
        settings.putAll(extra);
        DriftlineConfig config = new DriftlineConfig(settings);
        StreamsConfig streams = new StreamsConfig(DriftlineService.streamsProperties(config, Infrastructure.start(config)));
        return streams.getProducerConfigs("client").get(ProducerConfig.BATCH_SIZE_CONFIG);
    }

    @Test
    void shouldBatch256KilobytesByDefault() {
        assertThat(producerBatchSize(Map.of())).isEqualTo(DriftlineService.PRODUCER_BATCH_BYTES).isEqualTo(262_144);
    }

    @Test
    void shouldLeaveTheBatchSizeToKafkaSettings() {
        assertThat(producerBatchSize(Map.of("kafka.batch.size", "65536"))).isEqualTo("65536");
        assertThat(producerBatchSize(Map.of("kafka.producer.batch.size", "32768"))).isEqualTo("32768");
    }
}
