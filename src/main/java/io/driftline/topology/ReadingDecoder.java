package io.driftline.topology;

import io.driftline.avro.SensorReading;
import io.driftline.registry.InvalidPayloadException;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns the raw bytes of {@code sensor-readings} into valid {@link SensorReading}s keyed by device
 * id, or into {@link DeadLetter}s: bad input never stops the application and is never dropped
 * silently. Each dead letter is counted in the Kafka Streams metric
 * {@code stream-driftline-dlq-metrics / dead-letter-total} tagged with its reason.
 *
 * <p>A registry that cannot be reached is not bad input: its exception propagates so the record
 * is retried, never dead-lettered.
 */
final class ReadingDecoder implements Processor<byte[], byte[], String, Decoded> {

    /** Longer device ids are refused: they end up in every key, store and metric tag. */
    static final int MAX_DEVICE_ID_LENGTH = 256;

    private final Deserializer<SensorReading> deserializer;
    private final Set<String> machineTypes;
    private final Set<String> classes;
    private ProcessorContext<String, Decoded> context;

    ReadingDecoder(Deserializer<SensorReading> deserializer, Set<String> machineTypes, Set<String> classes) {
        this.deserializer = deserializer;
        this.machineTypes = Set.copyOf(machineTypes);
        this.classes = Set.copyOf(classes);
    }

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Decoded decoded = decode(source.topic(), record);
        if (decoded instanceof ValidReading valid) {
            context.forward(record.withKey(valid.reading().getDeviceId()).withValue(decoded));
        } else {
            DeadLetter deadLetter = (DeadLetter) decoded;
            Record<String, Decoded> out = new Record<>(null, decoded, record.timestamp(), record.headers());
            deadLetter.writeHeaders(out.headers(), source);
            deadLetterSensor(deadLetter.reason()).record();
            context.forward(out);
        }
    }

    private Decoded decode(String topic, Record<byte[], byte[]> record) {
        byte[] key = record.key();
        byte[] value = record.value();
        if (value == null) {
            return new DeadLetter(key, null, DeadLetter.Reason.NULL_VALUE, "null value (tombstone)");
        }
        SensorReading reading;
        try {
            reading = deserializer.deserialize(topic, record.headers(), value);
        } catch (InvalidPayloadException e) {
            return new DeadLetter(key, value, reasonOf(e), e.getMessage());
        }
        String deviceId = reading.getDeviceId();
        if (deviceId.isEmpty()) {
            return new DeadLetter(key, value, DeadLetter.Reason.MISSING_DEVICE_ID, "empty deviceId");
        }
        if (deviceId.length() > MAX_DEVICE_ID_LENGTH) {
            return new DeadLetter(key, value, DeadLetter.Reason.DEVICE_ID_TOO_LONG,
                    "deviceId of " + deviceId.length() + " characters; at most " + MAX_DEVICE_ID_LENGTH);
        }
        if (!machineTypes.contains(reading.getMachineType())) {
            return new DeadLetter(key, value, DeadLetter.Reason.UNKNOWN_MACHINE_TYPE,
                    "machine type '" + reading.getMachineType() + "' is not one of " + machineTypes);
        }
        if (reading.getLabel() != null && !classes.contains(reading.getLabel())) {
            return new DeadLetter(key, value, DeadLetter.Reason.UNKNOWN_LABEL,
                    "label '" + reading.getLabel() + "' is not one of " + classes);
        }
        if (reading.getEventTime().toEpochMilli() < 0) {
            return new DeadLetter(key, value, DeadLetter.Reason.INVALID_TIMESTAMP,
                    "negative eventTime " + reading.getEventTime().toEpochMilli());
        }
        return new ValidReading(reading);
    }

    private static DeadLetter.Reason reasonOf(InvalidPayloadException e) {
        return switch (e.reason()) {
            case WRONG_MAGIC_BYTE -> DeadLetter.Reason.WRONG_MAGIC_BYTE;
            case TOO_SHORT -> DeadLetter.Reason.TOO_SHORT;
            case UNKNOWN_SCHEMA_ID -> DeadLetter.Reason.UNKNOWN_SCHEMA_ID;
            case MALFORMED_AVRO -> DeadLetter.Reason.MALFORMED_AVRO;
            case INCOMPATIBLE_SCHEMA -> DeadLetter.Reason.INCOMPATIBLE_SCHEMA;
            default -> DeadLetter.Reason.UNDECODABLE;
        };
    }

    private Sensor deadLetterSensor(DeadLetter.Reason reason) {
        return context.metrics().addRateTotalSensor("driftline-dlq", reason.name(), "dead-letter",
                Sensor.RecordingLevel.INFO);
    }
}
