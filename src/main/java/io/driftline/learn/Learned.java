package io.driftline.learn;

import io.driftline.drift.ConceptDrift;
import java.util.Optional;

/**
 * What training on one labelled observation did.
 *
 * @param correct          whether the prediction scored for it was right
 * @param conceptDrift     drift detected on the error stream by this instance, if any
 * @param instancesTrained instances the model has trained on, this one included
 */
public record Learned(boolean correct, Optional<ConceptDrift> conceptDrift, long instancesTrained) {
}
