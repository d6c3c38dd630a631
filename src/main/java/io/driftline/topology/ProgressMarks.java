package io.driftline.topology;

import io.driftline.avro.Progress;
import java.time.Instant;

/**
 * What a device-stage partition tells the model stage of its progress, asked on a wall-clock
 * schedule: a mark whenever its event time advanced since the last one, and, once it stands still
 * and is idle, a mark that it is idle (repeated every idle time, for a model-stage task that
 * restarted meanwhile).
 *
 * <p>A partition that stands still with nothing left to read (its committed offsets reached the end
 * of its input as of a time after its last advance: {@link InputLag}) is idle at once: the tail of
 * a replay whose partitions end at different times reaches the models without waiting. Without
 * that knowledge the wall clock decides. Idle time then passes only while the task runs: a gap of
 * more than {@value #STALL_MS} ms between two calls (the stream thread blocked in a long commit, a
 * rebalance, a pause) is not counted, as it held every partition up alike. A partition that is live
 * (its latest input, when it came, was less than the idle time behind the wall clock) and stands
 * still has gone quiet: idle after the idle time. One replaying history (further behind), or with
 * no input yet, that stands still is more likely held up (a task waiting to fetch, a busy thread;
 * seen for seconds on a loaded machine) than finished: idle only after {@value #REPLAY_FACTOR}
 * times the idle time, so that a replay stays in order.
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
        boolean ended = !markedIdle && caughtUpAsOf != Long.MIN_VALUE && caughtUpAsOf > advancedAt;
        if (ended || stillFor >= (live ? idleMs : REPLAY_FACTOR * idleMs)) {
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
