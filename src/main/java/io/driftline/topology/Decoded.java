package io.driftline.topology;

/** The outcome of decoding and validating one input record: a valid reading, event or command, or a dead letter. */
public sealed interface Decoded permits ValidReading, ValidMaintenance, ValidCommand, DeadLetter {
}
