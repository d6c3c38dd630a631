package io.driftline.drift;

import java.io.Serializable;

/**
 * A sensor's distribution moved away from its baseline.
 *
 * @param sensor      the sensor
 * @param reading     1-based index of the reading (of this model) at which the drift was detected
 * @param meanBefore  the baseline mean, in sensor units
 * @param meanAfter   the mean of ADWIN's recent window, in sensor units (values beyond 4 baseline
 *                    standard deviations count as 4)
 * @param windowWidth readings in ADWIN's recent window
 */
public record DataDrift(String sensor, long reading, double meanBefore, double meanAfter, int windowWidth)
        implements Serializable {
}
