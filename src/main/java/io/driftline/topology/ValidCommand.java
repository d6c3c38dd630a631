package io.driftline.topology;

import io.driftline.avro.ModelCommand;

/** An operator's command to a model that decoded and passed validation. */
public record ValidCommand(ModelCommand command) implements Decoded {
}
