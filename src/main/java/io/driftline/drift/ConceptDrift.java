package io.driftline.drift;

import java.io.Serializable;

/**
 * The change detector found the model's error rate risen: with ADWIN, a cut of its window whose
 * recent part has the higher error rate; with another detector, its out-of-control signal.
 *
 * @param instance        1-based index of the labelled instance at which the drift was detected
 * @param errorRateBefore ADWIN: the error rate of its window before the cut; others: the error rate
 *                        since the previous change, before the warning zone
 * @param errorRateAfter  ADWIN: the error rate of the window that remains, the recent part; others:
 *                        the error rate of the warning zone, this instance included
 * @param windowWidth     ADWIN: the width of the window that remains; others: the inputs of the
 *                        warning zone, this instance included
 */
public record ConceptDrift(long instance, double errorRateBefore, double errorRateAfter, int windowWidth)
        implements Serializable {
}
