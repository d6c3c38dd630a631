package io.driftline.drift;

import java.time.Duration;
import java.util.Set;

/**
 * How a model watches its sensors for data drift. Configuration, not state (see
 * {@link FleetSensorDrift#configure}).
 *
 * @param delta      ADWIN's confidence on each sensor's normalised deviations from its baseline
 * @param baseline   event time, from a sensor's first value, over which its baseline is learnt; a
 *                   day or more gives a baseline per hour of day (daily cycles are normal, not drift)
 * @param minShift   smallest reported shift of the fleet's mean deviation, in baseline standard deviations
 * @param minDevices devices that must each have shifted (in the same direction, by at least half
 *                   {@code minShift}) for a shift to be reported: one machine degrading is not drift
 * @param excluded   sensors not watched (counters such as tool wear drift by design)
 */
public record DataDriftSettings(double delta, Duration baseline, double minShift, int minDevices,
                                Set<String> excluded) {

    public DataDriftSettings {
        excluded = Set.copyOf(excluded);
        if (baseline.isNegative() || baseline.isZero()) {
            throw new IllegalArgumentException("the data-drift baseline must be a positive duration");
        }
        if (minDevices < 1) {
            throw new IllegalArgumentException("data drift needs at least one device: " + minDevices);
        }
    }
}
