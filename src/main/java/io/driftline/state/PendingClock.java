package io.driftline.state;

/**
 * The clock by which the readings waiting for a delayed label expire, one per store of them (a
 * Kafka Streams task's {@link PendingReadings}, or an in-memory state): the newest event time of
 * the readings stored, rounded up to a whole {@link #QUANTUM_MS}. A reading is stored stamped with
 * the clock as it stands once the reading has moved it, and expires once the clock has passed its
 * stamp by more than the retention.
 *
 * <p>The stamp is the clock rather than the reading's own event time because a reading waits for
 * its own device's time to pass its horizon, and the devices of one store may be hours apart in
 * event time while progressing at the same pace (a replay of several partitions without
 * {@code order.max.delay.ms}, a gateway forwarding a backlog): stamped with the clock, a reading's
 * age counts only the progress made since it arrived, so a device that lags by a steady amount
 * keeps its readings. What expires is the readings of a device that stopped reporting, or fell
 * further behind, by more than the margin the retention leaves beyond the horizon.
 *
 * <p>The clock moves with every reading stored, in any order, and never back: event times that
 * jump ahead (a backfill followed by live readings in one run, a replay of two periods) move it at
 * once, and every reading stored before the jump by more than the retention expires with it.
 *
 * <p>Rounded up so that a store records its clock once per {@link #QUANTUM_MS} of event time
 * rather than with every reading ({@link PendingReadings} keeps it as a record of its own to resume
 * it after a restart), and so that no stamp is earlier than its reading's event time. The rounding
 * makes the clock up to a quantum ahead of the newest event time; the retention adds a quantum for
 * it.
 */
public final class PendingClock {

    /** The clock's resolution: its value is always a whole number of these. */
    public static final long QUANTUM_MS = 60_000;

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long retentionMs;
    private long now = UNKNOWN;

    /** @param retentionMs how far the clock may pass a reading's stamp before the reading expires */
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
        long rounded = roundUp(time);
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

    /** The stamp of a reading stored now. Only once {@link #known}. */
    public long now() {
        requireKnown();
        return now;
    }

    /** The earliest stamp of a reading not expired. Only once {@link #known}. */
    public long oldestLive() {
        requireKnown();
        return now - retentionMs + 1;
    }

    public boolean expired(long stamp) {
        return known() && stamp < oldestLive();
    }

    /** The earliest stamp a reading at {@code time} can have: no stamp is before its reading. */
    public static long earliestStamp(long time) {
        return roundUp(time);
    }

    private static long roundUp(long time) {
        return -Math.floorDiv(-time, QUANTUM_MS) * QUANTUM_MS;
    }

    private void requireKnown() {
        if (now == UNKNOWN) {
            throw new IllegalStateException("the clock has no reading yet");
        }
    }
}
