package io.driftline.core;

import io.driftline.avro.Alert;
import io.driftline.avro.Prediction;

/**
 * What {@link ModelCore} decided for one input, in order: records to publish and facts to count.
 * The Kafka Streams adapter forwards and counts them; a replay drops them.
 */
public sealed interface Outcome {

    /** A prediction for a reading of {@code deviceId}. */
    record Predicted(String deviceId, Prediction prediction) implements Outcome {
    }

    /** An alert about {@code modelKey}. */
    record Alerted(String modelKey, Alert alert) implements Outcome {
    }

    /**
     * The input itself cannot be used: a maintenance event too old to label anything correctly. It
     * belongs in the dead-letter topic as it came.
     */
    record Late(String message) implements Outcome {
    }

    /** A reading's label was decided (or it was censored), by {@code cause}. */
    record LabelResolved(String cause) implements Outcome {
    }

    /** {@code deviceId} now holds {@code count} readings waiting for a label. */
    record PendingLabels(String deviceId, int count) implements Outcome {
    }

    /** The durable form of a model or device could not be read ({@code cause}), and it started anew. */
    record StateReset(Kind kind, String key, String cause) implements Outcome {
        public enum Kind { MODEL, DEVICE }
    }
}
