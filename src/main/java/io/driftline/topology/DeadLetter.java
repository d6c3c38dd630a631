package io.driftline.topology;

import io.driftline.metrics.DriftlineMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * An input record that cannot be processed, kept byte for byte, with why. Written to the
 * dead-letter topic with the reason and the source coordinates in headers, so that an operator
 * can inspect, fix and replay it.
 */
public record DeadLetter(byte[] key, byte[] value, Reason reason, String message) implements Decoded, Routed {

    public static final String HEADER_REASON = "driftline.dlq.reason";
    public static final String HEADER_MESSAGE = "driftline.dlq.message";
    public static final String HEADER_TOPIC = "driftline.dlq.topic";
    public static final String HEADER_PARTITION = "driftline.dlq.partition";
    public static final String HEADER_OFFSET = "driftline.dlq.offset";

    /** Why a record was dead-lettered; the header and metric tag carry the name. */
    public enum Reason {
        /** The value is null (a tombstone): readings are never deleted. */
        NULL_VALUE,
        /** The first byte is not the Confluent wire format's magic byte 0. */
        WRONG_MAGIC_BYTE,
        /** Fewer bytes than the wire format's 5-byte header. */
        TOO_SHORT,
        /** The registry does not know the writer schema id. */
        UNKNOWN_SCHEMA_ID,
        /** The Avro payload is truncated or corrupt. */
        MALFORMED_AVRO,
        /** The writer schema cannot be resolved into Driftline's reader schema. */
        INCOMPATIBLE_SCHEMA,
        /** The reading has an empty device id. */
        MISSING_DEVICE_ID,
        /** The device id is longer than {@link InputDecoder#MAX_DEVICE_ID_LENGTH} characters. */
        DEVICE_ID_TOO_LONG,
        /** The machine type is not one of the configured machine types. */
        UNKNOWN_MACHINE_TYPE,
        /** The in-band label is not one of the configured classes. */
        UNKNOWN_LABEL,
        /** The event time is negative. */
        INVALID_TIMESTAMP,
        /** A maintenance event of a device none of whose readings was seen: it can label nothing. */
        UNKNOWN_DEVICE,
        /**
         * A maintenance event older than its device's stream time (the latest event time of its
         * readings and events) minus {@code label.grace.ms}: too late to label its readings correctly.
         */
        LATE_EVENT,
        /** A reading or maintenance event stamped further ahead of the wall clock than {@code input.max.clock.skew.ms}. */
        FUTURE_EVENT,
        /** A model command without a usable model key, or with an action this version does not know. */
        INVALID_COMMAND
    }

    /**
     * Reports this dead letter: writes the reason and where the record came from ({@code context}'s
     * current record) into {@code headers}, and counts it by reason in {@code metrics}.
     */
    public void report(Headers headers, ProcessorContext<?, ?> context, DriftlineMetrics metrics) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        headers.add(HEADER_REASON, utf8(reason.name()));
        headers.add(HEADER_MESSAGE, utf8(message));
        headers.add(HEADER_TOPIC, utf8(source.topic()));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(source.offset())));
        metrics.deadLetter(reason.name());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
