package io.driftline.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 18's targets, computed from one run's figures so that every run states them the same way.
 * Each holds Driftline against a limit measured in the same run, for Driftline's shape: the
 * pass-through in two stages joined by a repartition where a model pools several devices'
 * readings, in one stage for per-device models (the topology has no repartition then).
 *
 * <ul>
 *   <li>The cap: the throughput of doing both limits' work in series on one stream thread, the
 *   pass-through's and the MOA learner's, {@code 1 / (1/passthrough + 1/moa)}; Driftline at least
 *   {@link #MIN_VS_CAP} of it.</li>
 *   <li>Driftline's p99 latency at most {@link #MAX_P99_VS_PASSTHROUGH} times the pass-through's
 *   at the same offered rate.</li>
 *   <li>The bytes Driftline writes to Kafka per reading, changelogs included, at most
 *   {@link #MAX_BYTES_VS_INPUT} times the reading's own on its input topic.</li>
 * </ul>
 */
final class Targets {

    static final double MIN_VS_CAP = 0.8;
    static final double MAX_P99_VS_PASSTHROUGH = 1.3;
    static final double MAX_BYTES_VS_INPUT = 3;

    private Targets() {
    }

    /** Readings per second of both limits' work in series: each reading costs the time of one plus the other. */
    static double cap(double passThroughRps, double moaRps) {
        return 1 / (1 / passThroughRps + 1 / moaRps);
    }

    /**
     * {@code driftline_vs_cap}, {@code latency_p99_vs_passthrough} and {@code bytes_written_vs_input},
     * each against its bound.
     *
     * @param driftlineVsCap the median over the rounds of each round's Driftline throughput over its cap
     */
    static Map<String, Criterion> criteria(double driftlineVsCap, double driftlineP99Ms, double passThroughP99Ms,
                                           double bytesWrittenPerReading, double bytesPerInputReading) {
        Map<String, Criterion> criteria = new LinkedHashMap<>();
        criteria.put("driftline_vs_cap", Criterion.atLeast(driftlineVsCap, MIN_VS_CAP));
        criteria.put("latency_p99_vs_passthrough",
                Criterion.atMost(ratio(driftlineP99Ms, passThroughP99Ms), MAX_P99_VS_PASSTHROUGH));
        criteria.put("bytes_written_vs_input",
                Criterion.atMost(ratio(bytesWrittenPerReading, bytesPerInputReading), MAX_BYTES_VS_INPUT));
        return criteria;
    }

    /** {@code figure / limit}; NaN (not measured) when the limit is not a positive figure. */
    static double ratio(double figure, double limit) {
        return limit > 0 ? figure / limit : Double.NaN;
    }
}
