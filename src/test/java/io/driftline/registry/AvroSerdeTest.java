package io.driftline.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.avro.SensorReading;
import io.driftline.registry.InvalidPayloadException.Reason;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String SCOPE = "avro-serde-test";
    private static final String TOPIC = "sensor-readings";

    private final InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    @Test
    void shouldRoundTripASpecificRecord() {
        SpecificAvroSerde<SensorReading> serde = specificSerde(Map.of());
        SensorReading reading = Fixtures.reading();
        reading.setLabel("failure");
        reading.setTags(Map.of("site", "Lyon"));

        byte[] bytes = serde.serializer().serialize(TOPIC, reading);

        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(reading);
        assertThat(registry.subjects()).containsExactly(TOPIC + "-value");
    }

    @Test
    void shouldRoundTripAGenericRecordWithItsWriterSchema() {
        Schema schema = Fixtures.record("Point", "{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"tag\",\"type\":\"string\"}");
        GenericRecord point = new GenericRecordBuilder(schema).set("x", 3).set("tag", "é").build();
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(Fixtures.mockConfig(SCOPE), true);

        GenericRecord read = serde.deserializer().deserialize("points", serde.serializer().serialize("points", point));

        assertThat(read.getSchema()).isEqualTo(schema);
        assertThat(read.get("x")).isEqualTo(3);
        assertThat(read.get("tag")).hasToString("é");
        assertThat(registry.subjects()).containsExactly("points-key");
    }

    @Test
    void shouldReadAGenericRecordOfTheSpecificSchema() {
        SpecificAvroSerde<SensorReading> specific = specificSerde(Map.of());
        GenericAvroSerde generic = new GenericAvroSerde();
        generic.configure(Fixtures.mockConfig(SCOPE), false);

        GenericRecord read = generic.deserializer().deserialize(TOPIC, specific.serializer().serialize(TOPIC, Fixtures.reading()));

        assertThat(read.get("deviceId")).hasToString("d1");
        assertThat(read.get("eventTime")).isEqualTo(1000L);
    }

    @Test
    void shouldMapNullToNullBothWays() {
        SpecificAvroSerde<SensorReading> serde = specificSerde(Map.of());
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, (byte[]) null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), (ByteBuffer) null)).isNull();
    }

    @Test
    void shouldReadFromASliceOfALargerBufferWithoutTouchingItsNeighbours() {
        SpecificAvroSerde<SensorReading> serde = specificSerde(Map.of());
        byte[] bytes = serde.serializer().serialize(TOPIC, Fixtures.reading());
        byte[] padded = new byte[bytes.length + 20];
        Arrays.fill(padded, (byte) 0x7F); // junk that would be read as more data if the bounds leaked
        System.arraycopy(bytes, 0, padded, 7, bytes.length);
        ByteBuffer slice = ByteBuffer.wrap(padded, 3, bytes.length + 10).slice();
        slice.position(4).limit(4 + bytes.length);

        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), slice)).isEqualTo(Fixtures.reading());
        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(),
                ByteBuffer.allocateDirect(bytes.length).put(bytes).flip())).isEqualTo(Fixtures.reading());
    }

    @Test
    void shouldNameSubjectsByTheConfiguredStrategy() {
        specificSerde(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "RecordNameStrategy"))
                .serializer().serialize(TOPIC, Fixtures.reading());
        specificSerde(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"))
                .serializer().serialize(TOPIC, Fixtures.reading());

        assertThat(registry.subjects()).containsExactly("io.driftline.avro.SensorReading",
                TOPIC + "-io.driftline.avro.SensorReading");
    }

    @Test
    void shouldRefuseUnregisteredSchemasWhenAutoRegistrationIsOff() {
        SpecificAvroSerde<SensorReading> serde = specificSerde(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false));

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, Fixtures.reading()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));

        int id = registry.register(TOPIC + "-value", SensorReading.getClassSchema());
        assertThat(schemaIdOf(serde.serializer().serialize(TOPIC, Fixtures.reading()))).isEqualTo(id);
    }

    @Test
    void shouldWriteWithTheLatestVersionResolvingFieldsByName() {
        // The latest schema reorders the fields and adds one with a default.
        Schema own = Fixtures.record("Point", "{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"y\",\"type\":\"int\"}");
        Schema latest = Fixtures.record("Point", "{\"name\":\"y\",\"type\":\"int\"},{\"name\":\"x\",\"type\":\"int\"},"
                + "{\"name\":\"z\",\"type\":\"int\",\"default\":7}");
        registry.register("points-value", own);
        int latestId = registry.register("points-value", latest);
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE,
                AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        byte[] bytes = serde.serializer().serialize("points", new GenericRecordBuilder(own).set("x", 1).set("y", 2).build());
        GenericRecord read = serde.deserializer().deserialize("points", bytes);

        assertThat(schemaIdOf(bytes)).isEqualTo(latestId);
        assertThat(read.get("x")).isEqualTo(1);
        assertThat(read.get("y")).isEqualTo(2);
        assertThat(read.get("z")).isEqualTo(7);
    }

    @Test
    void shouldReportARecordThatBreaksItsOwnSchemaAsASerializationException() {
        SensorReading broken = Fixtures.reading();
        broken.setSensors(null); // not nullable in the schema
        assertThatThrownBy(() -> specificSerde(Map.of()).serializer().serialize(TOPIC, broken))
                .isInstanceOf(SerializationException.class)
                .isNotInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("SensorReading");
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'x'};
        assertReason(bytes, Reason.UNKNOWN_SCHEMA_ID, "12345");
        assertReason(new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 0}, Reason.UNKNOWN_SCHEMA_ID, "-2");
    }

    @Test
    void shouldRejectAWriterSchemaTheReaderCannotResolve() {
        Schema other = Fixtures.record("SensorReading", "{\"name\":\"deviceId\",\"type\":\"int\"}");
        int id = registry.register("elsewhere", other);
        byte[] bytes = {0, 0, 0, 0, (byte) id, 2};
        assertReason(bytes, Reason.INCOMPATIBLE_SCHEMA, "deviceId");
    }

    @Test
    void shouldRejectTruncatedAndTrailingBytes() {
        byte[] bytes = specificSerde(Map.of()).serializer().serialize(TOPIC, Fixtures.reading());
        assertReason(Arrays.copyOf(bytes, bytes.length - 3), Reason.MALFORMED_AVRO, "");
        assertReason(Arrays.copyOf(bytes, bytes.length + 2), Reason.MALFORMED_AVRO, "2 byte(s) left");
        assertReason(Arrays.copyOf(bytes, 5), Reason.MALFORMED_AVRO, "");
    }

    @Test
    void shouldRejectHostileLengthsQuicklyWithoutAllocatingThem() {
        registry.register(TOPIC + "-value", SensorReading.getClassSchema());
        byte[] hugeString = {0, 0, 0, 0, 1, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'a'};
        byte[] hugeMap = {0, 0, 0, 0, 1, 0x02, 'd', 0x02, 'L', 0x02, 0x02,
                (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x02, 't'}; // 1,073,741,823 entries
        byte[] negativeLength = {0, 0, 0, 0, 1, 0x01, 'a'};

        long start = System.nanoTime();
        assertReason(hugeString, Reason.MALFORMED_AVRO, "");
        assertReason(hugeMap, Reason.MALFORMED_AVRO, "");
        assertReason(negativeLength, Reason.MALFORMED_AVRO, "");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
    }

    @Test
    void shouldLetRegistryFailuresThroughAsSchemaRegistryException() {
        SchemaRegistryClient down = withGetById(registry, id -> {
            throw new SchemaRegistryException(503, 50301, "unavailable");
        });
        AvroDeserializer<SensorReading> deserializer = new AvroDeserializer<>(SensorReading.class, down);
        deserializer.configure(Map.of(), false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1, 0}))
                .isExactlyInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldTreatABare404AsAMisconfiguredRegistryNotAsBadData() {
        SchemaRegistryClient wrongPath = withGetById(registry, id -> {
            throw new SchemaRegistryException(404, 0, "HTTP 404: <html>Not Found</html>");
        });
        AvroDeserializer<SensorReading> deserializer = new AvroDeserializer<>(SensorReading.class, wrongPath);
        deserializer.configure(Map.of(), false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1, 0}))
                .isExactlyInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldAskTheRegistryOncePerWriterSchema() {
        AtomicInteger calls = new AtomicInteger();
        SchemaRegistryClient counting = withGetById(registry, id -> {
            calls.incrementAndGet();
            return registry.getById(id);
        });
        SpecificAvroSerde<SensorReading> serde = new SpecificAvroSerde<>(SensorReading.class, counting);
        serde.configure(Map.of(), false);
        byte[] bytes = serde.serializer().serialize(TOPIC, Fixtures.reading());

        for (int i = 0; i < 3; i++) {
            serde.deserializer().deserialize(TOPIC, bytes);
        }
        assertThat(calls).hasValue(1);
    }

    private void assertReason(byte[] bytes, Reason reason, String messagePart) {
        AvroDeserializer<SensorReading> deserializer = new AvroDeserializer<>(SensorReading.class, registry);
        deserializer.configure(Map.of(), false);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    private SpecificAvroSerde<SensorReading> specificSerde(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Fixtures.mockConfig(SCOPE));
        config.putAll(overrides);
        SpecificAvroSerde<SensorReading> serde = new SpecificAvroSerde<>(SensorReading.class);
        serde.configure(config, false);
        return serde;
    }

    /** {@code delegate} with {@code getById} replaced. */
    private static SchemaRegistryClient withGetById(SchemaRegistryClient delegate, IntFunction<Schema> getById) {
        return (SchemaRegistryClient) Proxy.newProxyInstance(SchemaRegistryClient.class.getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getById")) {
                        return getById.apply((Integer) args[0]);
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static int schemaIdOf(byte[] bytes) {
        return WireFormat.parse(bytes, 0, bytes.length).schemaId();
    }
}
