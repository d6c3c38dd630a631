package io.driftline.config;

import java.util.Map;

/** A setting that may differ per machine type, with a value for every type not listed ({@code *}). */
public record PerMachineType<T>(Map<String, T> values) {

    public PerMachineType {
        values = Map.copyOf(values);
        if (!values.containsKey(DriftlineConfig.ANY_TYPE)) {
            throw new IllegalArgumentException("needs a value for " + DriftlineConfig.ANY_TYPE);
        }
    }

    public T forType(String machineType) {
        T value = values.get(machineType);
        return value != null ? value : values.get(DriftlineConfig.ANY_TYPE);
    }
}
