package io.driftline.topology;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelInput;
import io.driftline.avro.ModelStatus;
import io.driftline.config.PipelineSettings;
import io.driftline.core.InputMeta;
import io.driftline.core.ModelCore;
import io.driftline.core.ModelStatuses;
import io.driftline.core.Outcome;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.state.CheckpointStore;
import io.driftline.state.DeviceState;
import io.driftline.state.ImportParts;
import io.driftline.state.ModelState;
import io.driftline.state.PendingReadings;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model stage, keyed by model key, in input order per model: a thin adapter around the
 * Kafka-free {@link ModelCore}, which holds the logic. For each input it hands the core the task's
 * stores (as {@link StoreCoreState}), forwards the outcomes (predictions keyed by device, alerts by
 * model) and counts them. Bad input never gets here: the device stage dead-letters it while it is
 * still the record that came in.
 *
 * <p>Models and device states stay live in {@link CheckpointStore}s; the core only marks them
 * changed, and the stores checkpoint them when Kafka Streams commits. Model statuses are published
 * on a wall-clock schedule for the models that changed since the last one.
 */
final class ModelStage implements Processor<String, ModelInput, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(ModelStage.class);

    private final PipelineSettings settings;
    private final DriftlineMetrics metrics;
    private final ModelCore core;
    private ProcessorContext<String, SpecificRecord> context;
    private CheckpointStore<ModelState> models;
    private StoreCoreState state;
    // Models changed since their status was last published; after a restart each is published on its next change.
    private final Map<String, Instant> statusDue = new LinkedHashMap<>();
    private final Map<String, Double> peakRisk = new HashMap<>();
    // This task's share of the pending-labels gauge, per device, so that it can be withdrawn when the task leaves.
    private final Map<String, Integer> pendingByDevice = new HashMap<>();
    private final Set<String> modelsSeen = new HashSet<>();
    // Readings found expired and missing by this task, for the log.
    private long expired;
    private long missing;

    ModelStage(PipelineSettings settings, DriftlineMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.core = new ModelCore(settings);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.models = context.getStateStore(DriftlineTopology.MODEL_STORE);
        CheckpointStore<DeviceState> devices = context.getStateStore(DriftlineTopology.DEVICE_STORE);
        this.state = new StoreCoreState(models, devices,
                new PendingReadings(context.getStateStore(DriftlineTopology.PENDING_STORE),
                        settings.pendingRetention()),
                new ImportParts(context.getStateStore(DriftlineTopology.IMPORT_STORE)));
        context.schedule(settings.statusInterval(), PunctuationType.WALL_CLOCK_TIME, this::publishStatus);
    }

    private void publishStatus(long now) {
        statusDue.forEach((modelKey, time) -> {
            ModelState model = models.get(modelKey);
            if (model != null) {
                ModelStatus status = ModelStatuses.of(modelKey, model, time, peakRisk.getOrDefault(modelKey, 0.0));
                metrics.modelStatus(status);
                modelsSeen.add(modelKey);
                context.forward(new Record<>(modelKey, status, now));
            }
        });
        statusDue.clear();
        peakRisk.clear();
    }

    @Override
    public void close() {
        metrics.pendingLabels(-pendingByDevice.values().stream().mapToLong(Integer::longValue).sum());
        pendingByDevice.clear();
        modelsSeen.forEach(metrics::modelGone);
        modelsSeen.clear();
    }

    @Override
    public void process(Record<String, ModelInput> record) {
        String modelKey = record.key();
        ModelInput input = record.value();
        if (input.getReading() != null) {
            metrics.reading();
        }
        List<Outcome> outcomes = core.apply(modelKey, input, new InputMeta(record.timestamp(),
                context.currentSystemTimeMs()), state);
        boolean changed = false;
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Predicted predicted) {
                metrics.prediction(predicted.prediction().getProcessedAt().toEpochMilli()
                        - predicted.prediction().getReadingTime().toEpochMilli());
                peakRisk.merge(modelKey, predicted.prediction().getFailureProbability(), Math::max);
                context.forward(record.withKey(predicted.deviceId()).withValue(predicted.prediction()));
            } else if (outcome instanceof Outcome.Alerted alerted) {
                Alert alert = alerted.alert();
                if (alert.getKind() == AlertKind.MODEL_RESET && input.getCommand() != null) {
                    log.warn("Model {} reset by {}: {}", modelKey, input.getCommand().getRequestedBy(),
                            input.getCommand().getReason());
                    changed = true;
                } else if (alert.getKind() == AlertKind.MODEL_PROMOTED || alert.getKind() == AlertKind.MODEL_ROLLED_BACK
                        || alert.getKind() == AlertKind.MODEL_IMPORTED) {
                    log.warn("{}", alert.getMessage());
                    changed = true;
                } else if (alert.getKind() == AlertKind.ALERT_FEEDBACK) {
                    log.info("{}", alert.getMessage());
                    metrics.alertFeedback(alert.getDetails().get("verdict"));
                }
                metrics.alert(alert.getKind().name());
                context.forward(record.withKey(alerted.modelKey()).withValue(alert));
            } else if (outcome instanceof Outcome.Rejected rejected) {
                log.warn("Ignored an input of model {}: {}", modelKey, rejected.message());
                metrics.inputIgnored(rejected.reason().name());
            } else if (outcome instanceof Outcome.LabelResolved resolved) {
                metrics.labelResolved(resolved.cause());
            } else if (outcome instanceof Outcome.ReadingsGone gone) {
                logGone(modelKey, gone);
            } else if (outcome instanceof Outcome.PendingLabels pending) {
                Integer before = pendingByDevice.put(pending.deviceId(), pending.count());
                metrics.pendingLabels(pending.count() - (before == null ? 0 : before));
                // Reported by every input that reached its model; late or orphaned ones do not.
                changed = true;
            } else if (outcome instanceof Outcome.StateReset reset) {
                String store = reset.kind() == Outcome.StateReset.Kind.MODEL ? DriftlineTopology.MODEL_STORE
                        : DriftlineTopology.DEVICE_STORE;
                if (reset.bySettings()) {
                    log.warn("Resetting model {} of store {} as its next version: {}", reset.key(), store,
                            reset.cause());
                } else {
                    log.error("Resetting {} {} of store {}: its checkpoint cannot be read: {}",
                            reset.kind().name().toLowerCase(Locale.ROOT), reset.key(), store, reset.cause());
                }
                metrics.checkpointReset(store);
            }
        }
        if (changed) {
            statusDue.put(modelKey, eventTime(input));
        }
    }

    /**
     * Logged when this task's count of each reaches a power of two: a device falling further behind
     * its task by more than the margin finds one expired with every reading, and after an upgrade every device
     * finds its earlier readings missing one by one, for a horizon. The metric counts every one.
     */
    private void logGone(String modelKey, Outcome.ReadingsGone gone) {
        long expiredBefore = expired;
        long missingBefore = missing;
        expired += gone.expired();
        missing += gone.missing();
        if (reachesPowerOfTwo(expiredBefore, expired)) {
            log.warn("{} readings waiting for their label expired in this task so far ({} of device {}, model {}, "
                    + "now): they waited longer than readings are kept ({} of event time: label.horizon.ms + "
                    + "label.grace.ms + input.max.clock.skew.ms + label.pending.margin.ms); not trained on",
                    expired, gone.expired(), gone.deviceId(), modelKey, settings.pendingRetention());
        }
        if (reachesPowerOfTwo(missingBefore, missing)) {
            log.warn("{} readings waiting for their label were missing in this task so far ({} of device {}, "
                    + "model {}, now): lost with the pending store of an earlier Driftline at an upgrade, or "
                    + "with changelog records deleted by their retention while the application was down; not "
                    + "trained on", missing, gone.missing(), gone.deviceId(), modelKey);
        }
    }

    private static boolean reachesPowerOfTwo(long before, long after) {
        return Long.highestOneBit(after) > before;
    }

    private static Instant eventTime(ModelInput input) {
        if (input.getReading() != null) {
            return input.getReading().getEventTime();
        }
        if (input.getMaintenance() != null) {
            return input.getMaintenance().getEventTime();
        }
        return input.getCommand() != null ? input.getCommand().getRequestedAt() : input.getDeviceMoved().getMovedAt();
    }
}
