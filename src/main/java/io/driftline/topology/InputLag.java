package io.driftline.topology;

/**
 * What this instance knows of the device stage's backlog: whether a device-stage partition had
 * nothing left to read. The router marks its partition idle at once when it stands still and has
 * nothing left, instead of guessing from the wall clock that a replay has ended.
 */
@FunctionalInterface
public interface InputLag {

    /** Nothing known: partitions are marked idle by the wall clock alone. */
    InputLag UNKNOWN = partition -> Long.MIN_VALUE;

    /**
     * The latest wall-clock time (ms) as of which every reading and maintenance event of device-stage
     * partition {@code partition} had been processed and committed, or {@link Long#MIN_VALUE}: not
     * known. An input routed before that time is covered; one routed after it needs a later answer.
     */
    long caughtUpAsOf(int partition);
}
