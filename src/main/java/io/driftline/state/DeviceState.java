package io.driftline.state;

import io.driftline.alert.RiskTracker;
import io.driftline.features.RollingFeatures;
import io.driftline.label.DeviceLabeler;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model stage keeps per device: its machine type, its rolling sensor features, its
 * readings waiting for a delayed label (with the prediction made when each arrived), and its
 * failure-risk episode. Bounded: the feature window and {@code label.max.pending}.
 */
public final class DeviceState implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * A reading waiting for its label: what the model saw (numeric values aligned with the device's
     * feature names, NaN where absent) and what it predicted then. Compact because a device may hold
     * thousands and its state is serialised at every commit that changed it.
     */
    public record PendingReading(double[] numeric, Map<String, String> nominal, Scored scored, long sequence)
            implements Serializable {
    }

    private final String machineType;
    private final RollingFeatures features;
    private final DeviceLabeler<PendingReading> labeler;
    private final RiskTracker risk = new RiskTracker();
    private final List<String> featureNames = new ArrayList<>();
    private final Map<String, Integer> featureIndex = new HashMap<>();

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

    /** Packs what the model saw and predicted for a reading, to wait for its label. */
    public PendingReading pending(Observation observation, Scored scored, long sequence) {
        observation.numeric().keySet().forEach(name -> featureIndex.computeIfAbsent(name, added -> {
            featureNames.add(added);
            return featureNames.size() - 1;
        }));
        double[] numeric = new double[featureNames.size()];
        Arrays.fill(numeric, Double.NaN);
        observation.numeric().forEach((name, value) -> numeric[featureIndex.get(name)] = value == null ? Double.NaN : value);
        Scored compact = new Scored(scored.predictedClass(), scored.predictedIndex(), scored.probabilities(),
                scored.positiveProbability(), scored.modelVersion(), List.of());
        return new PendingReading(numeric, observation.nominal(), compact, sequence);
    }

    /** The observation a {@link #pending} reading was packed from. */
    public Observation observation(PendingReading pending) {
        Map<String, Double> numeric = new HashMap<>();
        double[] values = pending.numeric();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                numeric.put(featureNames.get(i), values[i]);
            }
        }
        return new Observation(numeric, pending.nominal());
    }

    public DeviceLabeler<PendingReading> labeler() {
        return labeler;
    }

    public RiskTracker risk() {
        return risk;
    }
}
