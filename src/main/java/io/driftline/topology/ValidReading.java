package io.driftline.topology;

import io.driftline.avro.SensorReading;

/**
 * A reading that decoded and passed validation, with the record's key and value as they came: the
 * device stage may still dead-letter it, and a dead letter is the original record.
 */
public record ValidReading(SensorReading reading, byte[] key, byte[] value) implements Decoded {
}
