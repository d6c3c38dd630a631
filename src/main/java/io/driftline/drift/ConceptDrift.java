package io.driftline.drift;

import java.io.Serializable;

/**
 * The model's concept changed: the change detector found its error rate risen (with ADWIN, a cut of
 * its window whose recent part has the higher error rate; with another detector, its
 * out-of-control signal), or a sensor its tree splits on shifted ({@link InputShift}).
 *
 * @param instance        1-based index of the labelled instance at which the drift was detected
 * @param errorRateBefore ADWIN: the error rate of its window before the cut; others: the error rate
 *                        since the previous change, before the warning zone; an input shift: the
 *                        detector's estimate when the shift was seen
 * @param errorRateAfter  ADWIN: the error rate of the window that remains, the recent part; others:
 *                        the error rate of the warning zone, this instance included; an input shift:
 *                        as before (labels cannot show it yet)
 * @param windowWidth     ADWIN: the width of the window that remains; others: the inputs of the
 *                        warning zone, this instance included; an input shift: 0
 * @param inputShift      the shift that showed it; null when the errors did
 */
public record ConceptDrift(long instance, double errorRateBefore, double errorRateAfter, int windowWidth,
                           InputShift inputShift) implements Serializable {

    /** A drift the errors showed. */
    public ConceptDrift(long instance, double errorRateBefore, double errorRateAfter, int windowWidth) {
        this(instance, errorRateBefore, errorRateAfter, windowWidth, null);
    }
}
