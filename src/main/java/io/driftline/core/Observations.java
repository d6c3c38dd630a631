package io.driftline.core;

import io.driftline.avro.SensorReading;
import io.driftline.features.RollingFeatures;
import io.driftline.learn.Observation;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place where a {@link SensorReading} becomes learning input: its sensor values and, when
 * the device keeps rolling features, their rolling statistics become the observation's numeric
 * features, its attributes the nominal ones. The MOA instance is built from the observation by
 * {@link io.driftline.learn.FeatureSpace#toInstance}. Benchmarks use this too, so that what they
 * time is what production does.
 */
public final class Observations {

    private Observations() {
    }

    /**
     * @param features the device's rolling features, updated with this reading; null when they are off
     */
    public static Observation of(SensorReading reading, RollingFeatures features) {
        Map<String, Double> sensors = reading.getSensors();
        if (features == null) {
            return new Observation(sensors, reading.getAttributes());
        }
        // Sized for the sensors and their features: the map never resizes on the way.
        Map<String, Double> numeric = new HashMap<>(2 * sensors.size() * (1 + RollingFeatures.FEATURES_PER_SENSOR));
        numeric.putAll(sensors);
        features.update(reading.getEventTime().toEpochMilli(), sensors, numeric);
        return new Observation(numeric, reading.getAttributes());
    }
}
