package io.driftline.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * The ground truth of one simulated FAILURE: which machine failed, when it began to degrade and
 * when it failed (the time of its FAILURE event).
 */
public record SimulatedFailure(String deviceId, String machineType, Instant degradationStart, Instant failedAt) {

    /** How long the machine degraded before it failed. */
    public Duration degradation() {
        return Duration.between(degradationStart, failedAt);
    }
}
