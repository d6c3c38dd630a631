package io.driftline.topology;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.SensorReading;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.registry.InvalidPayloadException;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns the raw bytes of an input topic into valid records keyed by device id, or into
 * {@link DeadLetter}s: bad input never stops the application and is never dropped silently. Each
 * dead letter is counted by reason ({@code driftline_dead_letters_total}).
 *
 * <p>A registry that cannot be reached is not bad input: its exception propagates so the record
 * is retried, never dead-lettered.
 *
 * @param <T> the Avro type of the topic
 */
final class InputDecoder<T> implements Processor<byte[], byte[], String, Decoded> {

    /** Longer device ids are refused: they end up in every key, store and metric tag. */
    static final int MAX_DEVICE_ID_LENGTH = 256;

    /** More parts are refused: some 2 GB of bundle at the default part size, far above any model's. */
    static final int MAX_IMPORT_PARTS = 4096;

    /** Validates a decoded record: a {@link Decoded} that is valid, or a dead letter. */
    interface Validator<T> {
        Decoded validate(byte[] key, byte[] value, T record);
    }

    private final Deserializer<T> deserializer;
    private final Validator<T> validator;
    private final DriftlineMetrics metrics;
    private ProcessorContext<String, Decoded> context;

    private InputDecoder(Deserializer<T> deserializer, Validator<T> validator, DriftlineMetrics metrics) {
        this.deserializer = deserializer;
        this.validator = validator;
        this.metrics = metrics;
    }

    /** Readings: a device id, a known machine type, a known label if any, a non-negative time. */
    static InputDecoder<SensorReading> readings(Deserializer<SensorReading> deserializer, Set<String> machineTypes,
                                                Set<String> classes, DriftlineMetrics metrics) {
        Set<String> types = Set.copyOf(machineTypes);
        Set<String> labels = Set.copyOf(classes);
        return new InputDecoder<>(deserializer, (key, value, reading) -> {
            DeadLetter badId = checkDeviceId(key, value, reading.getDeviceId());
            if (badId != null) {
                return badId;
            }
            if (!types.contains(reading.getMachineType())) {
                return new DeadLetter(key, value, DeadLetter.Reason.UNKNOWN_MACHINE_TYPE,
                        "machine type '" + reading.getMachineType() + "' is not one of " + types);
            }
            if (reading.getLabel() != null && !labels.contains(reading.getLabel())) {
                return new DeadLetter(key, value, DeadLetter.Reason.UNKNOWN_LABEL,
                        "label '" + reading.getLabel() + "' is not one of " + labels);
            }
            if (reading.getEventTime().toEpochMilli() < 0) {
                return new DeadLetter(key, value, DeadLetter.Reason.INVALID_TIMESTAMP,
                        "negative eventTime " + reading.getEventTime().toEpochMilli());
            }
            return new ValidReading(reading, key, value);
        }, metrics);
    }

    /** Maintenance events: a device id and a non-negative time. */
    static InputDecoder<MaintenanceEvent> maintenance(Deserializer<MaintenanceEvent> deserializer,
                                                      DriftlineMetrics metrics) {
        return new InputDecoder<>(deserializer, (key, value, event) -> {
            DeadLetter badId = checkDeviceId(key, value, event.getDeviceId());
            if (badId != null) {
                return badId;
            }
            if (event.getEventTime().toEpochMilli() < 0) {
                return new DeadLetter(key, value, DeadLetter.Reason.INVALID_TIMESTAMP,
                        "negative eventTime " + event.getEventTime().toEpochMilli());
            }
            return new ValidMaintenance(event, key, value);
        }, metrics);
    }

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Decoded decoded = decode(context.recordMetadata().orElseThrow().topic(), record);
        if (decoded instanceof DeadLetter deadLetter) {
            Record<String, Decoded> out = new Record<>(null, decoded, record.timestamp(), record.headers());
            deadLetter.report(out.headers(), context, metrics);
            context.forward(out);
        } else {
            context.forward(record.withKey(keyOf(decoded)).withValue(decoded));
        }
    }

    private Decoded decode(String topic, Record<byte[], byte[]> record) {
        byte[] key = record.key();
        byte[] value = record.value();
        if (value == null) {
            return new DeadLetter(key, null, DeadLetter.Reason.NULL_VALUE, "null value (tombstone)");
        }
        T decoded;
        try {
            decoded = deserializer.deserialize(topic, record.headers(), value);
        } catch (InvalidPayloadException e) {
            return new DeadLetter(key, value, reasonOf(e), e.getMessage());
        }
        return validator.validate(key, value, decoded);
    }

    /**
     * Model commands: a model key of acceptable length, a known action, and its arguments (feedback:
     * its episode; import: a part of a bundle, whose content the model stage checks).
     */
    static InputDecoder<ModelCommand> commands(Deserializer<ModelCommand> deserializer, DriftlineMetrics metrics) {
        return new InputDecoder<>(deserializer, (key, value, command) -> {
            String modelKey = command.getModelKey();
            if (modelKey.isEmpty() || modelKey.length() > MAX_DEVICE_ID_LENGTH) {
                return new DeadLetter(key, value, DeadLetter.Reason.INVALID_COMMAND,
                        "model key of " + modelKey.length() + " characters; 1 to " + MAX_DEVICE_ID_LENGTH + " expected");
            }
            if (command.getAction() == ModelAction.UNKNOWN) {
                return new DeadLetter(key, value, DeadLetter.Reason.INVALID_COMMAND, "unknown action");
            }
            if (command.getAction() == ModelAction.PROMOTE && command.getLearner() == null
                    || command.getAction() == ModelAction.ROLLBACK && command.getVersion() == null) {
                return new DeadLetter(key, value, DeadLetter.Reason.INVALID_COMMAND,
                        command.getAction() + " without " + (command.getAction() == ModelAction.PROMOTE ? "learner" : "version"));
            }
            if (command.getAction() == ModelAction.IMPORT) {
                String problem = importProblem(command);
                if (problem != null) {
                    return new DeadLetter(key, value, DeadLetter.Reason.INVALID_COMMAND, problem);
                }
            }
            boolean feedback = command.getAction() == ModelAction.CONFIRM || command.getAction() == ModelAction.FALSE_ALARM;
            if (feedback && (command.getAlertId() == null
                    || command.getDeviceId() == null || command.getEpisodeStart() == null)) {
                return new DeadLetter(key, value, DeadLetter.Reason.INVALID_COMMAND,
                        command.getAction() + " without alertId, deviceId and episodeStart");
            }
            return new ValidCommand(command);
        }, metrics);
    }

    /** What is wrong with an IMPORT's part, or null. */
    private static String importProblem(ModelCommand command) {
        if (command.getImportId() == null || command.getPart() == null || command.getParts() == null
                || command.getBundle() == null) {
            return "IMPORT without importId, part, parts and bundle";
        }
        if (command.getParts() < 1 || command.getParts() > MAX_IMPORT_PARTS || command.getPart() < 0
                || command.getPart() >= command.getParts()) {
            return "IMPORT part " + command.getPart() + " of " + command.getParts() + "; parts are numbered from 0, "
                    + "and a bundle has 1 to " + MAX_IMPORT_PARTS;
        }
        return null;
    }

    private static DeadLetter checkDeviceId(byte[] key, byte[] value, String deviceId) {
        if (deviceId.isEmpty()) {
            return new DeadLetter(key, value, DeadLetter.Reason.MISSING_DEVICE_ID, "empty deviceId");
        }
        if (deviceId.length() > MAX_DEVICE_ID_LENGTH) {
            return new DeadLetter(key, value, DeadLetter.Reason.DEVICE_ID_TOO_LONG,
                    "deviceId of " + deviceId.length() + " characters; at most " + MAX_DEVICE_ID_LENGTH);
        }
        return null;
    }

    /** Readings and events are keyed by device, commands by model. */
    private static String keyOf(Decoded decoded) {
        if (decoded instanceof ValidReading valid) {
            return valid.reading().getDeviceId();
        }
        if (decoded instanceof ValidMaintenance valid) {
            return valid.event().getDeviceId();
        }
        if (decoded instanceof ValidCommand valid) {
            return valid.command().getModelKey();
        }
        throw new IllegalArgumentException("a dead letter has no device");
    }

    private static DeadLetter.Reason reasonOf(InvalidPayloadException e) {
        return switch (e.reason()) {
            case WRONG_MAGIC_BYTE -> DeadLetter.Reason.WRONG_MAGIC_BYTE;
            case TOO_SHORT -> DeadLetter.Reason.TOO_SHORT;
            case UNKNOWN_SCHEMA_ID -> DeadLetter.Reason.UNKNOWN_SCHEMA_ID;
            case MALFORMED_AVRO -> DeadLetter.Reason.MALFORMED_AVRO;
            case INCOMPATIBLE_SCHEMA -> DeadLetter.Reason.INCOMPATIBLE_SCHEMA;
        };
    }
}
