package io.driftline.core;

import io.driftline.avro.SensorReading;
import io.driftline.features.RollingFeatures;
import io.driftline.learn.Observation;

/**
 * The one place where a {@link SensorReading} becomes learning input: its sensor values and, when
 * the device keeps a window, their rolling statistics become the observation's numeric
 * features, its attributes the nominal ones. The MOA instance is built from the observation by
 * {@link io.driftline.learn.FeatureSpace#toInstance}. Benchmarks use this too, so that what they
 * time is what production does.
 */
public final class Observations {

    private Observations() {
    }

    /** @param features the device's features, updated with this reading */
    public static Observation of(SensorReading reading, RollingFeatures features) {
        return new Observation(features.update(reading.getEventTime().toEpochMilli(), reading.getSensors()),
                reading.getAttributes());
    }
}
