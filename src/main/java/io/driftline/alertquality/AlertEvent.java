package io.driftline.alertquality;

/**
 * One fact about a machine type's alerts, as {@link AlertWatch} derives it and {@link AlertQuality}
 * counts it. Small and flat, so that the model's journal records it in a few bytes.
 *
 * @param kind  what happened
 * @param track which alerts it is about: {@link #FAILURE_RISK}, {@link #ANOMALY}, or a candidate
 *              threshold ({@link AlertWatch#candidateTrack}); for {@link Kind#SCORED}, 1 for a
 *              failure label and 0 for a normal one
 * @param value a lead time or duration in ms, or a count (see {@link Kind})
 * @param score the failure probability of a {@link Kind#SCORED} reading (0 otherwise)
 */
public record AlertEvent(Kind kind, int track, long value, double score) {

    /** The track of FAILURE_RISK episodes as raised under the configured thresholds. */
    public static final int FAILURE_RISK = 0;
    /** The track of ANOMALY episodes. */
    public static final int ANOMALY = 1;

    public enum Kind {
        /** A labelled reading's failure probability as predicted, with its label. */
        SCORED,
        /** {@code value} ms of machine time watched. */
        OBSERVED,
        /** A failure came {@code value} ms after the first episode of the track that preceded it within the horizon. */
        CAUGHT,
        /** A failure with no episode of the track within the horizon before it. */
        MISSED,
        /** {@code value} episodes whose horizon passed with no failure. */
        FALSE_ALARMS,
        /** {@code value} episodes followed by a failure within the horizon. */
        TRUE_ALARMS,
        /** An operator confirmed an episode. */
        CONFIRMED,
        /** An operator marked an episode a false alarm. */
        MARKED_FALSE,
        /**
         * {@code value} episodes still waiting for their verdict when their device left the model or
         * machine type: their failure or horizon would come where they cannot be credited.
         */
        UNDECIDED
    }

    public AlertEvent {
        if (track < 0 || track >= AlertWatch.TRACKS) {
            throw new IllegalArgumentException("no track " + track);
        }
    }

    public static AlertEvent scored(boolean failure, double probability) {
        return new AlertEvent(Kind.SCORED, failure ? 1 : 0, 0, probability);
    }

    public static AlertEvent of(Kind kind, int track, long value) {
        return new AlertEvent(kind, track, value, 0);
    }
}
