package io.driftline.learn;

/** An observation with its true class, as a MOA stream or a labelled data set gives it. */
public record LabelledObservation(Observation observation, String label) {
}
