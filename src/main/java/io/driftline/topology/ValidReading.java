package io.driftline.topology;

import io.driftline.avro.SensorReading;

/** A reading that decoded and passed validation. */
public record ValidReading(SensorReading reading) implements Decoded {
}
