package io.driftline.topology;

import io.driftline.avro.ModelInput;

/** A reading or maintenance event on its way to the model stage, keyed by model key. */
public record ToModel(ModelInput input) implements Routed {
}
