package io.driftline.sim;

import java.util.Map;

/**
 * Operating point of a machine type, after the AI4I 2020 predictive-maintenance data set's
 * machines (quality variants L, M, H): nominal sensor values and their noise.
 */
record MachineType(String name, double share, Map<String, Double> nominal, Map<String, Double> noise) {

    static final String TEMPERATURE = "temperature_c";
    static final String PROCESS_TEMPERATURE = "process_temperature_c";
    static final String SPEED = "rotational_speed_rpm";
    static final String TORQUE = "torque_nm";
    static final String VIBRATION = "vibration_mm_s";
    static final String CURRENT = "current_a";
    static final String PRESSURE = "pressure_bar";
    static final String TOOL_WEAR = "tool_wear_min";

    static MachineType of(String name, double share, double speed, double torque, double current, double pressure) {
        return new MachineType(name, share,
                Map.of(TEMPERATURE, 25.0, PROCESS_TEMPERATURE, 35.0, SPEED, speed, TORQUE, torque,
                        VIBRATION, 2.0, CURRENT, current, PRESSURE, pressure),
                Map.of(TEMPERATURE, 0.6, PROCESS_TEMPERATURE, 0.5, SPEED, speed * 0.03, TORQUE, torque * 0.08,
                        VIBRATION, 0.25, CURRENT, current * 0.04, PRESSURE, pressure * 0.02));
    }

    /** The AI4I mix: 50 % L, 30 % M, 20 % H. */
    static final MachineType L = of("L", 0.5, 1540, 40, 12, 6.0);
    static final MachineType M = of("M", 0.3, 1500, 45, 15, 7.0);
    static final MachineType H = of("H", 0.2, 1450, 52, 18, 8.0);
    /** Joins with {@link Scenario#NEW_MACHINE_TYPE}. */
    static final MachineType X = of("X", 0.0, 2200, 30, 10, 5.0);
}
