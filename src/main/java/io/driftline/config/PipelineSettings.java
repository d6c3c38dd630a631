package io.driftline.config;

import io.driftline.alert.RiskThresholds;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.ModelSettings;
import io.driftline.state.PendingClock;
import java.time.Duration;
import java.util.Set;

/**
 * What the topology's stages are built with, typed, from {@link DriftlineConfig#pipeline()}.
 *
 * @param scope          which readings share a model
 * @param machineTypes   known machine types
 * @param model          what every model is created with
 * @param labels         how delayed labels are derived from maintenance events
 * @param negativeClass  the class of a reading whose horizon passed without failure
 * @param labelDelay     readings an in-band label is held back before training (0: train at once)
 * @param featureWindow  rolling-feature window per machine type (0: off)
 * @param risk           FAILURE_RISK thresholds per machine type
 * @param anomaly        ANOMALY thresholds per machine type (on anomaly scores)
 * @param anomalyWarmup  readings a model's anomaly detector learns before its scores count towards ANOMALY episodes
 * @param deviceSilenceMs how long (model stream time) a device may not report before DEVICE_SILENT; 0: off
 * @param statusInterval how often (wall clock) changed models publish their status
 * @param checkpointChunkBytes longest checkpoint written as one changelog record
 * @param maxClockSkew   how far ahead of the wall clock an input's event time may be
 * @param pendingMargin  how far a device may fall behind and keep its waiting readings (see {@link #pendingRetention()})
 * @param order          how the model stage puts its inputs in event-time order (see {@link #inputOrder()})
 */
public record PipelineSettings(ModelScope scope, Set<String> machineTypes, ModelSettings model, LabelPolicy labels,
                               String negativeClass, int labelDelay, PerMachineType<Integer> featureWindow,
                               PerMachineType<RiskThresholds> risk, PerMachineType<RiskThresholds> anomaly,
                               long anomalyWarmup, long deviceSilenceMs, Duration statusInterval,
                               int checkpointChunkBytes, Duration maxClockSkew, Duration pendingMargin,
                               InputOrder order) {

    /**
     * How long a reading waiting for a label is kept from when it came, by its store's
     * {@link PendingClock} (past its event time plus how far the clock was past it then). A reading is
     * resolved once its own device's time has passed it by the horizon and the grace; by then the
     * clock, the newest event time of its task rounded up to a quantum, has moved as much, plus however
     * much further the device fell behind the newest readings of its task meanwhile (for devices that
     * report live, at most the clock skew the device stage lets a reading have ahead of the wall
     * clock), plus the rounding. The margin is what a device may fall further behind beyond that: a
     * silence, a growing backlog, partitions of a replay drifting apart.
     */
    public Duration pendingRetention() {
        return labels.horizon().plus(labels.grace()).plus(maxClockSkew).plus(pendingMargin)
                .plusMillis(PendingClock.QUANTUM_MS);
    }

    /** {@link #order}, off for per-device models: a device's inputs all come from one partition, in order. */
    public InputOrder inputOrder() {
        return scope == ModelScope.DEVICE ? order.off() : order;
    }
}
