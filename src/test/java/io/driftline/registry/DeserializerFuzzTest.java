package io.driftline.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.driftline.avro.SensorReading;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Random and mutated bytes never make the deserializer fail with anything but {@link
 * InvalidPayloadException}, nor take long: whatever arrives on a topic, the topology can
 * dead-letter it and move on.
 */
class DeserializerFuzzTest {

    private static final String TOPIC = "sensor-readings";
    private static final InMemorySchemaRegistryClient REGISTRY = new InMemorySchemaRegistryClient();
    private static final AvroDeserializer<SensorReading> DESERIALIZER =
            new AvroDeserializer<>(SensorReading.class, REGISTRY);
    private static final byte[] VALID;
    private static long slowestNanos;

    static {
        DESERIALIZER.configure(Map.of(), false);
        AvroSerializer<SensorReading> serializer = new AvroSerializer<>(REGISTRY);
        serializer.configure(Map.of(), false);
        SensorReading reading = Fixtures.reading();
        reading.setSensors(Map.of("temperature_c", 71.5, "vibration_mm_s", 2.25, "torque_nm", 40.0));
        reading.setAttributes(Map.of("firmware", "1.2.3"));
        reading.setLabel("ok");
        VALID = serializer.serialize(TOPIC, reading);
    }

    @Example
    void shouldDecodeTheUnmutatedRecord() {
        assertThat(DESERIALIZER.deserialize(TOPIC, VALID).getSensors()).containsEntry("torque_nm", 40.0);
    }

    @Property(tries = 3000)
    void shouldOnlyThrowInvalidPayloadOnRandomBytes(@ForAll("randomBytes") byte[] bytes) {
        assertDecodesOrRejects(bytes);
    }

    @Property(tries = 5000)
    void shouldOnlyThrowInvalidPayloadOnMutatedRecords(@ForAll("mutatedRecords") byte[] bytes) {
        assertDecodesOrRejects(bytes);
    }

    @Property(tries = 1000)
    void shouldOnlyThrowInvalidPayloadOnHostileLengthPrefixes(@ForAll("hostileLengths") byte[] bytes) {
        assertDecodesOrRejects(bytes);
    }

    @AfterContainer
    static void reportSlowest() {
        System.out.printf("DeserializerFuzzTest: slowest decode %.2f ms%n", slowestNanos / 1e6);
        // Catches a hostile length that makes the decoder allocate or walk gigabytes (seconds per record),
        // not scheduling noise: on a loaded 2-core machine one decode of a few bytes was seen to take 354 ms.
        assertThat(slowestNanos / 1_000_000).as("slowest decode, ms").isLessThan(5_000);
    }

    private static void assertDecodesOrRejects(byte[] bytes) {
        long start = System.nanoTime();
        try {
            SensorReading read = DESERIALIZER.deserialize(TOPIC, new RecordHeaders(), ByteBuffer.wrap(bytes));
            assertThat(read).isNotNull();
        } catch (InvalidPayloadException expected) {
            assertThat(expected.reason()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
            fail("unexpected " + e + " for " + Arrays.toString(bytes), e);
        }
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        Arbitrary<byte[]> anything = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> framed = Combinators.combine(Arbitraries.of(0, 1, 2, 99, -1, Integer.MAX_VALUE),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as((id, payload) -> frame(id, payload));
        return Arbitraries.oneOf(anything, framed);
    }

    @Provide
    Arbitrary<byte[]> mutatedRecords() {
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, VALID.length - 1)
                .map(length -> Arrays.copyOf(VALID, length));
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, VALID.length - 1).list().ofMinSize(1).ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size())
                        .map(values -> replace(positions, values)));
        Arbitrary<byte[]> extended = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)
                .map(extra -> concat(VALID, extra));
        Arbitrary<byte[]> otherId = Arbitraries.integers().map(id -> {
            byte[] copy = VALID.clone();
            ByteBuffer.wrap(copy).putInt(1, id);
            return copy;
        });
        return Arbitraries.oneOf(truncated, flipped, extended, otherId);
    }

    /** A valid prefix of the record, then a varint near the int/long limits where a length or count goes. */
    @Provide
    Arbitrary<byte[]> hostileLengths() {
        Arbitrary<Long> huge = Arbitraries.oneOf(
                Arbitraries.longs().between(Integer.MAX_VALUE - 16L, Integer.MAX_VALUE + 16L),
                Arbitraries.longs().between(1L << 20, 1L << 40),
                Arbitraries.longs().between(Long.MIN_VALUE, -1),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE));
        return Combinators.combine(Arbitraries.integers().between(5, VALID.length - 1), huge,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(16))
                .as((cut, length, tail) -> concat(concat(Arrays.copyOf(VALID, cut), zigZagVarint(length)), tail));
    }

    private static byte[] frame(int id, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(id).put(payload).array();
    }

    private static byte[] replace(List<Integer> positions, List<Byte> values) {
        byte[] copy = VALID.clone();
        for (int i = 0; i < positions.size(); i++) {
            copy[positions.get(i)] = values.get(i);
        }
        return copy;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] zigZagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        byte[] out = new byte[10];
        int i = 0;
        while ((n & ~0x7FL) != 0) {
            out[i++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out[i++] = (byte) n;
        return Arrays.copyOf(out, i);
    }
}
