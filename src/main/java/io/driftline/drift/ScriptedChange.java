package io.driftline.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A change a scenario scripts on one model: what a drift alert should detect.
 *
 * @param modelKey the model whose inputs change
 * @param kind     a change of the concept (the labels given the sensors) or of one sensor's data
 * @param sensor   the sensor that changes, for a data change; null for a concept change
 * @param start    when the change begins (simulated time)
 * @param ramp     how long it takes to complete: zero for a sudden change, else a gradual one
 * @param required whether it must be detected: a change that only "may follow" (e.g. a concept
 *                 change after a recalibration) counts neither as missed nor, when detected, as false
 */
public record ScriptedChange(String modelKey, Kind kind, String sensor, Instant start, Duration ramp,
                             boolean required) {

    public enum Kind { CONCEPT, DATA }

    public ScriptedChange {
        Objects.requireNonNull(modelKey, "modelKey");
        Objects.requireNonNull(start, "start");
        if ((kind == Kind.DATA) != (sensor != null)) {
            throw new IllegalArgumentException("a data change names its sensor, a concept change none");
        }
        if (ramp.isNegative()) {
            throw new IllegalArgumentException("ramp must not be negative, was " + ramp);
        }
    }

    /** A sudden concept change. */
    public static ScriptedChange concept(String modelKey, Instant start, boolean required) {
        return new ScriptedChange(modelKey, Kind.CONCEPT, null, start, Duration.ZERO, required);
    }

    /** A data change of {@code sensor}, complete after {@code ramp} (zero: sudden). */
    public static ScriptedChange data(String modelKey, String sensor, Instant start, Duration ramp) {
        return new ScriptedChange(modelKey, Kind.DATA, sensor, start, ramp, true);
    }

    /** What it is, for tables: "CONCEPT" or "DATA vibration_mm_s". */
    public String describe() {
        return kind == Kind.CONCEPT ? kind.name() : kind.name() + " " + sensor;
    }
}
