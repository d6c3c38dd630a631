package io.driftline.config;

import java.util.Arrays;

/** Which readings share one model. */
public enum ModelScope {
    /** One model per device: learns each machine's own normal, needs many labels per device. */
    DEVICE("device"),
    /** One model per machine type: the usual trade-off for fleets of similar machines. */
    MACHINE_TYPE("machine-type"),
    /** One model for all devices. */
    FLEET("fleet");

    /** The model key used in fleet scope. */
    public static final String FLEET_KEY = "fleet";

    private final String configValue;

    ModelScope(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    /**
     * Whether a model learns from several devices' readings. Readings are partitioned by device, so
     * such a model's must be brought together by model key (a repartition); a per-device model's
     * key is its device id, by which they are partitioned already.
     */
    public boolean poolsDevices() {
        return this != DEVICE;
    }

    /** The model key of a reading of {@code deviceId}, a machine of type {@code machineType}. */
    public String modelKey(String deviceId, String machineType) {
        return switch (this) {
            case DEVICE -> deviceId;
            case MACHINE_TYPE -> machineType;
            case FLEET -> FLEET_KEY;
        };
    }

    static String[] configValues() {
        return Arrays.stream(values()).map(ModelScope::configValue).toArray(String[]::new);
    }

    static ModelScope fromConfigValue(String value) {
        return Arrays.stream(values())
                .filter(scope -> scope.configValue.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model scope " + value));
    }
}
