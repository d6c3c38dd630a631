package io.driftline.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.avro.SensorReading;
import io.driftline.registry.InvalidPayloadException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static final String SCOPE = "wire-format-test";

    /**
     * Worked out by hand from the Avro 1.12 specification ("Binary Encoding"): ints and longs are
     * zig-zag varints, strings a length then UTF-8, maps blocks of (count, key, value) ended by a
     * 0 count, unions the branch index then the value, doubles 8 bytes little-endian.
     */
    private static final byte[] GOLDEN = {
            0x00,                         // magic byte
            0x00, 0x00, 0x00, 0x01,       // schema id 1, big-endian (the scope's first schema)
            0x04, 'd', '1',               // deviceId "d1": length 2 -> zig-zag 4
            0x02, 'L',                    // machineType "L"
            (byte) 0xD0, 0x0F,            // eventTime 1000 ms -> zig-zag 2000 = 0x50|0x80, 2000>>7 = 15
            0x02,                         // sequence 1 -> zig-zag 2
            0x02, 0x02, 't',              // sensors: a block of 1 entry, key "t"
            0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F, //   value 1.0 = 0x3FF0000000000000 little-endian
            0x00,                         //   end of map
            0x00,                         // attributes: empty map
            0x00,                         // label: union branch 0 (null)
            0x00,                         // tags: empty map
            0x00,                         // target: union branch 0 (null)
    };

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    @Test
    void shouldWriteTheConfluentWireFormatByteForByte() {
        try (SpecificAvroSerde<SensorReading> serde = serde()) {
            assertThat(serde.serializer().serialize("sensor-readings", Fixtures.reading())).containsExactly(GOLDEN);
        }
    }

    @Test
    void shouldReadTheGoldenBytes() {
        try (SpecificAvroSerde<SensorReading> serde = serde()) {
            serde.serializer().serialize("sensor-readings", Fixtures.reading()); // registers id 1
            assertThat(serde.deserializer().deserialize("sensor-readings", GOLDEN)).isEqualTo(Fixtures.reading());
        }
    }

    @Test
    void shouldParseTheHeaderAtAnOffset() {
        byte[] framed = {9, 9, 0, 0x12, 0x34, 0x56, 0x78, 42, 9};
        WireFormat.Frame frame = WireFormat.parse(framed, 2, 6);
        assertThat(frame.schemaId()).isEqualTo(0x12345678);
        assertThat(frame.payloadOffset()).isEqualTo(7);
        assertThat(frame.payloadLength()).isEqualTo(1);
    }

    @Test
    void shouldRejectFewerThanFiveBytes() {
        assertThatThrownBy(() -> WireFormat.parse(new byte[] {0, 0, 0, 1}, 0, 4))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SHORT));
    }

    @Test
    void shouldRejectAnotherMagicByte() {
        assertThatThrownBy(() -> WireFormat.parse(new byte[] {1, 0, 0, 0, 1}, 0, 5))
                .isInstanceOfSatisfying(InvalidPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_MAGIC_BYTE))
                .hasMessageContaining("0x01");
    }

    private static SpecificAvroSerde<SensorReading> serde() {
        SpecificAvroSerde<SensorReading> serde = new SpecificAvroSerde<>(SensorReading.class);
        serde.configure(Fixtures.mockConfig(SCOPE), false);
        return serde;
    }
}
