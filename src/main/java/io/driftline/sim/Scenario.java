package io.driftline.sim;

/**
 * Scripted drifts the fleet simulator can play, starting at a chosen simulated time. Each names
 * what Driftline should do about it (see the README's simulator section).
 *
 * <p>Two settings of the machines' degradation combine with any scenario
 * ({@link FleetSimulator.Settings}; {@code --degradation} and {@code --healthy-for} of
 * {@code simulate}, {@code demo} and {@code evaluate --fleet}):
 * <ul>
 *   <li>degradations of different lengths ({@code --degradation PT4H,PT12H}): each draws its length
 *       uniformly from the range, and its FAILURE carries when it began ({@link SimulatedFailure}),
 *       so lead times are judged per failure ({@link LeadTimes}). Expect ANOMALY and FAILURE_RISK
 *       alerts during the degradations, a longer one warned of longer before its failure;</li>
 *   <li>a cold start ({@code --healthy-for P1D}): no machine degrades during that time, so there is
 *       no failure before it plus the shortest degradation, hence no label FAILURE_RISK could learn
 *       from. Expect ANOMALY alerts, which need no label, first: before the first FAILURE and the
 *       first FAILURE_RISK.</li>
 * </ul>
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
