package io.driftline.registry;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for {@link GenericRecord}s of any schema in the Confluent wire format; records are read
 * with their writer schema (tools, dead-letter inspection). {@link #configure} with the keys of
 * {@link AvroSerdeConfig}. Its serializer and deserializer share one registry client and cache.
 */
public final class GenericAvroSerde implements Serde<GenericRecord> {

    private final AvroSerializer<GenericRecord> serializer;
    private final AvroDeserializer<GenericRecord> deserializer;
    private final SchemaRegistryClient injectedClient;

    public GenericAvroSerde() {
        this(null);
    }

    /** Uses {@code client} instead of one built from {@code schema.registry.url}. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(GenericRecord.class);
        this.injectedClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        SchemaRegistryClient client = injectedClient != null ? injectedClient : config.createClient();
        serializer.configure(config, client, isKey);
        deserializer.configure(client);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return deserializer;
    }
}
