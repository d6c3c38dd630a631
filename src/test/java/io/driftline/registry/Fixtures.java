package io.driftline.registry;

import io.driftline.avro.SensorReading;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;

/** Records and schemas shared by the registry tests. */
final class Fixtures {

    private Fixtures() {
    }

    static SensorReading reading() {
        return SensorReading.newBuilder()
                .setDeviceId("d1")
                .setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(1000))
                .setSequence(1)
                .setSensors(Map.of("t", 1.0))
                .build();
    }

    static Schema record(String name, String fieldsJson) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"test\","
                + "\"fields\":[" + fieldsJson + "]}");
    }

    static Map<String, Object> mockConfig(String scope) {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
    }
}
