package io.driftline.learn;

import java.io.Serializable;

/** An observation with its true class, as a MOA stream or a labelled data set gives it. */
public record LabelledObservation(Observation observation, String label) implements Serializable {
}
