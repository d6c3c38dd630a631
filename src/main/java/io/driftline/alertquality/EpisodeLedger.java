package io.driftline.alertquality;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The start times of one device's episodes of one track that wait for their verdict: a failure
 * within the horizon after an episode's start makes it a true alarm, the horizon passing without
 * one a false alarm. Bounded: episodes start at least a debounce apart and wait at most a horizon,
 * and beyond {@link #MAX_WAITING} the oldest is decided a false alarm early.
 */
final class EpisodeLedger {

    static final int MAX_WAITING = 32;

    private long[] starts = new long[0];
    private int size;

    /** An episode started at {@code time}; returns the episodes decided false alarms to make room (0 or 1). */
    int raised(long time) {
        int evicted = 0;
        if (size == MAX_WAITING) {
            System.arraycopy(starts, 1, starts, 0, --size);
            evicted = 1;
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, Math.max(2, 2 * size));
        }
        int at = size;
        while (at > 0 && starts[at - 1] > time) {
            starts[at] = starts[at - 1];
            at--;
        }
        starts[at] = time;
        size++;
        return evicted;
    }

    /** Decides the episodes whose horizon passed by {@code now} false alarms; returns how many. */
    int expire(long now, long horizonMs) {
        int expired = 0;
        while (expired < size && starts[expired] + horizonMs < now) {
            expired++;
        }
        drop(0, expired);
        return expired;
    }

    /**
     * A failure at {@code time}, after {@link #expire}: the episodes that started by then are true
     * alarms. Returns them with the lead time of the first, or null when there was none (missed).
     */
    Caught failure(long time) {
        int count = 0;
        while (count < size && starts[count] <= time) {
            count++;
        }
        if (count == 0) {
            return null;
        }
        Caught caught = new Caught(time - starts[0], count);
        drop(0, count);
        return caught;
    }

    /** The episodes a failure made true alarms, and how long before it the first one started. */
    record Caught(long leadMs, int episodes) {
    }

    int waiting() {
        return size;
    }

    /** Forgets every waiting episode; returns how many there were. */
    int clear() {
        int cleared = size;
        size = 0;
        return cleared;
    }

    private void drop(int from, int count) {
        System.arraycopy(starts, from + count, starts, from, size - from - count);
        size -= count;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeByte(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(starts[i]);
        }
    }

    static EpisodeLedger readFrom(DataInput in) throws IOException {
        EpisodeLedger ledger = new EpisodeLedger();
        int size = in.readUnsignedByte();
        if (size > MAX_WAITING) {
            throw new IOException("corrupt episode ledger of " + size + " episodes");
        }
        ledger.starts = new long[size];
        for (int i = 0; i < size; i++) {
            ledger.starts[i] = in.readLong();
        }
        ledger.size = size;
        return ledger;
    }
}
