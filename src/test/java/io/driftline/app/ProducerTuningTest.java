package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.config.DriftlineConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Driftline's Kafka Streams producers batch 256 KB and compress with zstd unless the settings choose. */
class ProducerTuningTest {

    private static Object producerBatchSize(Map<String, String> extra) {
        return producerSetting(extra, ProducerConfig.BATCH_SIZE_CONFIG);
    }

    private static Object producerCompression(Map<String, String> extra) {
        return producerSetting(extra, ProducerConfig.COMPRESSION_TYPE_CONFIG);
    }

    private static Object producerSetting(Map<String, String> extra, String name) {
        Map<String, String> settings = new HashMap<>(Map.of(
                DriftlineConfig.BOOTSTRAP_SERVERS, "kafka-1:9092",
                DriftlineConfig.SCHEMA_REGISTRY_URL, "http://registry:8081"));
        settings.putAll(extra);
        DriftlineConfig config = new DriftlineConfig(settings);
        StreamsConfig streams = new StreamsConfig(DriftlineService.streamsProperties(config, Infrastructure.start(config)));
        return streams.getProducerConfigs("client").get(name);
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

    @Test
    void shouldCompressWithZstdByDefault() {
        assertThat(producerCompression(Map.of())).isEqualTo(DriftlineService.PRODUCER_COMPRESSION).isEqualTo("zstd");
    }

    @Test
    void shouldLeaveTheCompressionToKafkaSettings() {
        assertThat(producerCompression(Map.of("kafka.compression.type", "none"))).isEqualTo("none");
        assertThat(producerCompression(Map.of("kafka.producer.compression.type", "lz4"))).isEqualTo("lz4");
        assertThat(producerBatchSize(Map.of("kafka.producer.compression.type", "lz4")))
                .isEqualTo(DriftlineService.PRODUCER_BATCH_BYTES);
    }
}
