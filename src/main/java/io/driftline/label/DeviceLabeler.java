package io.driftline.label;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Delayed labels for one device: a reading at time t is {@link Label#POSITIVE} when the device has
 * a FAILURE in (t, t + horizon], {@link Label#NEGATIVE} when stream time passes t + horizon + grace
 * without one. All times are event times (stream time), so a replay labels exactly as the live run
 * did.
 *
 * <p>Readings wait in arrival order; failures are remembered for horizon + grace so that a reading
 * arriving out of order, after the failure that follows it, is still labelled positive. Readings
 * and events older than stream time minus grace are late: callers check {@link #isLate} first and
 * dead-letter them; passing one anyway is an error. Not thread-safe; checkpointed with its queued
 * readings by {@link #writeTo}, without its policy.
 *
 * @param <T> what is queued per reading (the reading and the prediction made when it arrived)
 */
public final class DeviceLabeler<T> {

    private final LabelPolicy policy;
    private final Deque<Pending<T>> pending = new ArrayDeque<>();
    private final TreeSet<Long> failures = new TreeSet<>();
    // Whether the queued readings' times never decrease in queue order (readings arrived in time
    // order, the usual case): then advancing time can stop at the first reading not yet due
    // instead of scanning the whole queue at every reading.
    private boolean inTimeOrder = true;
    private long streamTime = Long.MIN_VALUE;

    /** Writes one queued reading into a checkpoint. */
    @FunctionalInterface
    public interface ReadingWriter<T> {
        void write(DataOutput out, T reading) throws IOException;
    }

    /** Reads one queued reading written by a {@link ReadingWriter}. */
    @FunctionalInterface
    public interface ReadingReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    public DeviceLabeler(LabelPolicy policy) {
        this.policy = policy;
    }

    private record Pending<T>(T reading, long time) {
    }

    /**
     * Queues a reading at {@code time}; returns the readings resolved now: this one when a known
     * failure already decides it, and the oldest when the queue is full.
     */
    public List<Resolution<T>> onReading(T reading, long time) {
        requireNotLate(time);
        List<Resolution<T>> resolved = new ArrayList<>();
        Long failure = failures.higher(time);
        if (failure != null && failure <= time + horizon()) {
            resolved.add(Resolution.byFailure(reading, time, failure));
        } else {
            enqueue(new Pending<>(reading, time));
            while (pending.size() > policy.maxPending()) {
                Pending<T> oldest = pending.removeFirst();
                resolved.add(new Resolution<>(oldest.reading(), oldest.time(), Label.NEGATIVE, Resolution.Cause.EVICTED));
            }
        }
        resolved.addAll(advance(time));
        return resolved;
    }

    /**
     * Records a failure at {@code time} and returns the readings whose horizon passed before it
     * (negative), then the readings it labels positive.
     */
    public List<Resolution<T>> onFailure(long time) {
        requireNotLate(time);
        // Time passes first: readings whose horizon and grace ended before this failure are negative.
        List<Resolution<T>> resolved = advance(time);
        failures.add(time);
        for (Iterator<Pending<T>> it = pending.iterator(); it.hasNext(); ) {
            Pending<T> next = it.next();
            if (next.time() < time && time <= next.time() + horizon()) {
                it.remove();
                resolved.add(Resolution.byFailure(next.reading(), next.time(), time));
            }
        }
        return resolved;
    }

    /**
     * Records a repair at {@code time}: the readings before it that are still pending are
     * resolved as the policy says.
     */
    public List<Resolution<T>> onRepair(long time) {
        requireNotLate(time);
        List<Resolution<T>> resolved = advance(time);
        Label label = policy.onRepair() == LabelPolicy.RepairPolicy.NEGATIVE ? Label.NEGATIVE : null;
        for (Iterator<Pending<T>> it = pending.iterator(); it.hasNext(); ) {
            Pending<T> next = it.next();
            if (next.time() < time) {
                it.remove();
                resolved.add(new Resolution<>(next.reading(), next.time(), label, Resolution.Cause.REPAIR));
            }
        }
        return resolved;
    }

    /**
     * An operator marked an alert episode from {@code from} to {@code to} (inclusive) a false alarm:
     * the readings of that time still waiting are labelled negative now, with cause
     * {@link Resolution.Cause#FEEDBACK}. Stream time does not move.
     */
    public List<Resolution<T>> onFalseAlarm(long from, long to) {
        List<Resolution<T>> resolved = new ArrayList<>();
        for (Iterator<Pending<T>> it = pending.iterator(); it.hasNext(); ) {
            Pending<T> next = it.next();
            if (from <= next.time() && next.time() <= to) {
                it.remove();
                resolved.add(new Resolution<>(next.reading(), next.time(), Label.NEGATIVE, Resolution.Cause.FEEDBACK));
            }
        }
        return resolved;
    }

    /**
     * Moves stream time forward (never back) and resolves as negative every reading whose horizon
     * and grace have passed; forgets failures that can no longer label anything.
     */
    public List<Resolution<T>> advance(long time) {
        streamTime = Math.max(streamTime, time);
        List<Resolution<T>> resolved = new ArrayList<>();
        // Strictly before: a failure exactly at t + horizon may still arrive within the grace.
        long settled = streamTime - horizon() - grace();
        for (Iterator<Pending<T>> it = pending.iterator(); it.hasNext(); ) {
            Pending<T> next = it.next();
            if (next.time() < settled) {
                it.remove();
                resolved.add(new Resolution<>(next.reading(), next.time(), Label.NEGATIVE,
                        Resolution.Cause.HORIZON_PASSED));
            } else if (inTimeOrder) {
                break;
            }
        }
        if (pending.isEmpty()) {
            inTimeOrder = true;
        }
        // Readings older than stream time minus grace are refused as late, so no failure before
        // that can label anything any more.
        failures.headSet(streamTime - grace(), false).clear();
        return resolved;
    }

    private void enqueue(Pending<T> next) {
        Pending<T> last = pending.peekLast();
        if (last != null && next.time() < last.time()) {
            inTimeOrder = false;
        }
        pending.addLast(next);
    }

    /**
     * Writes stream time, queue and remembered failures, to be read back by {@link #readFrom}; part
     * of a device checkpoint. The policy is configuration, not state: it is not written, and the
     * reader gives the labeler the current one. Times are varints, each the difference from the one
     * before: readings a minute apart take three bytes, not eight.
     */
    public void writeTo(DataOutput out, ReadingWriter<T> readings) throws IOException {
        ByteUtils.writeVarlong(streamTime, out);
        ByteUtils.writeVarint(pending.size(), out);
        long previous = 0;
        for (Pending<T> next : pending) {
            ByteUtils.writeVarlong(next.time() - previous, out);
            previous = next.time();
            readings.write(out, next.reading());
        }
        ByteUtils.writeVarint(failures.size(), out);
        previous = 0;
        for (long failure : failures) {
            ByteUtils.writeVarlong(failure - previous, out);
            previous = failure;
        }
    }

    /**
     * Reads what {@link #writeTo} wrote: the same readings resolve the same way after it, under
     * {@code policy}, the current one (a changed horizon or grace applies from now on, also to the
     * readings already queued).
     */
    public static <T> DeviceLabeler<T> readFrom(DataInputStream in, LabelPolicy policy, ReadingReader<T> readings)
            throws IOException {
        DeviceLabeler<T> labeler = new DeviceLabeler<>(policy);
        labeler.streamTime = ByteUtils.readVarlong(in);
        long time = 0;
        for (int i = count(in); i > 0; i--) {
            time += ByteUtils.readVarlong(in);
            labeler.enqueue(new Pending<>(readings.read(in), time));
        }
        long failure = 0;
        for (int i = count(in); i > 0; i--) {
            failure += ByteUtils.readVarlong(in);
            labeler.failures.add(failure);
        }
        return labeler;
    }

    /**
     * Skips the label policy that device checkpoints of format 3 wrote before the stream time (the
     * policy a labeler was built with, now replaced by the current one).
     */
    public static void skipWrittenPolicy(DataInputStream in) throws IOException {
        ByteUtils.readVarlong(in);
        ByteUtils.readVarlong(in);
        ByteUtils.readVarint(in);
        in.readUTF();
    }

    /** A count of entries of at least a byte each: a corrupt one fails rather than loops. */
    private static int count(DataInputStream in) throws IOException {
        int count = ByteUtils.readVarint(in);
        if (count < 0 || count > in.available()) {
            throw new IOException("corrupt count " + count);
        }
        return count;
    }

    public int pendingCount() {
        return pending.size();
    }

    public long streamTime() {
        return streamTime;
    }

    /** Whether a reading or event at {@code time} arrives too late to be labelled correctly. */
    public boolean isLate(long time) {
        return streamTime != Long.MIN_VALUE && time < streamTime - grace();
    }

    private void requireNotLate(long time) {
        if (isLate(time)) {
            throw new IllegalArgumentException("time " + time + " is late: stream time is " + streamTime
                    + " and the grace " + grace() + " ms");
        }
    }

    private long horizon() {
        return policy.horizon().toMillis();
    }

    private long grace() {
        return policy.grace().toMillis();
    }
}
