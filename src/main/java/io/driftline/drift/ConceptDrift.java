package io.driftline.drift;

import java.io.Serializable;

/**
 * ADWIN cut the model's error stream: the error rate before and after differ significantly.
 *
 * @param instance        1-based index of the labelled instance at which the drift was detected
 * @param errorRateBefore the error rate of ADWIN's window before the cut
 * @param errorRateAfter  the error rate of the window that remains, the recent part
 * @param windowWidth     the width of the window that remains
 */
public record ConceptDrift(long instance, double errorRateBefore, double errorRateAfter, int windowWidth)
        implements Serializable {
}
