package io.driftline.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.avro.SensorReading;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Driftline's client and serdes against a real registry (Apicurio) and Confluent's own client. */
class RegistryServerIT {

    /** SensorReading as first released: no attributes, label or tags. */
    private static final String OLD_READING = """
            {"type":"record","name":"SensorReading","namespace":"io.driftline.avro","fields":[
              {"name":"deviceId","type":"string"},
              {"name":"machineType","type":"string"},
              {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"sequence","type":"long"},
              {"name":"sensors","type":{"type":"map","values":"double"}}]}""";

    private static RegistryServer server;
    private static SchemaRegistryClient driftline;
    private static CachedSchemaRegistryClient confluent;

    @BeforeAll
    static void startRegistry() {
        long start = System.nanoTime();
        server = RegistryServer.start(0);
        System.out.printf("RegistryServerIT: registry ready in %d ms at %s%n", (System.nanoTime() - start) / 1_000_000,
                server.url());
        driftline = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url())).createClient();
        confluent = new CachedSchemaRegistryClient(server.url(), 100);
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    @Test
    void shouldAgreeWithConfluentsClientOnIds() throws Exception {
        int ours = driftline.register("interop-a-value", SensorReading.getClassSchema());
        Schema point = Fixtures.record("Point", "{\"name\":\"x\",\"type\":\"int\"}");
        int theirs = confluent.register("interop-b-value", new AvroSchema(point.toString()));

        assertThat(confluent.getId("interop-a-value", new AvroSchema(SensorReading.getClassSchema().toString())))
                .isEqualTo(ours);
        assertThat(new Schema.Parser().parse(confluent.getSchemaById(ours).canonicalString()))
                .isEqualTo(SensorReading.getClassSchema());
        assertThat(driftline.lookup("interop-b-value", point).id()).isEqualTo(theirs);
        assertThat(driftline.getById(theirs)).isEqualTo(point);
    }

    @Test
    void shouldWriteTheIdConfluentResolvesForTheSubject() throws Exception {
        SpecificAvroSerde<SensorReading> serde = serde();

        byte[] bytes = serde.serializer().serialize("interop-topic", Fixtures.reading());

        int confluentId = confluent.getLatestSchemaMetadata("interop-topic-value").getId();
        assertThat(WireFormat.parse(bytes, 0, bytes.length).schemaId()).isEqualTo(confluentId);
        assertThat(serde.deserializer().deserialize("interop-topic", bytes)).isEqualTo(Fixtures.reading());
    }

    @Test
    void shouldReadOlderAndNewerWritersUnderBackwardCompatibility() {
        String topic = "evolution";
        Schema old = new Schema.Parser().parse(OLD_READING);
        Schema newer = withExtraField(SensorReading.getClassSchema());
        GenericAvroSerde generic = new GenericAvroSerde();
        generic.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()), false);
        SpecificAvroSerde<SensorReading> current = serde();

        byte[] oldBytes = generic.serializer().serialize(topic, new GenericRecordBuilder(old)
                .set("deviceId", "d1").set("machineType", "L").set("eventTime", 1000L).set("sequence", 1L)
                .set("sensors", Map.of("t", 1.0)).build());
        byte[] currentBytes = current.serializer().serialize(topic, Fixtures.reading());
        GenericRecord newerRecord = new GenericRecordBuilder(newer)
                .set("deviceId", "d1").set("machineType", "L").set("eventTime", 1000L).set("sequence", 1L)
                .set("sensors", Map.of("t", 1.0)).set("firmware", "2.0.1").build();
        byte[] newerBytes = generic.serializer().serialize(topic, newerRecord);

        assertThat(driftline.getCompatibility(topic + "-value")).isIn(CompatibilityLevel.NONE, CompatibilityLevel.BACKWARD);
        assertThat(List.of(oldBytes, currentBytes, newerBytes))
                .extracting(bytes -> current.deserializer().deserialize(topic, bytes))
                .containsOnly(Fixtures.reading());
        assertThat(driftline.getLatest(topic + "-value").version()).isEqualTo(3);
    }

    @Test
    void shouldRefuseABackwardIncompatibleSchema() {
        driftline.register("strict-value", SensorReading.getClassSchema());
        Schema required = new Schema.Parser().parse(SensorReading.getClassSchema().toString()
                .replaceFirst("\\{\"name\":\"sequence\"", "{\"name\":\"site\",\"type\":\"string\"},{\"name\":\"sequence\""));

        assertThat(driftline.testCompatibility("strict-value", required).compatible()).isFalse();
        assertThatThrownBy(() -> driftline.register("strict-value", required))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    }

    @Test
    void shouldDeadLetterAnUnknownIdButNotAnUnreachableRegistry() {
        SpecificAvroSerde<SensorReading> serde = serde();
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 0x7F, 0x7F, 0}))
                .isInstanceOfSatisfying(InvalidPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPayloadException.Reason.UNKNOWN_SCHEMA_ID));

        SpecificAvroSerde<SensorReading> misconfigured = new SpecificAvroSerde<>(SensorReading.class);
        misconfigured.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url().replace("/apis/ccompat/v7", "/wrong"),
                AvroSerdeConfig.MAX_RETRIES, 0), false);
        assertThatThrownBy(() -> misconfigured.deserializer().deserialize("t", new byte[] {0, 0, 0, 0, 1, 0}))
                .isExactlyInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldKeepIdsAcrossARestartWithADataDirectory(@TempDir Path dir) {
        Schema point = Fixtures.record("Persisted", "{\"name\":\"x\",\"type\":\"int\"}");
        int id;
        long firstPid;
        try (RegistryServer first = RegistryServer.start(0, dir)) {
            id = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, first.url())).createClient()
                    .register("persisted-value", point);
            firstPid = first.pid();
        }
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        long start = System.nanoTime();
        try (RegistryServer second = RegistryServer.start(0, dir)) {
            System.out.printf("RegistryServerIT: restart on existing data in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            SchemaRegistryClient client = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, second.url()))
                    .createClient();
            assertThat(client.lookup("persisted-value", point).id()).isEqualTo(id);
            assertThat(client.getById(id)).isEqualTo(point);
        }
        assertThat(dir.resolve("registry.log")).exists();
        assertThat(dir.resolve("registry.pid")).doesNotExist();
    }

    private static SpecificAvroSerde<SensorReading> serde() {
        SpecificAvroSerde<SensorReading> serde = new SpecificAvroSerde<>(SensorReading.class);
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()), false);
        return serde;
    }

    /** The current schema plus an optional field a future producer might add. */
    private static Schema withExtraField(Schema current) {
        String json = current.toString();
        return new Schema.Parser().parse(json.substring(0, json.length() - 2)
                + ",{\"name\":\"firmware\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    }
}
