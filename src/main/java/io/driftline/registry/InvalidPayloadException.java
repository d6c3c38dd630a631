package io.driftline.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of one record cannot be decoded: the only exception {@link AvroDeserializer} throws
 * for bad input, whatever is wrong with it. Callers dead-letter the record and carry on.
 */
public class InvalidPayloadException extends SerializationException {

    /** What is wrong with the bytes. */
    public enum Reason {
        /** Fewer than the 5 header bytes (magic byte + schema id). */
        TOO_SHORT,
        /** The first byte is not the Confluent wire format's magic byte 0. */
        WRONG_MAGIC_BYTE,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The payload is not valid Avro for the writer schema: truncated, corrupt, hostile lengths, trailing bytes. */
        MALFORMED_AVRO,
        /** The writer schema cannot be resolved into the reader schema (or is not an Avro schema). */
        INCOMPATIBLE_SCHEMA
    }

    private final Reason reason;

    public InvalidPayloadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidPayloadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
