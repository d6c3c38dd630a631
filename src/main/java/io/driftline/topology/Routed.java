package io.driftline.topology;

/** The outcome of routing a valid input to its model: a model input, or a dead letter. */
public sealed interface Routed permits ToModel, DeadLetter {
}
