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
     * The input changed nothing, for {@code reason}. Counted, not dead-lettered: the device stage and
     * the HTTP API reject such inputs first, with the original record at hand; one that reaches the
     * model stage is no longer the record that came in.
     */
    record Rejected(Reason reason, String message) implements Outcome {
        public enum Reason {
            /**
             * A maintenance event too old, by the device's state here, to label anything correctly: the
             * device stage dead-letters late events; one that passed it met a device state that lags
             * behind the device stage's, e.g. one checkpointed under a shorter {@code label.grace.ms}.
             */
            LATE_EVENT,
            /** A command for a model key that has no model (the API answers 404): commands never create models. */
            UNKNOWN_MODEL,
            /** A promotion to a learner that is no challenger of the model, or a rollback to a version not kept (or unreadable). */
            NOT_APPLICABLE,
            /**
             * A model bundle that cannot be imported: parts missing, unreadable, or made under settings that
             * shape a model differently (the HTTP API refuses those first).
             */
            INVALID_BUNDLE
        }
    }

    /** A reading's label was decided (or it was censored), by {@code cause}. */
    record LabelResolved(String cause) implements Outcome {
    }

    /**
     * Readings of {@code deviceId} whose label came but which were gone from the readings waiting
     * ({@link io.driftline.state.PendingLookup.Reason}): not trained on, counted (as
     * {@link LabelResolved} too); one per input, for the log.
     */
    record ReadingsGone(String deviceId, int expired, int missing) implements Outcome {
    }

    /** {@code deviceId} now holds {@code count} readings waiting for a label. */
    record PendingLabels(String deviceId, int count) implements Outcome {
    }

    /**
     * The durable form of a model or device could not be read ({@code cause}), and it started anew;
     * {@code bySettings}: because settings that shape it changed, an operator's doing rather than a fault.
     */
    record StateReset(Kind kind, String key, String cause, boolean bySettings) implements Outcome {
        public enum Kind { MODEL, DEVICE }
    }
}
