package io.driftline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftline.avro.Prediction;
import io.driftline.topology.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One device as the dashboard's device view shows it: its latest predictions, read when asked from
 * the end of the one partition of the predictions topic its key hashes to (Kafka's default
 * partitioner, which the topology's producers use), and its open failure-risk episodes from the
 * live feed's recent alerts. Reading on demand costs nothing while nobody looks; following every
 * prediction of the fleet would cost every instance a consumer of the busiest topic.
 */
public final class DeviceHistory {

    /** Predictions returned per device, newest last. */
    static final int RECENT = 200;
    /** Records of the partition looked at, newest first, before giving up on older predictions. */
    static final long SCAN_LIMIT = 200_000;
    private static final int CHUNK = 5_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, Object> clientSettings;
    private final Topic<String, Prediction> predictions;
    private final Supplier<List<ObjectNode>> recentAlerts;

    public DeviceHistory(Map<String, Object> clientSettings, Topic<String, Prediction> predictions,
                         Supplier<List<ObjectNode>> recentAlerts) {
        this.clientSettings = clientSettings;
        this.predictions = predictions;
        this.recentAlerts = recentAlerts;
    }

    /**
     * {@code {deviceId, partition, scanned, latest, recent: [prediction...], openEpisodes: [alert...]}},
     * or empty when neither a prediction among the last {@link #SCAN_LIMIT} records of its partition
     * nor an open episode names the device.
     */
    public Optional<ObjectNode> device(String deviceId) {
        List<ObjectNode> episodes = openEpisodes(deviceId);
        Scan scan = scan(deviceId);
        if (scan.found().isEmpty() && episodes.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode device = NODES.objectNode();
        device.put("deviceId", deviceId);
        device.put("partition", scan.partition());
        device.put("scanned", scan.scanned());
        ArrayNode recent = device.putArray("recent");
        scan.found().forEach(prediction -> recent.add(JsonRecords.toJson(prediction)));
        device.set("latest", scan.found().isEmpty() ? NODES.nullNode() : recent.get(recent.size() - 1));
        device.putArray("openEpisodes").addAll(episodes);
        return Optional.of(device);
    }

    /**
     * FAILURE_RISK and ANOMALY alerts of the device not followed by their FAILURE_RISK_CLEARED or
     * ANOMALY_CLEARED (per model), oldest first.
     */
    private List<ObjectNode> openEpisodes(String deviceId) {
        Map<String, ObjectNode> open = new LinkedHashMap<>();
        for (ObjectNode alert : recentAlerts.get()) {
            JsonNode device = alert.get("deviceId");
            if (device == null || !deviceId.equals(device.asText())) {
                continue;
            }
            String model = alert.path("modelKey").asText();
            switch (alert.path("kind").asText()) {
                case "FAILURE_RISK", "ANOMALY" -> open.put(model + " " + alert.path("kind").asText(), alert);
                case "FAILURE_RISK_CLEARED" -> open.remove(model + " FAILURE_RISK");
                case "ANOMALY_CLEARED" -> open.remove(model + " ANOMALY");
                default -> {
                    // Drift and reset alerts do not open or close an episode.
                }
            }
        }
        return List.copyOf(open.values());
    }

    private record Scan(int partition, long scanned, List<Prediction> found) {
    }

    private Scan scan(String deviceId) {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        byte[] key = deviceId.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(predictions.name(), TIMEOUT).size();
            TopicPartition partition = new TopicPartition(predictions.name(), Utils.toPositive(Utils.murmur2(key)) % partitions);
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
            long upper = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            Deserializer<Prediction> decoder = predictions.valueSerde().deserializer();
            List<Prediction> found = new ArrayList<>();
            long scanned = 0;
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (upper > begin && found.size() < RECENT && scanned < SCAN_LIMIT && Instant.now().isBefore(deadline)) {
                long lower = Math.max(begin, upper - CHUNK);
                consumer.seek(partition, lower);
                List<Prediction> chunk = new ArrayList<>();
                while (consumer.position(partition) < upper && Instant.now().isBefore(deadline)) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() < upper && Arrays.equals(record.key(), key)) {
                            chunk.add(decoder.deserialize(record.topic(), record.headers(), record.value()));
                        }
                    }
                }
                found.addAll(0, chunk);
                scanned += upper - lower;
                upper = lower;
            }
            return new Scan(partition.partition(), scanned,
                    List.copyOf(found.subList(Math.max(0, found.size() - RECENT), found.size())));
        }
    }
}
