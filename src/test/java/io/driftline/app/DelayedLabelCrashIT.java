package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.kafka.TopicAdmin;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.RecordPublisher;
import io.driftline.sim.Scenario;
import io.driftline.state.CheckpointCodec;
import io.driftline.topology.DriftlineTopology;
import io.driftline.topology.Topics;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash equivalence with delayed labels: a simulated fleet whose readings wait in the pending store
 * until a FAILURE within the 2-hour horizon, or the horizon passing, labels them (about 120 readings
 * per machine at any time). Driftline, in a child JVM, is killed with SIGKILL part-way through;
 * restarted, it publishes exactly one prediction per reading, identical in order to an uninterrupted
 * Driftline's over the same input. A tenth of the machines stop reporting for three hours of the ten
 * the run covers, longer than readings are kept (no {@code label.pending.margin.ms}): the readings
 * they had waiting expire when they report again, in both runs alike, whether the kill lands before,
 * during or after the silence.
 *
 * <p>Both runs must see the same inputs in the same order: readings and maintenance events are two
 * topics, which Kafka Streams merges by record timestamp (for records already on the broker, by
 * default). So every record is timestamped with its position in the simulation: the merge then
 * reproduces the simulator's order in every run and after every restart. Driftline labels by the
 * event time inside the records, never by the record timestamp.
 */
class DelayedLabelCrashIT {

    private static final int DEVICES = 100;
    private static final int READINGS = 60_000;
    private static final long HORIZON_MS = Duration.ofHours(2).toMillis();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant SILENCE_FROM = START.plus(Duration.ofHours(3));
    private static final Instant SILENCE_TO = START.plus(Duration.ofHours(6));
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldPublishExactlyWhatAnUninterruptedRunPublishesWhenKilledWithReadingsWaitingForLabels() throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "crash-labels");
        DriftlineConfig config = fleetConfig(dataDir);
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 1, (short) 1, Duration.ofSeconds(60));
        assertThat(publishFleet(infrastructure, topics)).as("failures in the workload").isGreaterThan(DEVICES / 4);

        long seed = System.nanoTime();
        long killAt = READINGS * (30 + new Random(seed).nextInt(31)) / 100L;
        String context = "kill after " + killAt + " predictions (seed " + seed + "), logs in " + dataDir;
        Process app = environment.startDriftline(config, dataDir, "killed");
        try (CommittedCount committed = new CommittedCount(infrastructure, topics.predictions().name())) {
            committed.awaitAtLeast(killAt, Duration.ofMinutes(10));
        } finally {
            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        int committedAtKill = Evaluation.readCommitted(infrastructure, topics.predictions(), -1).size();
        assertThat(committedAtKill).as("predictions committed when the kill landed; " + context)
                .isBetween(READINGS / 10, READINGS * 9 / 10);
        assertThat(pendingReadings(infrastructure, config))
                .as("readings waiting for their label as of the last commit before the kill; " + context)
                .isGreaterThan(DEVICES * 50L);

        List<Prediction> predictions;
        Process restarted = environment.startDriftline(config, dataDir, "restarted");
        try {
            Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
        } finally {
            restarted.destroy();
            restarted.waitFor(30, TimeUnit.SECONDS);
        }

        Uninterrupted uninterrupted = uninterrupted(config, infrastructure, Files.createTempDirectory(environment.dir,
                "uninterrupted"));
        List<Prediction> expected = uninterrupted.predictions();
        assertThat(uninterrupted.expired()).as("readings of the silent machines expired").isGreaterThan(100);
        assertThat(predictions).as(context).hasSize(READINGS);
        assertThat(predictions.stream().map(p -> p.getDeviceId() + "#" + p.getSequence()).distinct())
                .as("one prediction per reading; " + context).hasSize(READINGS);
        assertThat(predictions).as(context).extracting(DelayedLabelCrashIT::describe)
                .containsExactlyElementsOf(expected.stream().map(DelayedLabelCrashIT::describe).toList());
    }

    private static DriftlineConfig fleetConfig(Path dataDir) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(DriftlineConfig.DATA_DIR, dataDir.toString());
        settings.put(DriftlineConfig.APPLICATION_ID, "crash-labels-" + UUID.randomUUID());
        settings.put(DriftlineConfig.TOPIC_PARTITIONS, "1");
        settings.put(DriftlineConfig.MACHINE_TYPES, "L,M,H");
        settings.put(DriftlineConfig.LABEL_HORIZON_MS, Long.toString(HORIZON_MS));
        settings.put(DriftlineConfig.LABEL_PENDING_MARGIN_MS, "0");
        settings.put(DriftlineConfig.DATA_DRIFT_EXCLUDE, "tool_wear_min");
        settings.put(DriftlineConfig.HTTP_PORT, "-1");
        return new DriftlineConfig(settings);
    }

    /** The simulated fleet's first {@link #READINGS} readings and the maintenance events among them; returns the failures. */
    private static int publishFleet(Infrastructure infrastructure, Topics topics) {
        FleetSimulator fleet = new FleetSimulator(new FleetSimulator.Settings(DEVICES, 7,
                START, Duration.ofMinutes(1), 4.0, Duration.ofHours(2),
                Duration.ofHours(1), Scenario.NONE, Duration.ofDays(30), null));
        long position = 1_700_000_000_000L;
        int failures = 0;
        try (RecordPublisher<String, SensorReading> readings =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0);
             RecordPublisher<String, MaintenanceEvent> maintenance =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.maintenance(), 0)) {
            while (readings.sent() < READINGS) {
                FleetSimulator.Event event = fleet.next();
                position++;
                if (event instanceof FleetSimulator.Reading reading) {
                    if (!silent(reading.reading())) {
                        readings.publish(event.deviceId(), reading.reading(), position);
                    }
                } else if (event instanceof FleetSimulator.Maintenance m) {
                    maintenance.publish(event.deviceId(), m.event(), position);
                    failures += m.event().getKind() == MaintenanceKind.FAILURE ? 1 : 0;
                }
            }
        }
        return failures;
    }

    /** Whether the reading falls in its machine's silence: a tenth of the machines have one; their maintenance events still come. */
    private static boolean silent(SensorReading reading) {
        return Math.floorMod(reading.getDeviceId().hashCode(), 10) == 0
                && !reading.getEventTime().isBefore(SILENCE_FROM) && reading.getEventTime().isBefore(SILENCE_TO);
    }

    /**
     * Readings waiting for their label as of the last commit: what the committed device checkpoints
     * (the devices changelog's latest record per device) list. The pending store's changelog cannot
     * tell: a reading's entry stays there after its label came, until it expires.
     */
    private static long pendingReadings(Infrastructure infrastructure, DriftlineConfig config) {
        String changelog = config.getString(DriftlineConfig.APPLICATION_ID) + "-" + DriftlineTopology.DEVICE_STORE
                + "-changelog";
        Map<String, Object> settings = new HashMap<>(infrastructure.clientSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Bytes, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(changelog).stream()
                    .map(info -> new TopicPartition(changelog, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(Bytes.wrap(record.key()), record.value());
                }
            }
        }
        PipelineSettings pipeline = config.pipeline();
        return latest.values().stream()
                .filter(Objects::nonNull)
                .mapToLong(bytes -> CheckpointCodec.decodeDevice(bytes, pipeline.labels(), pipeline.featureWindow())
                        .labeler().pendingCount())
                .sum();
    }

    /** What the uninterrupted run published, and how many of its waiting readings expired. */
    private record Uninterrupted(List<Prediction> predictions, long expired) {
    }

    /** The same settings, run once without interruption by this JVM, into topics of its own. */
    private static Uninterrupted uninterrupted(DriftlineConfig config, Infrastructure infrastructure, Path dataDir)
            throws InterruptedException {
        DriftlineConfig reference = config.with(Map.of(
                DriftlineConfig.APPLICATION_ID, config.getString(DriftlineConfig.APPLICATION_ID) + "-uninterrupted",
                DriftlineConfig.DATA_DIR, dataDir.toString(),
                DriftlineConfig.TOPIC_PREDICTIONS, "uninterrupted-predictions",
                DriftlineConfig.TOPIC_ALERTS, "uninterrupted-alerts",
                DriftlineConfig.TOPIC_MODEL_STATUS, "uninterrupted-model-status",
                DriftlineConfig.TOPIC_DEAD_LETTER, "uninterrupted-dlq"));
        Topics topics = Topics.from(reference, reference.registryClientSettings(infrastructure.registryUrl()));
        try (DriftlineService service = DriftlineService.start(reference, infrastructure)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
            Counter expired = service.meters().find("driftline.labels.resolved").tag("cause", "EXPIRED").counter();
            return new Uninterrupted(predictions, expired == null ? 0 : Math.round(expired.count()));
        }
    }

    private static String describe(Prediction prediction) {
        return prediction.getDeviceId() + "#" + prediction.getSequence() + " " + prediction.getPredictedClass() + "@"
                + prediction.getFailureProbability();
    }
}
