package io.driftline.label;

/**
 * A pending reading whose fate is decided.
 *
 * @param reading what the caller queued (e.g. the reading and the prediction made on arrival)
 * @param time the reading's event time
 * @param label the truth, or null when the reading was censored (dropped unlabelled)
 * @param cause why it was resolved now
 */
public record Resolution<T>(T reading, long time, Label label, Cause cause) {

    /** Why a reading was resolved. */
    public enum Cause {
        /** A failure arrived within the horizon. */
        FAILURE,
        /** The horizon (plus grace) passed without a failure. */
        HORIZON_PASSED,
        /** A repair ended the episode ({@link LabelPolicy.RepairPolicy}). */
        REPAIR,
        /** The device had too many pending readings; the oldest was resolved early. */
        EVICTED,
        /** An operator marked the alert episode the reading belongs to as a false alarm. */
        FEEDBACK
    }

    public boolean censored() {
        return label == null;
    }
}
