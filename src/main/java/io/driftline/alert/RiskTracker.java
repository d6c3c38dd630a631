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
        peak = atRisk ? probability : 0;
        return atRisk ? Transition.RAISED : Transition.CLEARED;
    }

    public boolean atRisk() {
        return atRisk;
    }

    /** Highest probability seen in the current episode (0 when not at risk). */
    public double peak() {
        return peak;
    }
}
