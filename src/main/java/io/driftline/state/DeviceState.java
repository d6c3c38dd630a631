package io.driftline.state;

import io.driftline.alert.RiskTracker;
import io.driftline.features.RollingFeatures;
import io.driftline.label.DeviceLabeler;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import java.io.Serializable;

/**
 * What the model stage keeps per device: its machine type, its rolling sensor features, its
 * readings waiting for a delayed label (with the prediction made when each arrived), and its
 * failure-risk episode. Bounded: the feature window and {@code label.max.pending}.
 */
public final class DeviceState implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A reading waiting for its label: what the model saw and what it predicted then. */
    public record PendingReading(Observation observation, Scored scored, long sequence) implements Serializable {
    }

    private final String machineType;
    private final RollingFeatures features;
    private final DeviceLabeler<PendingReading> labeler;
    private final RiskTracker risk = new RiskTracker();

    /** @param featureWindow readings per rolling window; 0 for no rolling features */
    public DeviceState(String machineType, int featureWindow, LabelPolicy labels) {
        this.machineType = machineType;
        this.features = featureWindow == 0 ? null : new RollingFeatures(featureWindow);
        this.labeler = new DeviceLabeler<>(labels);
    }

    public String machineType() {
        return machineType;
    }

    /** Null when rolling features are off for this machine type. */
    public RollingFeatures features() {
        return features;
    }

    public DeviceLabeler<PendingReading> labeler() {
        return labeler;
    }

    public RiskTracker risk() {
        return risk;
    }
}
