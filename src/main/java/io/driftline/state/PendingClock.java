package io.driftline.state;

/**
 * The clock by which the readings waiting for a delayed label expire, one per store of them (a
 * Kafka Streams task's {@link PendingReadings}, or an in-memory state): the newest event time of
 * the readings stored, rounded up to a whole {@link #QUANTUM_MS}. A reading expires once the clock
 * has passed its event time by the retention.
 *
 * <p>A reading waits for its own device's time to pass its horizon, while the clock is its task's
 * newest time: a reading is kept as long as its device lags the newest readings of its task, or
 * stops reporting, by less than the margin the retention leaves beyond the horizon (a lag of hours:
 * a replay of several partitions without {@code order.max.delay.ms}; a gateway forwarding a
 * backlog). The clock moves with every reading stored, in any order, and never back: event times
 * that jump ahead (a backfill followed by live readings in one application, a replay of two periods)
 * move it at once, and the readings waiting from before the jump expire with it.
 *
 * <p>Rounded up so that a store records its clock once per {@link #QUANTUM_MS} of event time
 * rather than with every reading ({@link PendingReadings} keeps it as a record of its own, to resume
 * it after a restart). The rounding makes the clock up to a quantum ahead of the newest event time;
 * the retention adds a quantum for it.
 */
public final class PendingClock {

    /** The clock's resolution: its value is always a whole number of these. */
    public static final long QUANTUM_MS = 60_000;

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long retentionMs;
    private long now = UNKNOWN;

    /** @param retentionMs how far the clock may pass a reading's event time before the reading expires */
    public PendingClock(long retentionMs) {
        if (retentionMs <= 0) {
            throw new IllegalArgumentException("retention must be positive, was " + retentionMs);
        }
        this.retentionMs = retentionMs;
    }

    /**
     * Moves the clock to cover a reading at {@code time}; returns whether it moved (to a later
     * quantum), so that a store records it only then.
     */
    public boolean advance(long time) {
        long rounded = -Math.floorDiv(-time, QUANTUM_MS) * QUANTUM_MS;
        if (now != UNKNOWN && rounded <= now) {
            return false;
        }
        now = rounded;
        return true;
    }

    /** Resumes the clock where a store recorded it; never moves it back. */
    public void resume(long recorded) {
        if (now == UNKNOWN || recorded > now) {
            now = recorded;
        }
    }

    public boolean known() {
        return now != UNKNOWN;
    }

    /** The clock. Only once {@link #known}. */
    public long now() {
        if (now == UNKNOWN) {
            throw new IllegalStateException("the clock has no reading yet");
        }
        return now;
    }

    /** Whether a reading at {@code time} has expired: the clock passed it by the retention. */
    public boolean expired(long time) {
        return now != UNKNOWN && time < now - retentionMs + 1;
    }
}
