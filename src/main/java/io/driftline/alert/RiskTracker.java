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
