package io.driftline.sim;

/**
 * Scripted drifts the fleet simulator can play, starting at a chosen simulated time. Each names
 * what Driftline should do about it (see the README's simulator section).
 */
public enum Scenario {
    /** Stationary fleet: only degradation and failures. Expect FAILURE_RISK alerts, no drift. */
    NONE,
    /**
     * Every temperature sensor is recalibrated and reads 6 degrees higher from the drift time on.
     * Expect DATA_DRIFT on temperature; the models' error may rise briefly (CONCEPT_DRIFT).
     */
    RECALIBRATION,
    /**
     * New firmware on type M machines reports vibration in different units (values x 2.5).
     * Expect DATA_DRIFT on vibration for the M model and, since the learned split points no longer
     * fit, CONCEPT_DRIFT, after which accuracy recovers.
     */
    FIRMWARE,
    /**
     * The ambient temperature rises by 8 degrees over two simulated days (season change).
     * Expect a gradual DATA_DRIFT on temperatures, little effect on accuracy.
     */
    SEASONAL,
    /**
     * Machines of a new type {@code X} join the fleet, with their own operating point. Expect a
     * new model (per-type scope) or DATA_DRIFT and CONCEPT_DRIFT on the fleet model; their
     * readings are dead-lettered unless {@code machine.types} lists X.
     */
    NEW_MACHINE_TYPE
}
