package io.driftline.registry;

import io.driftline.registry.InvalidPayloadException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format: fetches the writer schema by the id in the header (cached) and
 * resolves the data into the reader schema: the generated class's schema for a {@link
 * SpecificRecord} type, the writer's own schema for {@link GenericRecord}. {@code null} reads as
 * {@code null} (a tombstone). Thread-safe once configured.
 *
 * <p>Whatever is wrong with the bytes (too short, wrong magic byte, unknown schema id, truncated,
 * corrupt or hostile Avro, trailing bytes, a writer schema the reader cannot resolve) raises one
 * exception, {@link InvalidPayloadException}, quickly and without large allocations: Avro 1.12
 * checks string, bytes and collection lengths against the bytes actually left (see {@code
 * org.apache.avro.limits.*}). A registry that cannot answer raises {@link SchemaRegistryException}
 * instead: the record may be fine.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private final Class<T> type;
    /** null: read with the writer schema (generic). */
    private final Schema readerSchema;
    private final SchemaRegistryClient injectedClient;
    /** Keyed by writer schema id: the reader schema is fixed per instance. */
    private final Map<Integer, Resolution<T>> resolutions = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient client;

    /** A cached outcome of resolving one writer schema: a reader, or why there is none. */
    private record Resolution<T>(DatumReader<T> reader, String incompatibility) {
    }

    /**
     * Reads {@code type}: a generated {@link SpecificRecord} class, or {@code GenericRecord.class};
     * the client comes from {@code schema.registry.url} at {@link #configure}.
     */
    public AvroDeserializer(Class<T> type) {
        this(type, null);
    }

    /** As {@link #AvroDeserializer(Class)}, using {@code client} ({@code schema.registry.url} then not needed). */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.type = Objects.requireNonNull(type, "type");
        this.injectedClient = client;
        if (SpecificRecord.class.isAssignableFrom(type)) {
            this.readerSchema = SpecificData.getForClass(type).getSchema(type);
            TrustedClasses.trust(type.asSubclass(SpecificRecord.class), readerSchema);
        } else if (type == GenericRecord.class) {
            this.readerSchema = null;
        } else {
            throw new IllegalArgumentException(type.getName() + " is neither a generated Avro class nor GenericRecord");
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        client = injectedClient != null ? injectedClient : new AvroSerdeConfig(configs).createClient();
    }

    void configure(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : read(data, 0, data.length);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    /** Reads in place from heap buffers (Kafka's default copies them into a new array first). */
    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return read(data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return read(copy, 0, copy.length);
    }

    private T read(byte[] array, int offset, int length) {
        WireFormat.Frame frame = WireFormat.parse(array, offset, length);
        Resolution<T> resolution = resolution(frame.schemaId());
        if (resolution.reader() == null) {
            throw new InvalidPayloadException(Reason.INCOMPATIBLE_SCHEMA, "writer schema id " + frame.schemaId()
                    + " cannot be read as " + readerName() + ": " + resolution.incompatibility());
        }
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(array, frame.payloadOffset(), frame.payloadLength(), null);
        T value;
        try {
            value = resolution.reader().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidPayloadException(Reason.MALFORMED_AVRO, decoder.remainingBytes()
                        + " byte(s) left after the record of schema id " + frame.schemaId());
            }
        } catch (InvalidPayloadException | SecurityException e) {
            // SecurityException: Avro refused to load a class, a deployment problem, not bad data.
            throw e;
        } catch (IOException | RuntimeException e) {
            // The bytes are untrusted: any other failure while decoding them (EOF, bad union index
            // or enum symbol, negative or oversized length, ...) means this record is corrupt.
            throw new InvalidPayloadException(Reason.MALFORMED_AVRO, "invalid Avro for schema id "
                    + frame.schemaId() + ": " + e, e);
        }
        return value;
    }

    private Resolution<T> resolution(int schemaId) {
        Resolution<T> cached = resolutions.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Resolution<T> resolution = resolve(writerSchema(schemaId));
        resolutions.put(schemaId, resolution);
        return resolution;
    }

    private Schema writerSchema(int schemaId) {
        if (schemaId < 0) {
            throw new InvalidPayloadException(Reason.UNKNOWN_SCHEMA_ID, "negative schema id " + schemaId);
        }
        SchemaRegistryClient client = this.client;
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        try {
            return client.getById(schemaId);
        } catch (SchemaRegistryException e) {
            // Only the registry's own "no such schema" is the record's fault; a bare 404 (e.g. a
            // wrong base URL) is a misconfiguration and must not dead-letter every record.
            if (e.httpStatus() == 404 && e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                throw new InvalidPayloadException(Reason.UNKNOWN_SCHEMA_ID, "unknown schema id " + schemaId, e);
            }
            if (e.httpStatus() / 100 == 2 && e.errorCode() == SchemaRegistryException.INVALID_SCHEMA) {
                throw new InvalidPayloadException(Reason.INCOMPATIBLE_SCHEMA, e.getMessage(), e);
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private Resolution<T> resolve(Schema writer) {
        if (readerSchema == null) {
            if (writer.getType() != Schema.Type.RECORD) {
                return new Resolution<>(null, "a " + writer.getType() + " is not a record");
            }
            return new Resolution<>((DatumReader<T>) new GenericDatumReader<GenericRecord>(writer, writer,
                    GenericData.get()), null);
        }
        SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return new Resolution<>(null, compatibility.getResult().getIncompatibilities().toString());
        }
        return new Resolution<>(new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(type)), null);
    }

    private String readerName() {
        return readerSchema == null ? "a generic record" : readerSchema.getFullName();
    }
}
