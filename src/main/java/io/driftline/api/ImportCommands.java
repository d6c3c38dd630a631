package io.driftline.api;

import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.state.ModelBundle;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The commands that import a model bundle into a model key: its JSON, without the tree's
 * description (the learner is the tree), in parts of at most {@code partBytes} (a bundle can be far
 * larger than a Kafka record may be), numbered from 0 under one new import id.
 */
public final class ImportCommands {

    private ImportCommands() {
    }

    public static List<ModelCommand> of(String modelKey, ModelBundle bundle, int partBytes, String requestedBy,
                                        String reason, Instant requestedAt) {
        byte[] carried = bundle.withoutTree().toJson();
        int parts = (carried.length + partBytes - 1) / partBytes;
        String importId = UUID.randomUUID().toString();
        List<ModelCommand> commands = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            int from = part * partBytes;
            commands.add(ModelCommand.newBuilder()
                    .setModelKey(modelKey)
                    .setAction(ModelAction.IMPORT)
                    .setRequestedBy(requestedBy)
                    .setReason(reason)
                    .setRequestedAt(requestedAt)
                    .setImportId(importId)
                    .setPart(part)
                    .setParts(parts)
                    .setBundle(ByteBuffer.wrap(carried, from, Math.min(partBytes, carried.length - from)).slice())
                    .build());
        }
        return commands;
    }
}
