package io.driftline.topology;

import io.driftline.alert.RiskThresholds;
import io.driftline.alert.RiskTracker;
import io.driftline.avro.Alert;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.ModelStatus;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.PipelineSettings;
import io.driftline.drift.ConceptDrift;
import io.driftline.features.RollingFeatures;
import io.driftline.label.Label;
import io.driftline.label.Resolution;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.CheckpointStore;
import io.driftline.state.DeviceState;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import io.driftline.state.PendingReadings;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model stage, keyed by model key, in input order per model. For each reading: add the
 * device's rolling features, predict with the current model (test), publish the prediction, track
 * the device's failure risk; then train (train) when a label is known. Labels come in band (with
 * the reading, optionally held back {@code label.delay} readings) or later: a reading waits in its
 * device's queue until a FAILURE within the horizon labels it failure, or the horizon passes and it
 * is labelled normal; the prediction made on arrival is what gets scored (prequential with delay).
 * Drift detected on the way becomes alerts.
 *
 * <p>Models and device states stay live in {@link CheckpointStore}s; this processor only marks
 * them dirty, and the stores checkpoint them when Kafka Streams commits. A maintenance event older
 * than its device's stream time minus the grace is forwarded as itself, with dead-letter headers,
 * for the dead-letter topic.
 */
final class ModelStage implements Processor<String, ModelInput, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(ModelStage.class);

    private final PipelineSettings settings;
    private final DriftlineMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private CheckpointStore<ModelState> models;
    private CheckpointStore<DeviceState> devices;
    private PendingReadings pendingReadings;
    // Models changed since their status was last published; after a restart each is published on its next change.
    private final Map<String, Instant> statusDue = new LinkedHashMap<>();
    private final Map<String, Double> peakRisk = new HashMap<>();
    // This task's share of the pending-labels gauge, per device, so that it can be withdrawn when the task leaves.
    private final Map<String, Integer> pendingByDevice = new HashMap<>();
    private final Set<String> modelsSeen = new HashSet<>();

    ModelStage(PipelineSettings settings, DriftlineMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.models = context.getStateStore(DriftlineTopology.MODEL_STORE);
        this.devices = context.getStateStore(DriftlineTopology.DEVICE_STORE);
        this.pendingReadings = new PendingReadings(context.getStateStore(DriftlineTopology.PENDING_STORE));
        context.schedule(settings.statusInterval(), PunctuationType.WALL_CLOCK_TIME, this::publishStatus);
    }

    private void publishStatus(long now) {
        statusDue.forEach((modelKey, time) -> {
            ModelState state = models.get(modelKey);
            if (state != null) {
                ModelStatus status = ModelStatuses.of(modelKey, state.model(), time, peakRisk.getOrDefault(modelKey, 0.0));
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
        ModelInput input = record.value();
        if (input.getReading() != null) {
            onReading(record, input.getReading());
        } else if (input.getMaintenance() != null) {
            onMaintenance(record, input.getMaintenance());
        } else if (input.getCommand() != null) {
            onCommand(record, input.getCommand());
        }
    }

    /** An operator's reset (the only action): the model starts anew, and the MODEL_RESET alert is the audit record. */
    private void onCommand(Record<String, ModelInput> record, ModelCommand command) {
        String modelKey = record.key();
        models.put(modelKey, new ModelState(settings.model()));
        log.warn("Model {} reset by {}: {}", modelKey, command.getRequestedBy(), command.getReason());
        forward(record, modelKey, AlertFactory.modelResetByOperator(modelKey, command));
        statusDue.put(modelKey, command.getRequestedAt());
    }

    private void onReading(Record<String, ModelInput> record, SensorReading reading) {
        String modelKey = record.key();
        ModelState state = modelFor(modelKey, record, reading.getEventTime());
        DeviceState device = deviceFor(reading.getDeviceId(), reading.getMachineType());
        long time = reading.getEventTime().toEpochMilli();
        metrics.reading();

        Observation observation = observe(device, reading);
        if (reading.getLabel() != null && settings.labelDelay() > 0 && state.heldBack() >= settings.labelDelay()) {
            state.trainHeldBack();
        }
        Scored scored = state.predict(observation, reading.getSensors());
        peakRisk.merge(modelKey, scored.positiveProbability(), Math::max);
        forward(record, reading.getDeviceId(), prediction(modelKey, reading, scored, record.timestamp()));
        scored.dataDrifts().forEach(drift -> forward(record, modelKey,
                AlertFactory.dataDrift(modelKey, reading.getDeviceId(), reading.getEventTime(), drift)));
        trackRisk(record, modelKey, reading, device, state.model(), observation, scored);

        if (reading.getLabel() != null) {
            if (settings.labelDelay() == 0) {
                alertOnDrift(record, modelKey, reading.getEventTime(),
                        state.learn(observation, reading.getLabel(), scored).conceptDrift());
            } else {
                alertOnDrift(record, modelKey, reading.getEventTime(), state.score(reading.getLabel(), scored));
                state.holdBack(observation, reading.getLabel());
            }
        } else if (device.labeler().isLate(time)) {
            // Too late to be labelled correctly: predicted and published, never trained on.
            metrics.labelResolved("LATE_READING");
        } else {
            PendingId id = device.nextPendingId();
            pendingReadings.put(reading.getDeviceId(), id, device.pending(observation, scored, reading.getSequence()));
            train(record, modelKey, state, reading.getDeviceId(), device, device.labeler().onReading(id, time));
        }
        models.markDirty(modelKey);
        devices.markDirty(reading.getDeviceId());
        countPending(reading.getDeviceId(), device);
        statusDue.put(modelKey, reading.getEventTime());
    }

    private void onMaintenance(Record<String, ModelInput> record, MaintenanceEvent event) {
        String modelKey = record.key();
        DeviceState device = knownDevice(event.getDeviceId());
        if (device == null) {
            // Its state was unreadable and is reset: no reading of it waits for a label any more.
            return;
        }
        long time = event.getEventTime().toEpochMilli();
        if (device.labeler().isLate(time)) {
            DeadLetter late = new DeadLetter(null, null, DeadLetter.Reason.LATE_EVENT, "event at " + time
                    + " is older than the device's stream time " + device.labeler().streamTime()
                    + " minus the grace " + settings.labels().grace().toMillis() + " ms");
            Record<String, SpecificRecord> out = new Record<>(event.getDeviceId(), event, record.timestamp(),
                    record.headers());
            late.report(out.headers(), context, metrics);
            context.forward(out);
            return;
        }
        ModelState state = modelFor(modelKey, record, event.getEventTime());
        List<Resolution<PendingId>> resolved = switch (event.getKind()) {
            case FAILURE -> device.labeler().onFailure(time);
            case REPAIR -> device.labeler().onRepair(time);
            default -> device.labeler().advance(time);
        };
        train(record, modelKey, state, event.getDeviceId(), device, resolved);
        models.markDirty(modelKey);
        devices.markDirty(event.getDeviceId());
        countPending(event.getDeviceId(), device);
        statusDue.put(modelKey, event.getEventTime());
    }

    private void countPending(String deviceId, DeviceState device) {
        int pending = device.labeler().pendingCount();
        Integer before = pendingByDevice.put(deviceId, pending);
        metrics.pendingLabels(pending - (before == null ? 0 : before));
    }

    /** Rolling features next to the raw sensor values: degradation shows in trends. */
    private Observation observe(DeviceState device, SensorReading reading) {
        if (device.features() == null) {
            return Readings.toObservation(reading);
        }
        Map<String, Double> sensors = reading.getSensors();
        // Sized for the sensors and their features: the map never resizes on the way.
        Map<String, Double> numeric = new HashMap<>(2 * sensors.size() * (1 + RollingFeatures.FEATURES_PER_SENSOR));
        numeric.putAll(sensors);
        device.features().update(reading.getEventTime().toEpochMilli(), sensors, numeric);
        return new Observation(numeric, reading.getAttributes());
    }

    private void train(Record<String, ModelInput> record, String modelKey, ModelState model, String deviceId,
                       DeviceState device, List<Resolution<PendingId>> resolutions) {
        for (Resolution<PendingId> resolution : resolutions) {
            metrics.labelResolved(resolution.cause().name());
            PendingReading pending = pendingReadings.take(deviceId, resolution.reading());
            if (resolution.censored()) {
                continue;
            }
            String label = resolution.label() == Label.POSITIVE ? settings.model().positiveClass()
                    : settings.negativeClass();
            model.learnDeferred(device.observation(pending), label, pending.scored(), resolution.time());
        }
        // Every reading older than this has its label: its device's horizon and grace have passed.
        long settled = device.labeler().streamTime() - settings.labels().horizon().toMillis()
                - settings.labels().grace().toMillis();
        model.releaseScores(settled).forEach(drift -> forward(record, modelKey,
                AlertFactory.conceptDrift(modelKey, Instant.ofEpochMilli(device.labeler().streamTime()), drift)));
    }

    private void trackRisk(Record<String, ModelInput> record, String modelKey, SensorReading reading,
                           DeviceState device, OnlineModel model, Observation observation, Scored scored) {
        RiskThresholds thresholds = settings.risk().forType(device.machineType());
        RiskTracker.Transition transition = device.risk().update(scored.positiveProbability(), thresholds);
        if (transition == RiskTracker.Transition.RAISED) {
            forward(record, modelKey, AlertFactory.failureRisk(modelKey, reading, scored.positiveProbability(),
                    thresholds, model.explain(observation)));
        } else if (transition == RiskTracker.Transition.CLEARED) {
            forward(record, modelKey, AlertFactory.failureRiskCleared(modelKey, reading, scored.positiveProbability(),
                    device.risk().peak(), thresholds));
        }
    }

    private void alertOnDrift(Record<String, ModelInput> record, String modelKey, Instant time,
                              Optional<ConceptDrift> drift) {
        drift.ifPresent(d -> forward(record, modelKey, AlertFactory.conceptDrift(modelKey, time, d)));
    }

    /**
     * The live state of {@code modelKey}, created on first sight. A checkpoint that cannot be read
     * (e.g. written by an incompatible MOA version, or by a Driftline before snapshots and journals,
     * or naming a class outside the allowed ones) is replaced by a new model and reported as a
     * MODEL_RESET alert (and counted in {@code driftline_checkpoint_resets_total} of the model store): a crash
     * loop would stop every other model too. So is one built under settings that shape a model
     * differently (learner, classes, declared features, features.window): its alert names the change.
     */
    private ModelState modelFor(String modelKey, Record<String, ModelInput> record, Instant time) {
        ModelState state;
        try {
            state = models.get(modelKey);
        } catch (ModelCheckpoints.SettingsChanged e) {
            log.warn("Resetting model {}: {}", modelKey, e.getMessage());
            metrics.checkpointReset(DriftlineTopology.MODEL_STORE);
            forward(record, modelKey, AlertFactory.modelResetBySettings(modelKey, time, e.getMessage()));
            state = null;
        } catch (CheckpointCodec.CheckpointDecodingException e) {
            log.error("Resetting model {}: its checkpoint cannot be read", modelKey, e);
            metrics.checkpointReset(DriftlineTopology.MODEL_STORE);
            forward(record, modelKey, AlertFactory.modelReset(modelKey, time, e.getMessage()));
            state = null;
        }
        if (state == null) {
            state = new ModelState(settings.model());
            models.put(modelKey, state);
        }
        return state;
    }

    /** The device's live state, created on first sight or when its machine type changed. */
    private DeviceState deviceFor(String deviceId, String machineType) {
        DeviceState device = knownDevice(deviceId);
        if (device == null || !device.machineType().equals(machineType)) {
            pendingReadings.dropAll(deviceId);
            device = new DeviceState(machineType, settings.featureWindow().forType(machineType), settings.labels());
            devices.put(deviceId, device);
        }
        return device;
    }

    /**
     * The device's live state, or null if it has none. An unreadable checkpoint is removed, logged
     * and counted ({@code driftline_checkpoint_resets_total} of the device store), and the device starts afresh
     * on its next reading: only its rolling features, risk episode and the readings still waiting for
     * a label are lost, which is no reason to stop every other device.
     */
    private DeviceState knownDevice(String deviceId) {
        try {
            return devices.get(deviceId);
        } catch (CheckpointCodec.CheckpointDecodingException e) {
            log.error("Resetting device {}: its checkpoint cannot be read", deviceId, e);
            metrics.checkpointReset(DriftlineTopology.DEVICE_STORE);
            devices.remove(deviceId);
            return null;
        }
    }

    private Prediction prediction(String modelKey, SensorReading reading, Scored scored, long recordTimestamp) {
        long now = context.currentSystemTimeMs();
        List<String> classes = settings.model().classes();
        Map<String, Double> votes = new HashMap<>();
        double[] probabilities = scored.probabilities();
        for (int i = 0; i < probabilities.length; i++) {
            votes.put(classes.get(i), probabilities[i]);
        }
        return Prediction.newBuilder()
                .setDeviceId(reading.getDeviceId())
                .setModelKey(modelKey)
                .setReadingTime(reading.getEventTime())
                .setSequence(reading.getSequence())
                .setPredictedClass(scored.predictedClass())
                .setFailureProbability(scored.positiveProbability())
                .setClassVotes(votes)
                .setLabel(reading.getLabel())
                .setModelVersion(scored.modelVersion())
                .setProcessedAt(Instant.ofEpochMilli(now))
                .setLatencyMs(now - recordTimestamp)
                .build();
    }

    private void forward(Record<String, ModelInput> input, String key, SpecificRecord value) {
        if (value instanceof Alert alert) {
            metrics.alert(alert.getKind().name());
        } else if (value instanceof Prediction prediction) {
            metrics.prediction(prediction.getProcessedAt().toEpochMilli() - prediction.getReadingTime().toEpochMilli());
        }
        context.forward(input.withKey(key).withValue(value));
    }
}
