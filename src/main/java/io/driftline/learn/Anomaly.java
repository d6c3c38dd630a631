package io.driftline.learn;

import java.io.Serializable;
import java.util.List;

/**
 * How anomalous one reading looked to its model's {@link AnomalyDetector}, before learning it.
 *
 * @param score      the one-class learner's anomaly score (HSTrees: in [0,1], higher is more anomalous)
 * @param topSensors the sensors furthest from their running mean, furthest first
 * @param learned    readings the detector had learned before this one
 */
public record Anomaly(double score, List<Deviation> topSensors, long learned) implements Serializable {

    /**
     * @param sensor the sensor's name
     * @param z      its value's distance from the model's running mean of it, in standard deviations
     */
    public record Deviation(String sensor, double z) implements Serializable {
    }
}
