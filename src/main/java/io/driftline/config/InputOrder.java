package io.driftline.config;

import java.time.Duration;

/**
 * How the model stage puts its inputs in event-time order across the device stage's partitions.
 *
 * @param partitions the device stage's partitions ({@code topic.partitions}) the model stage waits for
 * @param maxDelay   how long (wall clock) a partition whose event time does not advance is waited for;
 *                   zero: no ordering
 */
public record InputOrder(int partitions, Duration maxDelay) {

    public boolean enabled() {
        return !maxDelay.isZero();
    }

    /** No ordering, e.g. for per-device models, whose inputs come from one partition. */
    public InputOrder off() {
        return new InputOrder(partitions, Duration.ZERO);
    }
}
