package io.driftline.label;

/**
 * A pending reading whose fate is decided.
 *
 * @param reading what the caller queued (e.g. the reading and the prediction made on arrival)
 * @param time the reading's event time
 * @param label the truth, or null when the reading was censored (dropped unlabelled)
 * @param cause why it was resolved now
 * @param failureTime the time of the failure that labelled it, for {@link Cause#FAILURE}; null otherwise
 */
public record Resolution<T>(T reading, long time, Label label, Cause cause, Long failureTime) {

    /** A resolution not by a failure. */
    public Resolution(T reading, long time, Label label, Cause cause) {
        this(reading, time, label, cause, null);
    }

    /** A reading labelled by the failure at {@code failureTime}. */
    public static <T> Resolution<T> byFailure(T reading, long time, long failureTime) {
        return new Resolution<>(reading, time, Label.POSITIVE, Cause.FAILURE, failureTime);
    }

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
