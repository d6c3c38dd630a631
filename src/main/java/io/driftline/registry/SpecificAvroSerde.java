package io.driftline.registry;

import org.apache.avro.specific.SpecificRecord;

/**
 * Serde for one generated Avro class in the Confluent wire format, e.g.
 * {@code new SpecificAvroSerde<>(SensorReading.class)} then {@link #configure} with the keys of
 * {@link AvroSerdeConfig}. Its serializer and deserializer share one registry client and cache.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> extends AvroSerde<T> {

    public SpecificAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** Uses {@code client} instead of one built from {@code schema.registry.url}. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        super(type, client);
    }
}
