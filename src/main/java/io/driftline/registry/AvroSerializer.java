package io.driftline.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@link SpecificRecord}s or {@code GenericRecord}s) in the
 * Confluent wire format, registering or looking up their schema first (configured by {@link
 * AvroSerdeConfig}). {@code null} is written as {@code null} (a tombstone). Thread-safe once
 * configured.
 *
 * <p>Throws {@link SchemaRegistryException} when the registry refuses the schema or cannot be
 * reached, and a {@link SerializationException} when the record does not match its own schema.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {

    private final SchemaRegistryClient injectedClient;
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    /** use.latest.version: the subject's latest schema, looked up once (as Confluent's default, no expiry). */
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();
    private volatile Settings settings;

    private record Settings(SchemaRegistryClient client, SubjectNameStrategy subjects, boolean isKey,
                            boolean autoRegister, boolean useLatestVersion) {
    }

    private record WriterKey(Schema schema, Class<?> datumClass) {
    }

    /** The client comes from {@code schema.registry.url} at {@link #configure}. */
    public AvroSerializer() {
        this.injectedClient = null;
    }

    /** Uses {@code client}; {@code schema.registry.url} is then not needed. */
    public AvroSerializer(SchemaRegistryClient client) {
        this.injectedClient = Objects.requireNonNull(client, "client");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        configure(config, injectedClient != null ? injectedClient : config.createClient(), isKey);
    }

    void configure(AvroSerdeConfig config, SchemaRegistryClient client, boolean isKey) {
        settings = new Settings(client, config.subjectNameStrategy(isKey), isKey, config.autoRegisterSchemas(),
                config.useLatestVersion());
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Settings settings = this.settings;
        if (settings == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        if (!(record instanceof GenericContainer container)) {
            throw new SerializationException("Not an Avro record: " + record.getClass().getName());
        }
        Schema schema = container.getSchema();
        String subject = settings.subjects().subject(topic, settings.isKey(), schema);
        int schemaId;
        Schema writerSchema = schema;
        Object datum = record;
        if (settings.useLatestVersion()) {
            RegisteredSchema latest = latestBySubject.computeIfAbsent(subject, settings.client()::getLatest);
            schemaId = latest.id();
            if (!latest.schema().equals(schema)) {
                writerSchema = latest.schema();
                datum = resolve(record, schema, writerSchema, subject);
            }
        } else if (settings.autoRegister()) {
            schemaId = settings.client().register(subject, schema);
        } else {
            schemaId = settings.client().lookup(subject, schema).id();
        }
        return write(schemaId, writerSchema, datum, topic);
    }

    private byte[] write(int schemaId, Schema writerSchema, Object datum, String topic) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        WireFormat.writeHeader(out, schemaId);
        // Direct encoder: the target is already in memory, a buffering encoder would only copy.
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer(writerSchema, datum).write(datum, encoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + writerSchema.getFullName() + " to topic " + topic
                    + " with schema id " + schemaId + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private DatumWriter<Object> writer(Schema schema, Object datum) {
        return writers.computeIfAbsent(new WriterKey(schema, datum.getClass()), key -> {
            if (datum instanceof SpecificRecord specific) {
                TrustedClasses.trust(specific.getClass(), specific.getSchema());
                return new SpecificDatumWriter<>(schema, SpecificData.getForClass(datum.getClass()));
            }
            return new GenericDatumWriter<>(schema, GenericData.get());
        });
    }

    /**
     * {@code record} re-expressed in {@code target} by field name, with {@code target}'s defaults
     * for fields the record lacks: what a reader using {@code target} would see. Writing the record
     * with {@code target} directly would map fields by position and corrupt data if the order differs.
     */
    private Object resolve(Object record, Schema own, Schema target, String subject) {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(target, own);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("The record's schema " + own.getFullName()
                    + " cannot be expressed in the latest schema of subject " + subject + ": "
                    + compatibility.getDescription());
        }
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
            writer(own, record).write(record, encoder);
            return new GenericDatumReader<>(own, target, GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot resolve the record into the latest schema of subject "
                    + subject + ": " + e.getMessage(), e);
        }
    }
}
