package io.driftline.topology;

import io.driftline.avro.Alert;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** The Driftline topology in a {@link TopologyTestDriver}, with an in-memory registry of its own. */
final class TopologyFixture implements AutoCloseable {

    final DriftlineConfig config;
    final Topics topics;
    final Topology topology;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, SensorReading> readings;
    final TestInputTopic<byte[], byte[]> rawReadings;
    final TestInputTopic<String, MaintenanceEvent> maintenance;
    final TestInputTopic<byte[], byte[]> rawMaintenance;
    final TestInputTopic<String, ModelCommand> commands;
    final TestOutputTopic<String, Prediction> predictions;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    /** The registry settings of the topology's serdes, for serdes of a test's own (e.g. another writer schema). */
    final Map<String, Object> registrySettings;
    private final String scope;
    private final Path stateDir;

    /** The value of the counter {@code name} tagged {@code tag=value}, 0 if it was never incremented. */
    double counter(String name, String tag, String value) {
        Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The value of the untagged counter {@code name}, 0 if it was never incremented. */
    double counter(String name) {
        Counter counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    TopologyFixture(Map<String, ?> overrides) {
        scope = "topology-test-" + UUID.randomUUID();
        // One partition in a TopologyTestDriver, nothing to put in order, and a wall clock (which the
        // progress marks need) that moves only when a test moves it: EventTimeOrderTest orders.
        config = new DriftlineConfig(Map.of(DriftlineConfig.ORDER_MAX_DELAY_MS, 0L)).with(overrides);
        registrySettings = config.registryClientSettings("mock://" + scope);
        topics = Topics.from(config, registrySettings);
        topology = DriftlineTopology.build(topics, config.pipeline(), new DriftlineMetrics(meters));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "driftline-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // A fixture of its own: a killed earlier run must not leave it a persistent store to trip over.
        stateDir = createTempDirectory();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props);
        readings = driver.createInputTopic(topics.readings().name(), Serdes.String().serializer(),
                topics.readings().valueSerde().serializer());
        rawReadings = driver.createInputTopic(topics.readings().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        maintenance = driver.createInputTopic(topics.maintenance().name(), Serdes.String().serializer(),
                topics.maintenance().valueSerde().serializer());
        rawMaintenance = driver.createInputTopic(topics.maintenance().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        commands = driver.createInputTopic(topics.commands().name(), Serdes.String().serializer(),
                topics.commands().valueSerde().serializer());
        predictions = driver.createOutputTopic(topics.predictions().name(), Serdes.String().deserializer(),
                topics.predictions().valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), Serdes.String().deserializer(),
                topics.alerts().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    static SensorReading reading(String deviceId, String machineType, long sequence, Map<String, Double> sensors,
                                 String label) {
        return SensorReading.newBuilder()
                .setDeviceId(deviceId)
                .setMachineType(machineType)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + sequence * 1000))
                .setSequence(sequence)
                .setSensors(sensors)
                .setLabel(label)
                .build();
    }

    void send(SensorReading reading) {
        readings.pipeInput(reading.getDeviceId(), reading, reading.getEventTime());
    }

    void send(MaintenanceEvent event) {
        maintenance.pipeInput(event.getDeviceId(), event, event.getEventTime());
    }

    static MaintenanceEvent event(String deviceId, MaintenanceKind kind, long timeMillis) {
        return MaintenanceEvent.newBuilder()
                .setDeviceId(deviceId)
                .setKind(kind)
                .setEventTime(Instant.ofEpochMilli(timeMillis))
                .build();
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistryClient.dropScope(scope);
        try {
            Utils.delete(stateDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("driftline-topology-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
