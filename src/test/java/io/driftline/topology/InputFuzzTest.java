package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Hostile input on both input topics, interleaved with good readings: the topology never stops,
 * every bad record lands in the dead-letter topic with its reason and source, and every good
 * reading gets its prediction.
 */
class InputFuzzTest {

    @Property(tries = 20)
    void shouldDeadLetterEveryBadRecordAndPredictEveryGoodOne(@ForAll long seed) {
        Random random = new Random(seed);
        try (TopologyFixture fixture = new TopologyFixture(Map.of())) {
            byte[] good = fixture.topics.readings().valueSerde().serializer()
                    .serialize(fixture.topics.readings().name(), reading("pump-0", 1, 70.0));
            byte[] goodEvent = fixture.topics.maintenance().valueSerde().serializer()
                    .serialize(fixture.topics.maintenance().name(), MaintenanceEvent.newBuilder().setDeviceId("pump-0")
                            .setKind(MaintenanceKind.INSPECTION).setEventTime(Instant.ofEpochMilli(2)).build());
            TestInputTopic<byte[], byte[]> rawEvents = fixture.driver.createInputTopic(
                    fixture.topics.maintenance().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            int goodReadings = 0;
            int bad = 0;
            for (int i = 0; i < 200; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> {
                        fixture.send(reading("pump-" + random.nextInt(5), i + 2, hostileValue(random)));
                        goodReadings++;
                    }
                    case 1 -> {
                        fixture.rawReadings.pipeInput("k".getBytes(StandardCharsets.UTF_8), mutate(good, random));
                        bad++;
                    }
                    case 2 -> {
                        rawEvents.pipeInput("k".getBytes(StandardCharsets.UTF_8), mutate(goodEvent, random));
                        bad++;
                    }
                    default -> {
                        fixture.send(reading(random.nextBoolean() ? "" : "x".repeat(300), i + 2, 1.0));
                        bad++;
                    }
                }
            }

            assertThat(fixture.predictions.readValuesToList()).hasSize(goodReadings);
            List<TestRecord<byte[], byte[]>> deadLetters = fixture.deadLetters.readRecordsToList();
            assertThat(deadLetters).hasSize(bad).allSatisfy(record -> {
                assertThat(header(record, DeadLetter.HEADER_REASON)).isNotBlank();
                assertThat(header(record, DeadLetter.HEADER_TOPIC)).isIn("sensor-readings", "maintenance-events");
                assertThat(header(record, DeadLetter.HEADER_OFFSET)).isNotBlank();
            });
        }
    }

    /** Finite, NaN, infinite or huge sensor values: all valid input, unusable values become missing. */
    private static double hostileValue(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> -Double.MAX_VALUE;
            default -> random.nextGaussian() * 10;
        };
    }

    /** Too short for the header, wrong magic byte, unknown schema id, truncated or trailing Avro body. */
    private static byte[] mutate(byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(bytes, random.nextInt(5));
            }
            case 1 -> bytes[0] = (byte) (1 + random.nextInt(255));
            case 2 -> bytes[4] = (byte) (bytes[4] + 77);
            default -> {
                int cut = 1 + random.nextInt(bytes.length - 5);
                return random.nextBoolean() ? Arrays.copyOf(bytes, bytes.length - cut)
                        : Arrays.copyOf(bytes, bytes.length + cut);
            }
        }
        return bytes;
    }

    private static SensorReading reading(String deviceId, long sequence, double value) {
        Map<String, Double> sensors = new HashMap<>();
        sensors.put("temperature", value);
        return SensorReading.newBuilder().setDeviceId(deviceId).setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + sequence * 1000)).setSequence(sequence)
                .setSensors(sensors).build();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
