package io.driftline.registry;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the specific and the generic serde share: a serializer and a deserializer configured with
 * the keys of {@link AvroSerdeConfig} and sharing one registry client and cache.
 *
 * @param <T> the record type
 */
abstract class AvroSerde<T> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private final SchemaRegistryClient injectedClient;

    /** {@code client} is used instead of one built from {@code schema.registry.url} when not null. */
    AvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(type);
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
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
