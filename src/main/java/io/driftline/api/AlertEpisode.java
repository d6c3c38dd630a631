package io.driftline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A FAILURE_RISK or ANOMALY episode found among the recent alerts (as JSON): the raising alert
 * and, if it came, the alert of the same kind that cleared it for the same device.
 *
 * @param end null while the episode is open
 */
record AlertEpisode(String modelKey, String deviceId, Instant start, Instant end) {

    private static final Map<String, String> CLEARED_BY = Map.of(
            "FAILURE_RISK", "FAILURE_RISK_CLEARED", "ANOMALY", "ANOMALY_CLEARED");

    /** The episode raised by alert {@code alertId}, if it is among {@code alerts} (oldest first). */
    static Optional<AlertEpisode> find(List<ObjectNode> alerts, String alertId) {
        for (int i = 0; i < alerts.size(); i++) {
            ObjectNode raised = alerts.get(i);
            String cleared = CLEARED_BY.get(raised.path("kind").asText());
            if (cleared == null || !alertId.equals(raised.path("alertId").asText())
                    || !raised.path("deviceId").isTextual()) {
                continue;
            }
            String deviceId = raised.path("deviceId").asText();
            Instant start = Instant.parse(raised.path("eventTime").asText());
            Instant end = null;
            for (int j = i + 1; j < alerts.size() && end == null; j++) {
                JsonNode next = alerts.get(j);
                if (next.path("kind").asText().equals(cleared) && next.path("deviceId").asText().equals(deviceId)) {
                    Instant time = Instant.parse(next.path("eventTime").asText());
                    end = time.isBefore(start) ? null : time;
                }
            }
            return Optional.of(new AlertEpisode(raised.path("modelKey").asText(), deviceId, start, end));
        }
        return Optional.empty();
    }
}
