package io.driftline.drift;

import java.io.Serializable;
import java.util.List;

/**
 * A sensor of a model moved away from its normal, across its devices.
 *
 * @param sensor          the sensor
 * @param reading         1-based index of the reading (of this model) at which the drift was detected
 * @param meanBefore      the normal mean at the hour of detection, in sensor units
 * @param meanAfter       the mean of ADWIN's recent window, in sensor units (deviations beyond 4
 *                        standard deviations count as 4)
 * @param spreadBefore    the normal standard deviation at the hour of detection, in sensor units
 * @param spreadAfter     the standard deviation of ADWIN's recent window, in sensor units
 * @param windowWidth     readings in ADWIN's recent window
 * @param devicesAffected devices whose own recent values moved the same way
 * @param devicesWatched  devices with recent values of the sensor
 * @param devices         the devices that moved most (at most ten), most first
 */
public record DataDrift(String sensor, long reading, double meanBefore, double meanAfter, double spreadBefore,
                        double spreadAfter, int windowWidth, int devicesAffected, int devicesWatched,
                        List<String> devices) implements Serializable {

    public DataDrift {
        devices = List.copyOf(devices);
    }
}
