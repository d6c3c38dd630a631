package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.MoaStreams;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.DriftlineTopology;
import io.driftline.topology.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model whose durable form is several times larger than a changelog record may be (the broker's
 * default {@code max.message.bytes}, 1 MiB) is written as a chunked snapshot and journal segments
 * no longer than a chunk, and a restarted instance with its local state deleted restores it from
 * the changelog (snapshot decoded, journal replayed) and predicts exactly as one uninterrupted
 * model would. The large model: MOA's kNN, which keeps its window of 4,000 readings
 * of 50 random numeric sensors (incompressible doubles).
 */
class LargeCheckpointIT {

    private static final String STREAM = "generators.RandomRBFGenerator -a 50 -c 2";
    private static final String LEARNER = "lazy.kNN -k 10 -w 4000";
    private static final int FIRST_RUN = 4500;
    private static final int SECOND_RUN = 1500;
    private static final int MIB = 1024 * 1024;
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldCheckpointAModelLargerThanAChangelogRecordInChunksAndRestoreItAfterARestart() throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "large");
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR,
                dataDir.toString(), DriftlineConfig.COMMIT_INTERVAL_MS, "1000")), MoaStreams.open(STREAM), LEARNER,
                "none");
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        MoaReplay readings = new MoaReplay(MoaStreams.open(STREAM), FIRST_RUN + SECOND_RUN, 3, "L",
                clock::incrementAndGet);
        String changelog = config.getString(DriftlineConfig.APPLICATION_ID) + "-" + DriftlineTopology.MODEL_STORE
                + "-changelog";

        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publish(infrastructure, topics, readings, FIRST_RUN);
            assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), FIRST_RUN)).hasSize(FIRST_RUN);
        }

        assertThat(maxMessageBytes(infrastructure, changelog).source())
                .as("the changelog keeps the broker's default message size")
                .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        int limit = Integer.parseInt(maxMessageBytes(infrastructure, changelog).value());
        int chunkBytes = config.pipeline().checkpointChunkBytes();
        Map<String, byte[]> latest = latestRecords(infrastructure, changelog, limit);
        List<byte[]> chunks = live(latest, "fleet/S");
        List<byte[]> segments = live(latest, "fleet/J");
        long durableBytes = Stream.concat(chunks.stream(), segments.stream()).mapToLong(record -> record.length).sum();
        assertThat(latest).containsKey("fleet");
        assertThat(chunks).as("the snapshot's chunks").hasSizeGreaterThanOrEqualTo(2).allSatisfy(chunk ->
                assertThat(chunk.length).isLessThanOrEqualTo(chunkBytes));
        assertThat(segments).allSatisfy(segment -> assertThat(segment.length).isLessThanOrEqualTo(chunkBytes));
        assertThat(durableBytes).as("the model's snapshot and journal").isGreaterThan(MIB).isGreaterThan(limit);

        Utils.delete(dataDir.resolve("streams").toFile());
        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publish(infrastructure, topics, readings, SECOND_RUN);
            List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(),
                    FIRST_RUN + SECOND_RUN);

            assertThat(predictions).extracting(Prediction::getModelVersion)
                    .containsExactlyElementsOf(Stream.iterate(0L, n -> n + 1).limit(FIRST_RUN + SECOND_RUN).toList());
            assertThat(predictions).extracting(p -> p.getPredictedClass() + "@" + p.getFailureProbability())
                    .containsExactlyElementsOf(Replays.uninterrupted(config, STREAM, FIRST_RUN + SECOND_RUN)
                            .predictions());
        }
    }

    /** The values of the keys derived as {@code prefix...} that are not deleted. */
    private static List<byte[]> live(Map<String, byte[]> latest, String prefix) {
        return latest.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(prefix) && entry.getValue() != null)
                .map(Map.Entry::getValue)
                .toList();
    }

    private static void publish(Infrastructure infrastructure, Topics topics, MoaReplay readings, int count) {
        try (RecordPublisher<String, SensorReading> publisher =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0)) {
            for (int i = 0; i < count; i++) {
                SensorReading reading = readings.next();
                publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
            }
        }
    }

    private static ConfigEntry maxMessageBytes(Infrastructure infrastructure, String topic) throws Exception {
        try (Admin admin = Admin.create(infrastructure.clientSettings())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        }
    }

    /**
     * The committed changelog's latest value per key (null for a deleted key), derived keys named
     * {@code key/S<generation>.<chunk>} (snapshot chunks) and {@code key/J<segment>} (journal
     * segments); every record must fit in {@code limit} bytes.
     */
    private static Map<String, byte[]> latestRecords(Infrastructure infrastructure, String topic, int limit) {
        Map<String, Object> settings = new HashMap<>(infrastructure.clientSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.serializedKeySize() + record.serializedValueSize()).isLessThan(limit);
                    latest.put(keyName(record.key()), record.value());
                }
            }
        }
        return latest;
    }

    /** A real key as itself; a derived key (key, 0xFF, 'S' generation chunk or 'J' segment) as above. */
    private static String keyName(byte[] key) {
        int mark = 0;
        while (mark < key.length && key[mark] != (byte) 0xFF) {
            mark++;
        }
        String name = new String(key, 0, mark, StandardCharsets.UTF_8);
        if (mark == key.length) {
            return name;
        }
        ByteBuffer suffix = ByteBuffer.wrap(key, mark + 1, key.length - mark - 1);
        return suffix.get() == 'S' ? name + "/S" + suffix.getLong() + "." + suffix.getInt()
                : name + "/J" + suffix.getLong();
    }
}
