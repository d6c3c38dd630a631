package io.driftline.state;

/**
 * The clock by which the readings waiting for a delayed label expire, one per store of them (a
 * Kafka Streams task's {@link PendingReadings}, or an in-memory state): the newest event time of
 * the readings stored, rounded up to a whole {@link #QUANTUM_MS}. A reading is kept by its event
 * time plus its {@link #lag}, how far this clock was past it when it came, and expires once the
 * clock has passed that by the retention: it waits the retention from when it came, as its task's
 * newest readings count time.
 *
 * <p>A reading waits for its own device's time to pass its horizon, while the clock is its task's
 * newest time. Counting from when it came rather than from its event time keeps the readings of a
 * device that lags its task by a steady amount (a partition of a full-speed replay hours behind
 * the others, a gateway forwarding a backlog) as long as those of one that does not: a reading
 * expires only when its device stops reporting, or falls further behind while it waits, by more
 * than the margin the retention leaves beyond the horizon. The clock moves with every reading
 * stored, in any order, and never back: event times that jump ahead (a backfill followed by live
 * readings in one application, a replay of two periods) move it at once, and the readings waiting
 * from before the jump expire with it.
 *
 * <p>Rounded up so that a store records its clock once per {@link #QUANTUM_MS} of event time
 * rather than with every reading ({@link PendingReadings} keeps it as a record of its own, to resume
 * it after a restart). The rounding makes the clock up to a quantum ahead of the newest event time;
 * the retention adds a quantum for it. A lag is whole quanta, 0 for a reading of the newest one.
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
        long rounded = roundedUp(time);
        if (now != UNKNOWN && rounded <= now) {
            return false;
        }
        now = rounded;
        return true;
    }

    /**
     * How far the clock is past the quantum of a reading at {@code time}, once {@link #advance}d to
     * cover it: whole quanta, 0 for a reading of the newest quantum. The reading is kept by
     * {@code time} plus this.
     */
    public long lag(long time) {
        return now() - roundedUp(time);
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

    /** Whether a reading kept by {@code time} has expired: the clock passed it by the retention. */
    public boolean expired(long time) {
        return now != UNKNOWN && time < now - retentionMs + 1;
    }

    private static long roundedUp(long time) {
        return -Math.floorDiv(-time, QUANTUM_MS) * QUANTUM_MS;
    }
}
