package io.driftline.topology;

import io.driftline.avro.SensorReading;
import io.driftline.learn.Observation;

/**
 * The one place where a {@link SensorReading} becomes learning input. The reading's sensor map
 * becomes the observation's numeric features and its attributes the nominal ones; the MOA
 * instance is built from the observation by {@link io.driftline.learn.FeatureSpace#toInstance}.
 */
public final class Readings {

    private Readings() {
    }

    public static Observation toObservation(SensorReading reading) {
        return new Observation(reading.getSensors(), reading.getAttributes());
    }
}
