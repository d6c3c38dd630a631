package io.driftline.topology;

import io.driftline.avro.Progress;
import java.time.Instant;

/**
 * What a device-stage partition tells the model stage of its progress, asked on a wall-clock
 * schedule: a mark whenever its event time advanced since the last one, and, once it stands still
 * and is idle, a mark that it is idle (repeated, for a model-stage task that restarted meanwhile).
 *
 * <p>Idle time passes only while the task runs: a gap of more than {@value #STALL_MS} ms between
 * two calls (the stream thread blocked in a long commit, a rebalance, a pause) is not counted, as
 * it held every partition up alike. How long a partition that stands still is waited for depends
 * on whether it is live (its latest input, when it came, was less than the idle time behind the
 * wall clock) and on whether it has input left to read ({@link InputLag}, asked after its latest
 * advance):
 * <ul>
 *   <li>read to its end and live, or without any input yet (no device hashes to it): idle at once;</li>
 *   <li>read to its end while replaying history: after the idle time. Caught up is not ended: a
 *       replay or backfill produced while the application reads it is caught up between two of the
 *       producer's batches, and a partition idle then would let the others run ahead of it;</li>
 *   <li>input left, or not known, and live: after the idle time;</li>
 *   <li>input left, or not known, while replaying: after {@value #REPLAY_FACTOR} times the idle time
 *       (a task held up, waiting to fetch or for a busy thread, seen for seconds on a loaded machine).</li>
 * </ul>
 */
final class ProgressMarks {

    static final long STALL_MS = 1000;
    static final int REPLAY_FACTOR = 12;

    private final int partition;
    private final long idleMs;
    private long routedTo = Long.MIN_VALUE;
    private long markedTo = Long.MIN_VALUE;
    private long lastCall;
    private long stillFor;
    private boolean live;
    // Wall-clock time of the latest advance: a caught-up answer older than it says nothing of the inputs since.
    private long advancedAt = Long.MIN_VALUE;
    private boolean markedIdle;

    ProgressMarks(int partition, long idleMs, long now) {
        this.partition = partition;
        this.idleMs = idleMs;
        this.lastCall = now;
    }

    /** An input of event time {@code time} was routed to its model. */
    void routed(long time) {
        routedTo = Math.max(routedTo, time);
    }

    /** The mark to send now, or null; {@code caughtUpAsOf} as {@link InputLag#caughtUpAsOf} answers for this partition. */
    Progress next(long now, long caughtUpAsOf) {
        long elapsed = Math.max(0, now - lastCall);
        lastCall = now;
        if (routedTo > markedTo) {
            markedTo = routedTo;
            stillFor = 0;
            live = now - routedTo < idleMs;
            advancedAt = now;
            markedIdle = false;
            return mark(false);
        }
        stillFor += elapsed > STALL_MS ? 0 : elapsed;
        long byClock = live ? idleMs : REPLAY_FACTOR * idleMs;
        boolean readToEnd = caughtUpAsOf != Long.MIN_VALUE && caughtUpAsOf > advancedAt;
        long wait = markedIdle || !readToEnd ? byClock : live || markedTo == Long.MIN_VALUE ? 0 : idleMs;
        if (stillFor >= wait) {
            stillFor = 0;
            markedIdle = true;
            return mark(true);
        }
        return null;
    }

    private Progress mark(boolean idle) {
        return Progress.newBuilder().setPartition(partition).setEventTime(Instant.ofEpochMilli(markedTo))
                .setIdle(idle).build();
    }
}
