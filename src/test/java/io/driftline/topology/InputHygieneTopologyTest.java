package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.registry.GenericAvroSerde;
import io.driftline.state.CheckpointStore;
import io.driftline.state.ModelState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * What the device stage keeps out of the models: a gateway's retries (counted, neither predicted
 * nor learned twice), readings and events stamped in the future (FUTURE_EVENT), maintenance events
 * too late to label anything (LATE_EVENT); and every dead letter is the record as it came, with the
 * coordinates of where it came from.
 */
class InputHygieneTopologyTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldCountAGatewaysRetryAndNeitherPredictNorLearnItTwice() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:0"))) {
            fixture.send(labelled("pump-1", 1, T0 + 1_000));
            fixture.send(labelled("pump-1", 2, T0 + 2_000));
            fixture.send(labelled("pump-1", 3, T0 + 3_000));
            fixture.send(labelled("pump-1", 2, T0 + 2_000));
            fixture.send(labelled("pump-1", 4, T0 + 4_000));
            fixture.send(labelled("pump-1", 4, T0 + 4_000));

            assertThat(fixture.predictions.readValuesToList()).extracting(Prediction::getSequence)
                    .containsExactly(1L, 2L, 3L, 4L);
            assertThat(models(fixture).get("L").model().instancesTrained()).isEqualTo(4);
            assertThat(fixture.counter("driftline.readings.duplicate")).isEqualTo(2.0);
            assertThat(fixture.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldTakeReorderedReadingsAndARestartedCounterAsNewReadings() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:0"))) {
            fixture.send(labelled("pump-1", 1, T0 + 1_000));
            fixture.send(labelled("pump-1", 3, T0 + 3_000));
            // Overtaken by the next one on the way: new, and remembered.
            fixture.send(labelled("pump-1", 2, T0 + 2_000));
            fixture.send(labelled("pump-1", 2, T0 + 2_000));
            // The gateway restarted and counts from 1 again: later readings, not retries.
            fixture.send(labelled("pump-1", 1, T0 + 60_000));
            fixture.send(labelled("pump-1", 2, T0 + 61_000));
            // A gateway that sends no sequence numbers at all (always 0).
            fixture.send(labelled("pump-2", 0, T0 + 1_000));
            fixture.send(labelled("pump-2", 0, T0 + 2_000));

            assertThat(fixture.predictions.readValuesToList()).extracting(p -> p.getDeviceId() + "#" + p.getSequence())
                    .containsExactly("pump-1#1", "pump-1#3", "pump-1#2", "pump-1#1", "pump-1#2", "pump-2#0", "pump-2#0");
            assertThat(fixture.counter("driftline.readings.duplicate")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldDeadLetterReadingsAndEventsStampedBeyondTheClockSkewWithoutMovingStreamTime() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.LABEL_GRACE_MS, "1000",
                DriftlineConfig.INPUT_MAX_CLOCK_SKEW_MS, "60000"))) {
            long now = System.currentTimeMillis();
            fixture.send(reading("pump-1", 1, T0));
            byte[] future = fixture.topics.readings().valueSerde().serializer()
                    .serialize(fixture.topics.readings().name(), reading("pump-1", 2, now + 3_600_000));
            fixture.rawReadings.pipeInput("pump-1".getBytes(StandardCharsets.UTF_8), future);
            fixture.send(TopologyFixture.event("pump-1", MaintenanceKind.INSPECTION, now + 3_600_000));
            // Had either moved the device's stream time, this failure would be late; it labels reading 1.
            fixture.send(TopologyFixture.event("pump-1", MaintenanceKind.FAILURE, T0 + 500));
            // Within the skew: an ordinary reading. And sequence 2 was not taken by the dead-lettered one.
            fixture.send(reading("pump-1", 2, now + 30_000));

            List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
            assertThat(dead).extracting(record -> header(record.headers(), DeadLetter.HEADER_REASON))
                    .containsExactly("FUTURE_EVENT", "FUTURE_EVENT");
            assertThat(dead.get(0).value()).isEqualTo(future);
            assertThat(header(dead.get(0).headers(), DeadLetter.HEADER_TOPIC)).isEqualTo("sensor-readings");
            assertThat(header(dead.get(0).headers(), DeadLetter.HEADER_OFFSET)).isEqualTo("1");
            assertThat(header(dead.get(1).headers(), DeadLetter.HEADER_TOPIC)).isEqualTo("maintenance-events");
            assertThat(header(dead.get(1).headers(), DeadLetter.HEADER_OFFSET)).isEqualTo("0");
            assertThat(fixture.counter("driftline.dead.letters", "reason", "FUTURE_EVENT")).isEqualTo(2.0);
            assertThat(fixture.counter("driftline.labels.resolved", "cause", "FAILURE")).isEqualTo(1.0);
            assertThat(fixture.predictions.readValuesToList()).extracting(Prediction::getSequence).containsExactly(1L, 2L);
        }
    }

    @Test
    void shouldDeadLetterLateAndUnknownDevicesEventsAsTheyCameWithTheirSource() {
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.LABEL_GRACE_MS, "1000"))) {
            // Written by a producer on a newer schema version: re-encoding would change the bytes.
            byte[] ghost = evolvedEvent(fixture, "ghost", T0);
            fixture.rawMaintenance.pipeInput("ghost".getBytes(StandardCharsets.UTF_8), ghost);
            fixture.send(reading("pump-1", 0, T0));
            fixture.send(reading("pump-1", 10, T0 + 10_000));
            byte[] late = evolvedEvent(fixture, "pump-1", T0 + 5_000);
            fixture.rawMaintenance.pipeInput("pump-1".getBytes(StandardCharsets.UTF_8), late);

            List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
            assertThat(dead).extracting(record -> header(record.headers(), DeadLetter.HEADER_REASON))
                    .containsExactly("UNKNOWN_DEVICE", "LATE_EVENT");
            assertThat(dead.get(0).value()).isEqualTo(ghost);
            assertThat(dead.get(1).value()).isEqualTo(late);
            assertThat(dead).extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                    .containsExactly("ghost", "pump-1");
            assertThat(dead).extracting(record -> header(record.headers(), DeadLetter.HEADER_TOPIC) + "/"
                    + header(record.headers(), DeadLetter.HEADER_PARTITION) + "/"
                    + header(record.headers(), DeadLetter.HEADER_OFFSET))
                    .containsExactly("maintenance-events/0/0", "maintenance-events/0/1");
            assertThat(fixture.counter("driftline.dead.letters", "reason", "LATE_EVENT")).isEqualTo(1.0);
        }
    }

    /** A FAILURE of {@code deviceId} written with MaintenanceEvent's schema plus a field with a default. */
    private static byte[] evolvedEvent(TopologyFixture fixture, String deviceId, long time) {
        Schema current = MaintenanceEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        current.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("technician", Schema.create(Schema.Type.STRING), "who reported it", ""));
        Schema evolved = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        GenericRecord event = new GenericData.Record(evolved);
        event.put("deviceId", deviceId);
        event.put("eventTime", time);
        event.put("kind", new GenericData.EnumSymbol(evolved.getField("kind").schema(), "FAILURE"));
        event.put("technician", "alice");
        try (GenericAvroSerde serde = new GenericAvroSerde()) {
            serde.configure(fixture.registrySettings, false);
            return serde.serializer().serialize(fixture.topics.maintenance().name(), event);
        }
    }

    private static SensorReading reading(String deviceId, long sequence, long time) {
        return SensorReading.newBuilder().setDeviceId(deviceId).setMachineType("L").setEventTime(Instant.ofEpochMilli(time))
                .setSequence(sequence).setSensors(Map.of("temperature", 70.0 + sequence)).build();
    }

    private static SensorReading labelled(String deviceId, long sequence, long time) {
        SensorReading reading = reading(deviceId, sequence, time);
        reading.setLabel(sequence % 2 == 0 ? "failure" : "normal");
        return reading;
    }

    @SuppressWarnings("unchecked")
    private static CheckpointStore<ModelState> models(TopologyFixture fixture) {
        return (CheckpointStore<ModelState>) fixture.driver.getStateStore(DriftlineTopology.MODEL_STORE);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
