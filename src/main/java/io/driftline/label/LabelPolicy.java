package io.driftline.label;

import java.io.Serializable;
import java.time.Duration;

/**
 * How readings are labelled from maintenance events.
 *
 * @param horizon a reading at time t is positive when its device fails in (t, t + horizon]
 * @param grace how long after stream time an event or reading may still arrive out of order; a
 *     reading is resolved negative only once stream time passed t + horizon + grace
 * @param maxPending most unresolved readings kept per device; beyond it the oldest is resolved
 *     negative early and counted as evicted
 * @param onRepair what a REPAIR does to the readings before it that are still unresolved
 */
public record LabelPolicy(Duration horizon, Duration grace, int maxPending, RepairPolicy onRepair)
        implements Serializable {

    public LabelPolicy {
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("horizon must be positive, was " + horizon);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
        }
    }

    /** What a repair means for the readings that preceded it. */
    public enum RepairPolicy {
        /**
         * The repair removed whatever was degrading: whether those readings preceded a failure can
         * no longer be known, so they are dropped unlabelled (counted), never trained on.
         */
        CENSOR,
        /** The repair is routine: the readings before it are negative (no failure followed). */
        NEGATIVE
    }
}
