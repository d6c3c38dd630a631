package io.driftline.learn;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * What a model sees of one reading: numeric features by name and nominal features by name. A
 * feature a reading lacks is a missing value for the model, never an error.
 */
public record Observation(Map<String, Double> numeric, Map<String, String> nominal) implements Serializable {

    public Observation {
        Objects.requireNonNull(numeric, "numeric");
        nominal = nominal == null ? Map.of() : nominal;
    }

    public static Observation numeric(Map<String, Double> values) {
        return new Observation(values, Map.of());
    }
}
