package io.driftline.alert;

import java.io.Serializable;

/**
 * Failure-risk episodes of one device: {@link Transition#RAISED} once the probability stayed at or
 * above the raise threshold for the debounce count, {@link Transition#CLEARED} once it stayed below
 * the clear threshold as long. One alert per episode, not one per reading. Serialisable.
 */
public final class RiskTracker implements Serializable {

    private static final long serialVersionUID = 1L;

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

    public boolean atRisk() {
        return atRisk;
    }

    /** Highest probability of the current episode, or of the last one once it cleared (0 before any). */
    public double peak() {
        return peak;
    }
}
