package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.DeviceMoved;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.Prediction;
import io.driftline.avro.Progress;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.InputOrder;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventTimeOrder} alone, between a topic standing for the repartition topic (fed as three
 * device-stage partitions would feed it) and one standing for the model stage; and the whole
 * topology, whose device stage marks its progress.
 */
class EventTimeOrderTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final String scope = "order-test-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Serde<ModelInput> serde;
    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, ModelInput> in;
    private TestOutputTopic<String, ModelInput> out;

    @BeforeEach
    void start() throws IOException {
        serde = Topics.avro(ModelInput.class, new DriftlineConfig(Map.of()).registryClientSettings("mock://" + scope));
        stateDir = Files.createTempDirectory("driftline-order-test");
        open();
    }

    @AfterEach
    void stop() throws IOException {
        driver.close();
        InMemorySchemaRegistryClient.dropScope(scope);
        Utils.delete(stateDir.toFile());
    }

    private void open() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(EventTimeOrder.builder());
        builder.stream("in", Consumed.with(Serdes.String(), serde))
                .process(() -> new EventTimeOrder(new InputOrder(3, MAX_DELAY), serde,
                        new DriftlineMetrics(meters)), EventTimeOrder.STORE)
                .to("out", Produced.with(Serdes.String(), serde));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "driftline-order-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", Serdes.String().serializer(), serde.serializer());
        out = driver.createOutputTopic("out", Serdes.String().deserializer(), serde.deserializer());
    }

    @Test
    void shouldReleaseInputsOfSeveralPartitionsInEventTimeOrderUpToTheLeastMark() {
        reading("a", 10);
        reading("a", 30);
        mark(0, 30);
        reading("b", 20);
        mark(1, 20);
        maintenance("c", 5);
        assertThat(out.readRecordsToList()).as("partition 2 not heard from yet").isEmpty();

        mark(2, 25);
        assertThat(times(out.readRecordsToList())).containsExactly(5L, 10L, 20L);

        reading("b", 40);
        moved("c", 35);
        mark(1, 40);
        mark(2, 60);
        assertThat(times(out.readRecordsToList())).as("up to partition 0's mark").containsExactly(30L);
        mark(0, 50);
        assertThat(times(out.readRecordsToList())).containsExactly(35L, 40L);
    }

    @Test
    void shouldPassOnAtOnceWhatIsBehindTheWatermarkAndCommands() {
        mark(0, 100);
        mark(1, 100);
        mark(2, 100);
        reading("a", 99);
        reading("a", 90);
        assertThat(times(out.readRecordsToList())).as("late in its own partition").containsExactly(99L, 90L);
        assertThat(meters.find("driftline.inputs.out.of.order").counter().count()).isEqualTo(1);

        reading("a", 110);
        ModelCommand reset = ModelCommand.newBuilder().setModelKey("L").setAction(ModelAction.RESET)
                .setRequestedBy("alice").setReason("test").setRequestedAt(Instant.ofEpochMilli(T0)).build();
        in.pipeInput("L", ModelInput.newBuilder().setCommand(reset).build());
        assertThat(out.readValuesToList()).singleElement().satisfies(input -> assertThat(input.getCommand()).isEqualTo(reset));
    }

    @Test
    void shouldNotWaitForAPartitionWhileItMarksItselfIdle() {
        mark(0, 10);
        mark(1, 10);
        mark(2, 10);
        reading("a", 20);
        reading("a", 50);
        mark(0, 60);
        mark(1, 60);
        assertThat(out.readRecordsToList()).as("partition 2 waited for").isEmpty();

        idle(2, 10);
        assertThat(times(out.readRecordsToList())).as("partition 2 idle: partitions 0 and 1 are passed")
                .containsExactly(20L, 50L);

        reading("b", 70);
        mark(2, 15);
        reading("a", 65);
        mark(0, 80);
        mark(1, 80);
        assertThat(out.readRecordsToList()).as("partition 2 advanced: waited for again").isEmpty();
        mark(2, 80);
        assertThat(times(out.readRecordsToList())).containsExactly(65L, 70L);
        idle(0, 80);
        idle(1, 80);
        idle(2, 80);
        reading("a", 200);
        assertThat(times(out.readRecordsToList())).as("all idle: nothing to wait for").containsExactly(200L);
        assertThat(meters.find("driftline.inputs.out.of.order").counter().count()).isZero();
    }

    @Test
    void shouldRestoreHeldInputsFromItsChangelogAfterARestart() {
        TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(
                "driftline-order-test-" + EventTimeOrder.STORE + "-changelog",
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        reading("b", 10);
        maintenance("b", 15);
        reading("a", 20);
        reading("a", 30);
        mark(0, 12);
        mark(1, 12);
        mark(2, 12);
        assertThat(times(out.readRecordsToList())).containsExactly(10L);
        List<KeyValue<byte[], byte[]>> logged = changelog.readKeyValuesToList();
        assertThat(logged).as("four held, one released").hasSize(5)
                .filteredOn(entry -> entry.value == null).hasSize(1);

        // A TopologyTestDriver neither keeps its state directory nor restores from changelogs: the
        // restart restores the new store from the changelog records as Kafka Streams would.
        driver.close();
        open();
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(EventTimeOrder.STORE);
        logged.forEach(entry -> store.put(Bytes.wrap(entry.key), entry.value));
        mark(0, 30);
        mark(1, 30);
        assertThat(out.readRecordsToList()).as("after the restart, every partition is waited for again").isEmpty();
        mark(2, 25);
        List<TestRecord<String, ModelInput>> released = out.readRecordsToList();
        assertThat(times(released)).containsExactly(15L, 20L);
        assertThat(released).extracting(TestRecord::key).containsOnly("L");
        assertThat(released).extracting(TestRecord::timestamp).as("the records' own timestamps")
                .containsOnly(T0 + 1);
        mark(2, 30);
        assertThat(times(out.readRecordsToList())).containsExactly(30L);
    }

    @Test
    void shouldReleaseABacklogSomeAtATimeInOrder() {
        int backlog = 2 * EventTimeOrder.MAX_RELEASE + 500;
        for (int i = backlog; i > 0; i--) {
            reading("a", i);
        }
        mark(0, backlog);
        mark(1, backlog);
        mark(2, backlog);
        assertThat(out.readRecordsToList()).hasSize(EventTimeOrder.MAX_RELEASE);
        reading("a", backlog);
        driver.advanceWallClockTime(Duration.ofMillis(200));
        List<Long> rest = times(out.readRecordsToList());
        assertThat(rest).hasSize(backlog - EventTimeOrder.MAX_RELEASE + 1).isSorted()
                .startsWith(EventTimeOrder.MAX_RELEASE + 1L).endsWith((long) backlog, (long) backlog);
    }

    /**
     * The whole topology, ordering on: the device stage marks its progress on the wall clock, and
     * the model stage predicts a reading once its partition is marked past it.
     */
    @Test
    void shouldPredictOnceTheDeviceStageHasMarkedItsProgress() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.ORDER_MAX_DELAY_MS, MAX_DELAY.toMillis(),
                DriftlineConfig.TOPIC_PARTITIONS, 1))) {
            fixture.send(TopologyFixture.reading("pump-1", "L", 1, Map.of("temperature", 70.0), "normal"));
            fixture.send(TopologyFixture.reading("pump-2", "L", 1, Map.of("temperature", 71.0), "normal"));
            assertThat(fixture.predictions.readValuesToList()).isEmpty();

            fixture.driver.advanceWallClockTime(Duration.ofMillis(DeviceRouter.MARK_INTERVAL_MS));
            assertThat(fixture.predictions.readValuesToList()).extracting(Prediction::getDeviceId)
                    .containsExactly("pump-1", "pump-2");
        }
    }

    @Test
    void shouldReleaseWhatItsStoreHoldsWhenKafkaStreamsInitialisesItAnew() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                EventTimeOrder.STORE), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        EventTimeOrder order = new EventTimeOrder(new InputOrder(3, MAX_DELAY), serde, new DriftlineMetrics(meters));
        MockProcessorContext<String, ModelInput> first = contextWith(store);
        order.init(first);
        order.process(new Record<>("L", readingInput("a", 10), T0 + 1));
        order.process(new Record<>("L", readingInput("a", 20), T0 + 1));
        List<KeyValue<Bytes, byte[]>> committed = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> held = store.all()) {
            held.forEachRemaining(committed::add);
        }
        for (int partition = 0; partition < 3; partition++) {
            order.process(new Record<>("p", markInput(partition, 15), T0 + 15));
        }
        assertThat(first.forwarded()).hasSize(1);
        order.close();

        // The task failed before its commit and is revived: its store is restored to the last commit,
        // which still holds the input released since, and the same processor is initialised again.
        committed.forEach(entry -> store.put(entry.key, entry.value));
        MockProcessorContext<String, ModelInput> second = contextWith(store);
        order.init(second);
        for (int partition = 0; partition < 3; partition++) {
            order.process(new Record<>("p", markInput(partition, 15), T0 + 15));
        }

        assertThat(second.forwarded()).as("the input at 10 again, as the aborted transaction's output was lost")
                .singleElement().satisfies(forwarded -> assertThat(forwarded.record().value().getReading()
                        .getEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 10)));
    }

    private static MockProcessorContext<String, ModelInput> contextWith(KeyValueStore<Bytes, byte[]> store) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "driftline-order-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<String, ModelInput> context = new MockProcessorContext<>(props);
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        context.setRecordMetadata(Topics.MODEL_INPUTS, 0, 0);
        return context;
    }

    private static ModelInput readingInput(String deviceId, long time) {
        SensorReading reading = TopologyFixture.reading(deviceId, "L", time, Map.of("temperature", 70.0), "normal");
        reading.setEventTime(Instant.ofEpochMilli(T0 + time));
        return ModelInput.newBuilder().setReading(reading).build();
    }

    private static ModelInput markInput(int partition, long time) {
        return ModelInput.newBuilder().setProgress(Progress.newBuilder().setPartition(partition)
                .setEventTime(Instant.ofEpochMilli(T0 + time)).setIdle(false).build()).build();
    }

    private static List<Long> times(List<TestRecord<String, ModelInput>> records) {
        return records.stream().map(record -> {
            ModelInput input = record.value();
            Instant time = input.getReading() != null ? input.getReading().getEventTime()
                    : input.getMaintenance() != null ? input.getMaintenance().getEventTime()
                    : input.getDeviceMoved().getMovedAt();
            return time.toEpochMilli() - T0;
        }).toList();
    }

    private void reading(String deviceId, long time) {
        SensorReading reading = TopologyFixture.reading(deviceId, "L", time, Map.of("temperature", 70.0), "normal");
        reading.setEventTime(Instant.ofEpochMilli(T0 + time));
        in.pipeInput("L", ModelInput.newBuilder().setReading(reading).build(), T0 + 1);
    }

    private void maintenance(String deviceId, long time) {
        in.pipeInput("L", ModelInput.newBuilder().setMaintenance(TopologyFixture.event(deviceId, MaintenanceKind.FAILURE,
                T0 + time)).build(), T0 + 1);
    }

    private void moved(String deviceId, long time) {
        in.pipeInput("L", ModelInput.newBuilder().setDeviceMoved(DeviceMoved.newBuilder().setDeviceId(deviceId)
                .setFromMachineType("L").setToMachineType("M").setToModelKey("M")
                .setMovedAt(Instant.ofEpochMilli(T0 + time)).build()).build(), T0 + 1);
    }

    private void mark(int partition, long time) {
        mark(partition, time, false);
    }

    private void idle(int partition, long time) {
        mark(partition, time, true);
    }

    private void mark(int partition, long time, boolean idle) {
        in.pipeInput(Integer.toString(partition), ModelInput.newBuilder().setProgress(Progress.newBuilder()
                .setPartition(partition).setEventTime(Instant.ofEpochMilli(T0 + time)).setIdle(idle).build()).build(),
                T0 + time);
    }
}
