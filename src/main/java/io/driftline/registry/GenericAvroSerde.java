package io.driftline.registry;

import org.apache.avro.generic.GenericRecord;

/**
 * Serde for {@link GenericRecord}s of any schema in the Confluent wire format; records are read
 * with their writer schema (tools, dead-letter inspection). {@link #configure} with the keys of
 * {@link AvroSerdeConfig}. Its serializer and deserializer share one registry client and cache.
 */
public final class GenericAvroSerde extends AvroSerde<GenericRecord> {

    public GenericAvroSerde() {
        this(null);
    }

    /** Uses {@code client} instead of one built from {@code schema.registry.url}. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        super(GenericRecord.class, client);
    }
}
