package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.learn.MoaStreams;
import io.driftline.registry.GenericAvroSerde;
import io.driftline.sim.MoaReplay;
import io.driftline.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema registry goes away for 30 seconds mid-stream, and meanwhile the gateway moves to an
 * evolved schema (registered before the outage, so the gateway has its id; Driftline has never
 * seen it): the readings written with it cannot be decoded until the registry is back. None is
 * dead-lettered, Driftline (in its own JVM) stays up and waits, and once the registry is back every
 * reading is predicted exactly once, equal to an uninterrupted run's predictions.
 */
class RegistryOutageIT {

    private static final String STREAM = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 30000 -w 1";
    private static final int READINGS = 60_000;
    private static final int BEFORE_EVOLUTION = READINGS / 2;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldLoseNothingWhileTheRegistryIsDownAndTheSchemaEvolves() throws Exception {
        EmbeddedServers servers = environment.restartableServers();
        Path dir = Files.createTempDirectory(environment.dir, "registry-outage");
        Infrastructure infrastructure = environment.infrastructure();
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR,
                dir.resolve("app").toString())), MoaStreams.open(STREAM), "trees.HoeffdingTree", "reset");
        Map<String, Object> registrySettings = config.registryClientSettings(infrastructure.registryUrl());
        Topics topics = Topics.from(config, registrySettings);
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 1, (short) 1, Duration.ofSeconds(60));
        MoaReplay replay = Replays.replay(STREAM, READINGS, 1);
        Replays.publish(infrastructure, topics, replay, BEFORE_EVOLUTION);
        // The rest as the gateway writes it after moving to the evolved schema, which it registered already.
        List<ProducerRecord<byte[], byte[]>> evolved = evolve(replay, READINGS - BEFORE_EVOLUTION, registrySettings,
                topics.readings().name());

        long seed = System.nanoTime();
        long target = READINGS / 5 + new Random(seed).nextInt(READINGS / 5);
        Process app = environment.startDriftline(config, dir, "app");
        List<Prediction> predictions;
        long atOutage;
        long beforeReturn;
        long deadLetters;
        try (CommittedCount committed = new CommittedCount(infrastructure, topics.predictions().name())) {
            committed.awaitAtLeast(target, Duration.ofMinutes(3));
            atOutage = committed.now();
            long outageStart = System.nanoTime();
            servers.stopRegistry();
            send(infrastructure, evolved);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, OUTAGE.toNanos() - (System.nanoTime() - outageStart)));
            assertThat(app.isAlive()).as("the app is up during the outage").isTrue();
            beforeReturn = committed.now();
            servers.startRegistry();
            committed.awaitAtLeast(READINGS, Duration.ofMinutes(3));
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
            assertThat(app.isAlive()).as("the app survived the outage").isTrue();
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
        try (CommittedCount dlq = new CommittedCount(infrastructure, topics.deadLetters().name())) {
            deadLetters = dlq.now();
        }

        String context = "seed " + seed + ", logs in " + dir;
        assertThat(atOutage).as("predictions committed when the registry stopped: it stopped mid-stream; " + context)
                .isBetween(READINGS / 10L, READINGS * 9 / 10L);
        assertThat(beforeReturn).as("no reading of the evolved schema was predicted without the registry; " + context)
                .isLessThanOrEqualTo(BEFORE_EVOLUTION);
        assertThat(deadLetters).as("dead letters; " + context).isZero();
        assertThat(predictions).as(context).hasSize(READINGS);
        Set<Long> sequences = new HashSet<>();
        predictions.forEach(p -> sequences.add(p.getSequence()));
        assertThat(sequences).as("one prediction per reading; " + context).hasSize(READINGS);
        assertThat(predictions).as(context).extracting(p -> p.getPredictedClass() + "@" + p.getFailureProbability())
                .containsExactlyElementsOf(Replays.uninterrupted(config, STREAM, READINGS).predictions());
    }

    /**
     * The next {@code count} readings of {@code replay} as records in the Confluent wire format of
     * SensorReading's schema plus a field with a default (BACKWARD compatible), which this registers.
     */
    private static List<ProducerRecord<byte[], byte[]>> evolve(MoaReplay replay, int count,
                                                               Map<String, Object> registrySettings, String topic) {
        Schema current = SensorReading.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        current.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("gatewayVersion", Schema.create(Schema.Type.STRING), "firmware of the gateway", ""));
        Schema schema = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        try (GenericAvroSerde serde = new GenericAvroSerde()) {
            serde.configure(registrySettings, false);
            for (int i = 0; i < count; i++) {
                SensorReading reading = replay.next();
                GenericRecord record = new GenericData.Record(schema);
                current.getFields().forEach(field -> record.put(field.name(), reading.get(field.pos())));
                long time = reading.getEventTime().toEpochMilli();
                record.put("eventTime", time);
                record.put("gatewayVersion", "2.0");
                records.add(new ProducerRecord<>(topic, null, time, reading.getDeviceId().getBytes(StandardCharsets.UTF_8),
                        serde.serializer().serialize(topic, record)));
            }
        }
        return records;
    }

    /** Sends {@code records} without a registry: they are bytes already. */
    private static void send(Infrastructure infrastructure, List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        Map<String, Object> settings = new HashMap<>(infrastructure.clientSettings());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> each : sent) {
                each.get();
            }
        }
    }
}
