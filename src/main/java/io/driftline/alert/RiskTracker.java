package io.driftline.alert;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Failure-risk episodes of one device: {@link Transition#RAISED} once the probability stayed at or
 * above the raise threshold for the debounce count, {@link Transition#CLEARED} once it stayed below
 * the clear threshold as long. One alert per episode, not one per reading. Checkpointed with
 * {@link #writeTo}.
 */
public final class RiskTracker {

    /** What a reading changed. */
    public enum Transition { NONE, RAISED, CLEARED }

    private boolean atRisk;
    private int streak;
    private double peak;

    /** Feeds the probability of the next reading under {@code thresholds}. */
    public Transition update(double probability, RiskThresholds thresholds) {
        boolean counts = atRisk ? probability < thresholds.clear() : probability >= thresholds.raise();
        streak = counts ? streak + 1 : 0;
        if (atRisk) {
            peak = Math.max(peak, probability);
        }
        if (streak < thresholds.debounce()) {
            return Transition.NONE;
        }
        streak = 0;
        atRisk = !atRisk;
        if (atRisk) {
            peak = probability;
        }
        return atRisk ? Transition.RAISED : Transition.CLEARED;
    }

    /** Writes the episode, to be read back by {@link #readFrom}; part of a device checkpoint. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeBoolean(atRisk);
        out.writeInt(streak);
        out.writeLong(Double.doubleToRawLongBits(peak));
    }

    /**
     * Writes only what decides the next transitions, the episode and the streak (a varint, mostly one
     * byte), not the peak: for the many trackers whose peak nobody reads. Read back by
     * {@link #readTransitionsFrom}, whose tracker reports a peak of 0 until its next episode.
     */
    public void writeTransitionsTo(DataOutput out) throws IOException {
        long value = (long) streak << 1 | (atRisk ? 1 : 0);
        while (value >= 0x80) {
            out.writeByte((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    public static RiskTracker readTransitionsFrom(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int next = in.readUnsignedByte();
            value |= (long) (next & 0x7f) << shift;
            if (next < 0x80) {
                break;
            }
            if (shift > 28) {
                throw new IOException("corrupt risk tracker");
            }
        }
        RiskTracker tracker = new RiskTracker();
        tracker.atRisk = (value & 1) == 1;
        tracker.streak = (int) (value >>> 1);
        return tracker;
    }

    public static RiskTracker readFrom(DataInput in) throws IOException {
        RiskTracker tracker = new RiskTracker();
        tracker.atRisk = in.readBoolean();
        tracker.streak = in.readInt();
        tracker.peak = Double.longBitsToDouble(in.readLong());
        return tracker;
    }

    public boolean atRisk() {
        return atRisk;
    }

    /** Highest probability of the current episode, or of the last one once it cleared (0 before any). */
    public double peak() {
        return peak;
    }
}
