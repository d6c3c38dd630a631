package io.driftline.app;

import io.driftline.config.DriftlineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The settings the simulated-fleet ITs share; each adds its own. */
final class FleetItSettings {

    private FleetItSettings() {
    }

    static Map<String, Object> of(Path dataDir, String applicationId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(DriftlineConfig.DATA_DIR, dataDir.toString());
        settings.put(DriftlineConfig.APPLICATION_ID, applicationId);
        // Issue #19's measuring condition, as evaluate --fleet's.
        settings.put(DriftlineConfig.LABEL_HORIZON_MS, Long.toString(Duration.ofHours(2).toMillis()));
        // The simulator's tool wear is a counter: drift by design.
        settings.put(DriftlineConfig.DATA_DRIFT_EXCLUDE, "tool_wear_min");
        // One partition, as their bars were measured; FleetScenarioIT runs in four, which reach the
        // models in event-time order (order.max.delay.ms set).
        settings.put(DriftlineConfig.TOPIC_PARTITIONS, "1");
        return settings;
    }
}
