package io.driftline.core;

import io.driftline.alert.RiskThresholds;
import io.driftline.alert.RiskTracker;
import io.driftline.alertquality.AlertEvent;
import io.driftline.avro.AlertKind;
import io.driftline.avro.DeviceMoved;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.PipelineSettings;
import io.driftline.drift.ConceptDrift;
import io.driftline.label.DeviceSilence;
import io.driftline.label.Label;
import io.driftline.label.Resolution;
import io.driftline.learn.Anomaly;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.learn.SizeCapped;
import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import io.driftline.state.DeviceState;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import io.driftline.state.ImportPart;
import io.driftline.state.ModelBundle;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import io.driftline.state.PendingLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The model stage's logic for one model key, without Kafka: takes one input (a reading, a
 * maintenance event or an operator's command) with the state it needs and returns what follows
 * from it, in order. Deterministic: the same state and inputs give the same state and outcomes
 * (MOA's learners are, with their seeds), which makes replays, crash recovery and the fidelity
 * tests one guarantee.
 *
 * <p>For each reading: add the device's rolling features, predict with the current model (test),
 * publish the prediction (with the model's anomaly score of the reading's sensors and, with
 * {@code rul.enabled}, its expected time to failure), track the
 * device's failure-risk and anomaly episodes; then train when a label is known.
 * Labels come in band (with the reading, optionally held back {@code label.delay} readings) or
 * later: a reading waits in its device's queue until a FAILURE within the horizon labels it
 * failure, or the horizon passes and it is labelled normal; the prediction made on arrival is what
 * gets scored (prequential with delay). With {@code rul.enabled}, the remaining-life regressor
 * learns each resolved reading's time to failure, or a reading's in-band target at once. Drift
 * detected on the way becomes alerts. Readings, FAILURE events, resolved labels and operators'
 * feedback also feed the model's alert quality per machine type (package {@code alertquality}:
 * lead times, false alarms, score histograms), through the device's {@code AlertWatch}.
 */
public final class ModelCore {

    private final PipelineSettings settings;

    public ModelCore(PipelineSettings settings) {
        this.settings = settings;
    }

    /** Applies {@code input}, routed to {@code modelKey}, to {@code state}; returns its outcomes in order. */
    public List<Outcome> apply(String modelKey, ModelInput input, InputMeta meta, CoreState state) {
        List<Outcome> outcomes = new ArrayList<>(4);
        if (input.getReading() != null) {
            onReading(modelKey, input.getReading(), meta, state, outcomes);
        } else if (input.getMaintenance() != null) {
            onMaintenance(modelKey, input.getMaintenance(), state, outcomes);
        } else if (input.getCommand() != null) {
            onCommand(modelKey, input.getCommand(), state, outcomes);
        } else if (input.getDeviceMoved() != null) {
            onDeviceMoved(modelKey, input.getDeviceMoved(), state, outcomes);
        }
        stampVersion(state, outcomes);
        return outcomes;
    }

    /** Alerts name the version of the model they are about: the one in place once the input is applied. */
    private static void stampVersion(CoreState state, List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Alerted alerted) {
                ModelState model = state.model(alerted.modelKey());
                alerted.alert().setVersion(model == null ? 0 : model.version());
            }
        }
    }

    /**
     * An operator's command. A reset: the model key's next version starts anew, and the MODEL_RESET
     * alert is the audit record. Feedback on an alert episode: see {@link #onFeedback}. An import: see
     * {@link #onImportPart}. Any other command to a model key without a model is refused: a typo must
     * not create a model.
     */
    private void onCommand(String modelKey, ModelCommand command, CoreState state, List<Outcome> outcomes) {
        ModelState current = existingModel(modelKey, command.getRequestedAt(), state, outcomes);
        if (command.getAction() == ModelAction.IMPORT) {
            onImportPart(modelKey, current, command, state, outcomes);
            return;
        }
        if (current == null) {
            outcomes.add(new Outcome.Rejected(Outcome.Rejected.Reason.UNKNOWN_MODEL, "no model " + modelKey
                    + " to " + command.getAction()));
            return;
        }
        long time = command.getRequestedAt().toEpochMilli();
        String detail = "by " + command.getRequestedBy() + ": " + command.getReason();
        if (command.getAction() == ModelAction.RESET) {
            state.putModel(modelKey, current.reset(settings.model(), time, detail));
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.modelResetByOperator(modelKey, command)));
        } else if (command.getAction() == ModelAction.PROMOTE || command.getAction() == ModelAction.ROLLBACK) {
            replace(modelKey, current, command, time, detail, state, outcomes);
        } else {
            onFeedback(modelKey, current, command, state, outcomes);
        }
    }

    /**
     * An operator's promotion of a challenger, or rollback to a kept version: the model key's next
     * version, audited by a MODEL_PROMOTED or MODEL_ROLLED_BACK alert. One that does not apply (no such
     * challenger, a version not kept) changes nothing and is reported.
     */
    private void replace(String modelKey, ModelState current, ModelCommand command, long time, String detail,
                         CoreState state, List<Outcome> outcomes) {
        String from = current.model().championSpec() + " (version " + current.version() + ")";
        ModelState next;
        String to;
        try {
            if (command.getAction() == ModelAction.PROMOTE) {
                to = command.getLearner();
                next = current.promote(to, settings.model(), time, detail);
            } else {
                to = "version " + command.getVersion();
                next = current.rollBack(command.getVersion(), settings.model(), time, detail);
            }
        } catch (IllegalArgumentException | CheckpointDecodingException e) {
            // A kept version that cannot be read back (written by an incompatible MOA) is no reason to stop the stage.
            outcomes.add(new Outcome.Rejected(Outcome.Rejected.Reason.NOT_APPLICABLE, command.getAction() + " of model "
                    + modelKey + ": " + e.getMessage()));
            return;
        }
        state.putModel(modelKey, next);
        outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.replacedByOperator(modelKey, command, next.version(),
                from, to)));
    }

    /**
     * A part of a model bundle an operator imports (see {@link ModelBundle}): kept until the last part
     * arrives; then the bundle's model serves as the model key's next version (its first, on a key
     * without a model: an import is meant to seed one), audited by a MODEL_IMPORTED alert. A bundle
     * with parts missing, unreadable, or made under settings that shape a model differently changes
     * nothing and is reported: bad input must not stop the stage.
     */
    private void onImportPart(String modelKey, ModelState current, ModelCommand command, CoreState state,
                              List<Outcome> outcomes) {
        int part = command.getPart();
        if (part == 0) {
            state.dropImportParts(modelKey);
        }
        byte[] bytes = new byte[command.getBundle().remaining()];
        command.getBundle().duplicate().get(bytes);
        state.putImportPart(modelKey, part, new ImportPart(command.getImportId(), bytes));
        if (part < command.getParts() - 1) {
            return;
        }
        ModelBundle bundle;
        OnlineModel imported;
        try {
            bundle = ModelBundle.fromJson(assemble(modelKey, command, state));
            imported = bundle.toModel(settings);
        } catch (ModelBundle.Refused e) {
            outcomes.add(new Outcome.Rejected(Outcome.Rejected.Reason.INVALID_BUNDLE, "import into model " + modelKey
                    + ": " + e.getMessage()));
            return;
        } finally {
            state.dropImportParts(modelKey);
        }
        long time = command.getRequestedAt().toEpochMilli();
        String detail = "by " + command.getRequestedBy() + ": " + command.getReason() + " (bundle of " + bundle.modelKey()
                + " version " + bundle.version() + ", exported at " + bundle.exportedAt() + " by " + bundle.writtenBy()
                + ")";
        ModelState next = current == null ? ModelState.imported(imported, time, detail)
                : current.importModel(imported, settings.model(), time, detail);
        state.putModel(modelKey, next);
        String from = current == null ? null : current.model().championSpec() + " (version " + current.version() + ")";
        outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.imported(modelKey, command, next.version(), from,
                bundle)));
    }

    /**
     * The bundle whose last part {@code last} is, from the parts kept.
     *
     * @throws ModelBundle.Refused when a part is missing or belongs to another import
     */
    private static byte[] assemble(String modelKey, ModelCommand last, CoreState state) {
        List<byte[]> parts = new ArrayList<>(last.getParts());
        int length = 0;
        for (int i = 0; i < last.getParts(); i++) {
            ImportPart part = state.importPart(modelKey, i);
            if (part == null || !part.importId().equals(last.getImportId())) {
                throw new ModelBundle.Refused("part " + i + " of " + last.getParts() + " of import "
                        + last.getImportId() + " is missing (another import of the model key began meanwhile?)");
            }
            parts.add(part.bytes());
            length += part.bytes().length;
        }
        byte[] bundle = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, bundle, offset, part.length);
            offset += part.length;
        }
        return bundle;
    }

    /** A challenger that wins by the promotion rule serves from now on, as the model key's next version. */
    private void promoteIfDue(String modelKey, ModelState model, Instant time, CoreState state,
                              List<Outcome> outcomes) {
        Optional<OnlineModel.Promotion> due = model.model().promotionDue();
        if (due.isPresent()) {
            OnlineModel.Promotion promotion = due.get();
            ModelState next = model.promote(promotion.to(), settings.model(), time.toEpochMilli(), String.format(
                    Locale.ROOT, "by the rule: %s %.2f against %.2f", promotion.metric().name().toLowerCase(Locale.ROOT),
                    promotion.challengerFigure(), promotion.championFigure()));
            state.putModel(modelKey, next);
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.promoted(modelKey, time, next.version(), promotion)));
        }
    }

    /**
     * An operator's verdict on an alert episode, audited by an ALERT_FEEDBACK alert. A false alarm
     * also labels the device's readings of the episode that still wait for their label normal now
     * (cause FEEDBACK), and the model trains on them as on any other label; an open episode counts
     * up to now.
     */
    private void onFeedback(String modelKey, ModelState model, ModelCommand command, CoreState state,
                            List<Outcome> outcomes) {
        String deviceId = command.getDeviceId();
        DeviceState device = knownDevice(deviceId, state, outcomes);
        int relabelled = 0;
        if (device != null && command.getAction() == ModelAction.FALSE_ALARM) {
            long from = command.getEpisodeStart().toEpochMilli();
            long to = command.getEpisodeEnd() == null ? Long.MAX_VALUE : command.getEpisodeEnd().toEpochMilli();
            List<Resolution<PendingId>> resolved = device.labeler().onFalseAlarm(from, to);
            relabelled = resolved.size();
            train(modelKey, model, deviceId, device, resolved, state, outcomes);
            state.modelChanged(modelKey);
            state.deviceChanged(deviceId);
            outcomes.add(new Outcome.PendingLabels(deviceId, device.labeler().pendingCount()));
        }
        Integer track = feedbackTrack(command.getAlertId());
        if (device != null && track != null) {
            countAlertQuality(model, device, List.of(AlertEvent.of(command.getAction() == ModelAction.FALSE_ALARM
                    ? AlertEvent.Kind.MARKED_FALSE : AlertEvent.Kind.CONFIRMED, track, 0)));
            state.modelChanged(modelKey);
        }
        outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.alertFeedback(modelKey, command, relabelled)));
    }

    /** The alert-quality track of the episode an alert id names (ids start with their kind), or null for another kind. */
    private static Integer feedbackTrack(String alertId) {
        if (alertId.startsWith(AlertKind.FAILURE_RISK + ":")) {
            return AlertEvent.FAILURE_RISK;
        }
        return alertId.startsWith(AlertKind.ANOMALY + ":") ? AlertEvent.ANOMALY : null;
    }

    /** The device's readings now go to another model: this one drops what it kept of the device. */
    private void onDeviceMoved(String modelKey, DeviceMoved moved, CoreState state, List<Outcome> outcomes) {
        DeviceState device = knownDevice(moved.getDeviceId(), state, outcomes);
        if (device != null) {
            ModelState model = existingModel(modelKey, moved.getMovedAt(), state, outcomes);
            dropDevice(modelKey, model, moved.getDeviceId(), device, moved.getToMachineType(), moved.getToModelKey(),
                    moved.getMovedAt(), state, outcomes);
            state.removeDevice(moved.getDeviceId());
            if (model != null && settings.deviceSilenceMs() > 0) {
                // A device that left the model is no longer watched for silence there.
                model.forgetDevice(moved.getDeviceId());
                state.modelChanged(modelKey);
            }
        }
    }

    /**
     * Drops a device's state and its readings waiting for a label, counted (label cause
     * DEVICE_MOVED) and announced by a DEVICE_MOVED alert: never orphaned silently. Its alert
     * episodes still waiting for their verdict are settled in the model's alert quality
     * ({@code AlertWatch#onLeave}).
     */
    private void dropDevice(String modelKey, ModelState model, String deviceId, DeviceState device,
                            String toMachineType, String toModelKey, Instant time, CoreState state,
                            List<Outcome> outcomes) {
        if (model != null) {
            countAlertQuality(model, device, device.alertWatch().onLeave(time.toEpochMilli(),
                    settings.labels().horizon().toMillis()));
            state.modelChanged(modelKey);
        }
        int dropped = device.labeler().pendingCount();
        state.dropPending(deviceId);
        for (int i = 0; i < dropped; i++) {
            outcomes.add(new Outcome.LabelResolved("DEVICE_MOVED"));
        }
        outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.deviceMoved(modelKey, deviceId, device.machineType(),
                toMachineType, toModelKey, time, dropped)));
        outcomes.add(new Outcome.PendingLabels(deviceId, 0));
    }

    private void onReading(String modelKey, SensorReading reading, InputMeta meta, CoreState state,
                           List<Outcome> outcomes) {
        ModelState model = modelFor(modelKey, reading.getEventTime(), state, outcomes);
        DeviceState device = deviceFor(modelKey, model, reading, state, outcomes);
        long time = reading.getEventTime().toEpochMilli();

        Observation observation = Observations.of(reading, device.features());
        boolean heldBack = reading.getLabel() != null && settings.labelDelay() > 0;
        if (heldBack) {
            model.trainHeldBack(settings.labelDelay());
        }
        Scored scored = model.predict(observation, reading.getSensors(), reading.getDeviceId(), time);
        outcomes.add(new Outcome.Predicted(reading.getDeviceId(), prediction(modelKey, model.version(), reading, scored,
                model.model().expectedTimeToFailure(observation), meta)));
        scored.dataDrifts().forEach(drift -> outcomes.add(new Outcome.Alerted(modelKey,
                AlertFactory.dataDrift(modelKey, reading.getDeviceId(), reading.getEventTime(), drift))));
        model.takeInputShifts().forEach(drift -> outcomes.add(new Outcome.Alerted(modelKey,
                AlertFactory.conceptDrift(modelKey, reading.getEventTime(), drift))));
        boolean riskRaised = trackRisk(modelKey, reading, device, model, observation, scored, outcomes);
        boolean anomalyRaised = trackAnomaly(modelKey, reading, device, scored.anomaly(), outcomes);
        countAlertQuality(model, device, device.alertWatch().onReading(time, scored.positiveProbability(), riskRaised,
                anomalyRaised, settings.risk().forType(device.machineType()), settings.labels().horizon().toMillis()));
        watchSilence(modelKey, model, reading, outcomes);

        boolean targetInBand = reading.getTarget() != null && settings.model().predictsRemainingLife();
        if (targetInBand) {
            model.learnRemainingLife(observation, reading.getTarget());
        }
        if (reading.getLabel() != null) {
            Optional<ConceptDrift> drift;
            countAlertQuality(model, device, List.of(AlertEvent.scored(
                    reading.getLabel().equals(settings.model().positiveClass()), scored.positiveProbability())));
            if (heldBack) {
                drift = model.score(reading.getLabel(), scored);
                model.holdBack(observation, reading.getLabel());
            } else {
                drift = model.learn(observation, reading.getLabel(), scored).conceptDrift();
            }
            drift.ifPresent(d -> outcomes.add(new Outcome.Alerted(modelKey,
                    AlertFactory.conceptDrift(modelKey, reading.getEventTime(), d))));
        } else if (targetInBand) {
            // Its truth came in band: a regression target, no class label to wait for.
        } else if (device.labeler().isLate(time)) {
            // Too late to be labelled correctly: predicted and published, never trained on.
            outcomes.add(new Outcome.LabelResolved("LATE_READING"));
        } else {
            PendingId id = state.putPending(reading.getDeviceId(), device.nextPendingId(), time,
                    device.pending(observation, scored, reading.getSequence(), model.version()));
            train(modelKey, model, reading.getDeviceId(), device, device.labeler().onReading(id, time), state,
                    outcomes);
        }
        sizeCaps(modelKey, model, reading.getEventTime(), outcomes);
        state.modelChanged(modelKey);
        promoteIfDue(modelKey, model, reading.getEventTime(), state, outcomes);
        state.deviceChanged(reading.getDeviceId());
        outcomes.add(new Outcome.PendingLabels(reading.getDeviceId(), device.labeler().pendingCount()));
    }

    private void onMaintenance(String modelKey, MaintenanceEvent event, CoreState state, List<Outcome> outcomes) {
        DeviceState device = knownDevice(event.getDeviceId(), state, outcomes);
        if (device == null) {
            // Its state was unreadable and is reset: no reading of it waits for a label any more.
            return;
        }
        long time = event.getEventTime().toEpochMilli();
        if (device.labeler().isLate(time)) {
            outcomes.add(new Outcome.Rejected(Outcome.Rejected.Reason.LATE_EVENT, "event at " + time + " is older than the device's stream time "
                    + device.labeler().streamTime() + " minus the grace " + settings.labels().grace().toMillis()
                    + " ms"));
            return;
        }
        ModelState model = modelFor(modelKey, event.getEventTime(), state, outcomes);
        List<Resolution<PendingId>> resolved = switch (event.getKind()) {
            case FAILURE -> device.labeler().onFailure(time);
            case REPAIR -> device.labeler().onRepair(time);
            default -> device.labeler().advance(time);
        };
        train(modelKey, model, event.getDeviceId(), device, resolved, state, outcomes);
        if (event.getKind() == MaintenanceKind.FAILURE) {
            countAlertQuality(model, device, device.alertWatch().onFailure(time, settings.labels().horizon().toMillis()));
        }
        sizeCaps(modelKey, model, event.getEventTime(), outcomes);
        state.modelChanged(modelKey);
        promoteIfDue(modelKey, model, event.getEventTime(), state, outcomes);
        state.deviceChanged(event.getDeviceId());
        outcomes.add(new Outcome.PendingLabels(event.getDeviceId(), device.labeler().pendingCount()));
    }

    private void train(String modelKey, ModelState model, String deviceId, DeviceState device,
                       List<Resolution<PendingId>> resolutions, CoreState state, List<Outcome> outcomes) {
        int expired = 0;
        int missing = 0;
        for (Resolution<PendingId> resolution : resolutions) {
            // Taken even when censored: a state in memory frees it so.
            PendingLookup lookup = state.takePending(deviceId, resolution.reading(), resolution.time());
            if (resolution.censored()) {
                outcomes.add(new Outcome.LabelResolved(resolution.cause().name()));
                continue;
            }
            if (lookup instanceof PendingLookup.Gone gone) {
                // Counted by why it is gone instead of by its label's cause: it is neither trained on nor scored.
                outcomes.add(new Outcome.LabelResolved(gone.reason().name()));
                expired += gone.reason() == PendingLookup.Reason.EXPIRED ? 1 : 0;
                missing += gone.reason() == PendingLookup.Reason.MISSING ? 1 : 0;
                continue;
            }
            outcomes.add(new Outcome.LabelResolved(resolution.cause().name()));
            PendingReading pending = ((PendingLookup.Found) lookup).reading();
            String label = resolution.label() == Label.POSITIVE ? settings.model().positiveClass()
                    : settings.negativeClass();
            Observation observation = device.observation(pending);
            countAlertQuality(model, device, List.of(AlertEvent.scored(resolution.label() == Label.POSITIVE,
                    pending.scored().positiveProbability())));
            model.learnDeferred(observation, label, pending.scored(), resolution.time(), pending.version());
            learnRemainingLife(model, observation, resolution);
        }
        if (expired + missing > 0) {
            outcomes.add(new Outcome.ReadingsGone(deviceId, expired, missing));
        }
        long streamTime = device.labeler().streamTime();
        Instant now = Instant.ofEpochMilli(streamTime);
        for (ConceptDrift drift : model.releaseScores(deviceId, streamTime, settings.labels().horizon().toMillis(),
                settings.labels().grace().toMillis())) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.conceptDrift(modelKey, now, drift)));
        }
    }

    /**
     * The remaining-life target of a resolved reading: the time to the failure that labelled it, or
     * the horizon when the horizon passed without one (censored at the horizon). Readings resolved
     * otherwise (evicted early) are not trained on: their time to failure is unknown.
     */
    private void learnRemainingLife(ModelState model, Observation observation, Resolution<PendingId> resolution) {
        if (!settings.model().predictsRemainingLife()) {
            return;
        }
        if (resolution.cause() == Resolution.Cause.FAILURE) {
            model.learnRemainingLife(observation, resolution.failureTime() - resolution.time());
        } else if (resolution.cause() == Resolution.Cause.HORIZON_PASSED) {
            model.learnRemainingLife(observation, settings.labels().horizon().toMillis());
        }
    }

    /** The bounds model.max.bytes imposed on the model while it learned from this input, as alerts. */
    private static void sizeCaps(String modelKey, ModelState model, Instant time, List<Outcome> outcomes) {
        for (SizeCapped cap : model.takeSizeCaps()) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.sizeCapped(modelKey, time, cap)));
        }
    }

    /** Counts what the device's alert watch made of an input in the model's alert quality. */
    private static void countAlertQuality(ModelState model, DeviceState device, List<AlertEvent> events) {
        for (AlertEvent event : events) {
            model.alertQuality(device.machineType(), event);
        }
    }

    /** Returns whether the reading raised a FAILURE_RISK episode. */
    private boolean trackRisk(String modelKey, SensorReading reading, DeviceState device, ModelState model,
                              Observation observation, Scored scored, List<Outcome> outcomes) {
        RiskThresholds thresholds = settings.risk().forType(device.machineType());
        RiskTracker.Transition transition = device.risk().update(scored.positiveProbability(), thresholds);
        if (transition == RiskTracker.Transition.RAISED) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.failureRisk(modelKey, reading,
                    scored.positiveProbability(), thresholds, model.model().explain(observation))));
        } else if (transition == RiskTracker.Transition.CLEARED) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.failureRiskCleared(modelKey, reading,
                    scored.positiveProbability(), device.risk().peak(), thresholds)));
        }
        return transition == RiskTracker.Transition.RAISED;
    }

    /**
     * ANOMALY episodes: the failure-risk machinery on anomaly scores, with the sensors that stood out;
     * once the detector has learned {@code anomaly.warmup} readings (before, its scores are published only).
     * Returns whether the reading raised one.
     */
    private boolean trackAnomaly(String modelKey, SensorReading reading, DeviceState device, Anomaly anomaly,
                                 List<Outcome> outcomes) {
        if (anomaly == null || anomaly.learned() < settings.anomalyWarmup()) {
            return false;
        }
        RiskThresholds thresholds = settings.anomaly().forType(device.machineType());
        RiskTracker.Transition transition = device.anomaly().update(anomaly.score(), thresholds);
        if (transition == RiskTracker.Transition.RAISED) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.anomaly(modelKey, reading, anomaly, thresholds)));
        } else if (transition == RiskTracker.Transition.CLEARED) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.anomalyCleared(modelKey, reading, anomaly.score(),
                    device.anomaly().peak(), thresholds)));
        }
        return transition == RiskTracker.Transition.RAISED;
    }

    /** DEVICE_SILENT for the model's devices that fell silent, and DEVICE_SILENT_CLEARED if this one was. */
    private void watchSilence(String modelKey, ModelState model, SensorReading reading, List<Outcome> outcomes) {
        if (settings.deviceSilenceMs() <= 0) {
            return;
        }
        long time = reading.getEventTime().toEpochMilli();
        DeviceSilence.Heard heard = model.heard(reading.getDeviceId(), time, settings.deviceSilenceMs());
        if (heard.silentSince() != null) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.deviceSilentCleared(modelKey, reading,
                    heard.silentSince())));
        }
        for (DeviceSilence.Silent silent : heard.fellSilent()) {
            outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.deviceSilent(modelKey, silent.deviceId(),
                    silent.lastTime(), heard.streamTime(), settings.deviceSilenceMs())));
        }
    }

    /** The model of {@code modelKey}, created on first sight (see {@link #existingModel}). */
    private ModelState modelFor(String modelKey, Instant time, CoreState state, List<Outcome> outcomes) {
        ModelState model = existingModel(modelKey, time, state, outcomes);
        if (model == null) {
            model = new ModelState(settings.model(), time.toEpochMilli());
            state.putModel(modelKey, model);
        }
        return model;
    }

    /**
     * The model of {@code modelKey}, or null if it has none. A durable form that cannot be read
     * (e.g. written by an incompatible MOA version, or by a Driftline before snapshots and journals,
     * or naming a class a model may not hold) is replaced by a new model and reported as a
     * MODEL_RESET alert: a crash loop would stop every other model too. So is a model built under
     * settings that shape a model differently (learner, classes, declared features,
     * features.window): its alert names the change, and the new model is the key's next version, its
     * history going on (a version number never names two models of one key).
     */
    private ModelState existingModel(String modelKey, Instant time, CoreState state, List<Outcome> outcomes) {
        try {
            return state.model(modelKey);
        } catch (CheckpointDecodingException e) {
            outcomes.add(new Outcome.StateReset(Outcome.StateReset.Kind.MODEL, modelKey, e.getMessage(),
                    e instanceof ModelCheckpoints.SettingsChanged));
            ModelState model;
            if (e instanceof ModelCheckpoints.SettingsChanged changed) {
                outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.modelResetBySettings(modelKey, time,
                        e.getMessage())));
                model = changed.retired() == null ? new ModelState(settings.model(), time.toEpochMilli())
                        : ModelState.afterSettingsChange(changed.retired(), settings.model(), time.toEpochMilli(),
                                e.getMessage());
            } else {
                outcomes.add(new Outcome.Alerted(modelKey, AlertFactory.modelReset(modelKey, time, e.getMessage())));
                model = new ModelState(settings.model(), time.toEpochMilli());
            }
            state.putModel(modelKey, model);
            return model;
        }
    }

    /**
     * The device's state, created on first sight. A device whose machine type changed while its
     * readings stay with this model (scope fleet or device) starts anew, and what it kept is dropped
     * as when it moves to another model.
     */
    private DeviceState deviceFor(String modelKey, ModelState model, SensorReading reading, CoreState state,
                                  List<Outcome> outcomes) {
        String deviceId = reading.getDeviceId();
        DeviceState device = knownDevice(deviceId, state, outcomes);
        if (device != null && !device.machineType().equals(reading.getMachineType())) {
            dropDevice(modelKey, model, deviceId, device, reading.getMachineType(), modelKey, reading.getEventTime(),
                    state, outcomes);
            device = null;
        }
        if (device == null) {
            device = new DeviceState(reading.getMachineType(), settings.featureWindow().forType(reading.getMachineType()),
                    settings.labels());
            state.putDevice(deviceId, device);
        }
        return device;
    }

    /**
     * The device's state, or null if it has none. An unreadable durable form is removed and the
     * device starts afresh on its next reading: only its rolling features, risk episode and the
     * readings still waiting for a label are lost, which is no reason to stop every other device.
     */
    private DeviceState knownDevice(String deviceId, CoreState state, List<Outcome> outcomes) {
        try {
            return state.device(deviceId);
        } catch (CheckpointDecodingException e) {
            outcomes.add(new Outcome.StateReset(Outcome.StateReset.Kind.DEVICE, deviceId, e.getMessage(), false));
            state.removeDevice(deviceId);
            return null;
        }
    }

    private Prediction prediction(String modelKey, long version, SensorReading reading, Scored scored,
                                  Double expectedTimeToFailureMs, InputMeta meta) {
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
                .setVersion(version)
                .setAnomalyScore(scored.anomaly() == null ? null : scored.anomaly().score())
                .setExpectedTimeToFailureMs(expectedTimeToFailureMs)
                .setProcessedAt(Instant.ofEpochMilli(meta.now()))
                .setLatencyMs(meta.now() - meta.timestamp())
                .build();
    }
}
