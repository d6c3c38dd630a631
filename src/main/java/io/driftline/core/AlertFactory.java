package io.driftline.core;

import io.driftline.alert.RiskThresholds;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.SensorReading;
import io.driftline.avro.Severity;
import io.driftline.drift.ConceptDrift;
import io.driftline.drift.DataDrift;
import io.driftline.drift.InputShift;
import io.driftline.learn.Anomaly;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.SizeCapped;
import io.driftline.state.ModelBundle;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link Alert} records of the model stage. Alert ids are derived from the kind, the
 * key and the position in the stream, so that reprocessing produces the same id.
 */
final class AlertFactory {

    private AlertFactory() {
    }

    /** The model's concept changed: its error rate rose, or a sensor its tree splits on shifted. */
    static Alert conceptDrift(String modelKey, Instant eventTime, ConceptDrift drift) {
        InputShift shift = drift.inputShift();
        String message;
        Map<String, String> details;
        if (shift == null) {
            message = String.format(Locale.ROOT,
                    "Model %s: error rate changed from %.3f to %.3f after %d labelled readings; the model adapts",
                    modelKey, drift.errorRateBefore(), drift.errorRateAfter(), drift.instance());
            details = Map.of(
                    "instancesSeen", Long.toString(drift.instance()),
                    "errorRateBefore", Double.toString(drift.errorRateBefore()),
                    "errorRateAfter", Double.toString(drift.errorRateAfter()),
                    "windowWidth", Integer.toString(drift.windowWidth()));
        } else {
            message = String.format(Locale.ROOT,
                    "Model %s: sensor %s, which the model splits on (%s), shifted by %.1f normal spreads; "
                            + "what it learned no longer applies; the model adapts",
                    modelKey, shift.sensor(), String.join(", ", shift.splitFeatures()), shift.spreads());
            details = Map.of(
                    "cause", "INPUT_SHIFT",
                    "sensor", shift.sensor(),
                    "shiftSpreads", Double.toString(shift.spreads()),
                    "splitFeatures", String.join(",", shift.splitFeatures()),
                    "instancesSeen", Long.toString(drift.instance()),
                    "errorRate", Double.toString(drift.errorRateBefore()));
        }
        return Alert.newBuilder()
                .setAlertId(AlertKind.CONCEPT_DRIFT + ":" + modelKey + ":" + drift.instance()
                        + (shift == null ? "" : ":" + shift.sensor()))
                .setKind(AlertKind.CONCEPT_DRIFT)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setEventTime(eventTime)
                .setMessage(message)
                .setDetails(details)
                .build();
    }

    /** A sensor of the model moved across its devices; {@code deviceId} is the device whose reading completed the measurement. */
    static Alert dataDrift(String modelKey, String deviceId, Instant eventTime, DataDrift drift) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("sensor", drift.sensor());
        details.put("reading", Long.toString(drift.reading()));
        details.put("meanBefore", Double.toString(drift.meanBefore()));
        details.put("meanAfter", Double.toString(drift.meanAfter()));
        details.put("spreadBefore", Double.toString(drift.spreadBefore()));
        details.put("spreadAfter", Double.toString(drift.spreadAfter()));
        details.put("devicesAffected", Integer.toString(drift.devicesAffected()));
        details.put("devicesWatched", Integer.toString(drift.devicesWatched()));
        details.put("devices", String.join(",", drift.devices()));
        details.put("windowWidth", Integer.toString(drift.windowWidth()));
        return Alert.newBuilder()
                .setAlertId(AlertKind.DATA_DRIFT + ":" + modelKey + ":" + drift.sensor() + ":" + drift.reading())
                .setKind(AlertKind.DATA_DRIFT)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setDeviceId(deviceId)
                .setEventTime(eventTime)
                .setMessage(String.format(Locale.ROOT,
                        "Model %s: sensor %s shifted on %d of %d devices (mean %.3f -> %.3f, spread %.3f -> %.3f)",
                        modelKey, drift.sensor(), drift.devicesAffected(), drift.devicesWatched(), drift.meanBefore(),
                        drift.meanAfter(), drift.spreadBefore(), drift.spreadAfter()))
                .setDetails(details)
                .build();
    }

    static Alert failureRisk(String modelKey, SensorReading reading, double probability, RiskThresholds thresholds,
                             List<String> path) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("failureProbability", Double.toString(probability));
        details.put("raiseThreshold", Double.toString(thresholds.raise()));
        details.put("debounce", Integer.toString(thresholds.debounce()));
        details.put("machineType", reading.getMachineType());
        details.put("sequence", Long.toString(reading.getSequence()));
        details.put("splitPath", String.join(" AND ", path));
        return Alert.newBuilder()
                .setAlertId(AlertKind.FAILURE_RISK + ":" + reading.getDeviceId() + ":" + reading.getSequence())
                .setKind(AlertKind.FAILURE_RISK)
                .setSeverity(Severity.CRITICAL)
                .setModelKey(modelKey)
                .setDeviceId(reading.getDeviceId())
                .setEventTime(reading.getEventTime())
                .setMessage(String.format(Locale.ROOT,
                        "Device %s likely to fail: probability %.2f for %d readings%s", reading.getDeviceId(),
                        probability, thresholds.debounce(), path.isEmpty() ? "" : " (" + String.join(", ", path) + ")"))
                .setDetails(details)
                .build();
    }

    static Alert failureRiskCleared(String modelKey, SensorReading reading, double probability, double peak,
                                    RiskThresholds thresholds) {
        return Alert.newBuilder()
                .setAlertId(AlertKind.FAILURE_RISK_CLEARED + ":" + reading.getDeviceId() + ":" + reading.getSequence())
                .setKind(AlertKind.FAILURE_RISK_CLEARED)
                .setSeverity(Severity.INFO)
                .setModelKey(modelKey)
                .setDeviceId(reading.getDeviceId())
                .setEventTime(reading.getEventTime())
                .setMessage(String.format(Locale.ROOT,
                        "Device %s back to normal: probability %.2f (peak %.2f)", reading.getDeviceId(), probability, peak))
                .setDetails(Map.of(
                        "failureProbability", Double.toString(probability),
                        "peakProbability", Double.toString(peak),
                        "clearThreshold", Double.toString(thresholds.clear()),
                        "sequence", Long.toString(reading.getSequence())))
                .build();
    }

    /** A device's readings looked anomalous for the debounce count; names the sensors furthest from their running mean. */
    static Alert anomaly(String modelKey, SensorReading reading, Anomaly anomaly, RiskThresholds thresholds) {
        List<String> sensors = anomaly.topSensors().stream()
                .map(top -> String.format(Locale.ROOT, "%s (z=%.1f)", top.sensor(), top.z()))
                .toList();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("anomalyScore", Double.toString(anomaly.score()));
        details.put("raiseThreshold", Double.toString(thresholds.raise()));
        details.put("debounce", Integer.toString(thresholds.debounce()));
        details.put("machineType", reading.getMachineType());
        details.put("sequence", Long.toString(reading.getSequence()));
        details.put("topSensors", String.join(", ", sensors));
        return Alert.newBuilder()
                .setAlertId(AlertKind.ANOMALY + ":" + reading.getDeviceId() + ":" + reading.getSequence())
                .setKind(AlertKind.ANOMALY)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setDeviceId(reading.getDeviceId())
                .setEventTime(reading.getEventTime())
                .setMessage(String.format(Locale.ROOT, "Device %s behaves anomalously: score %.2f for %d readings%s",
                        reading.getDeviceId(), anomaly.score(), thresholds.debounce(),
                        sensors.isEmpty() ? "" : " (" + String.join(", ", sensors) + ")"))
                .setDetails(details)
                .build();
    }

    static Alert anomalyCleared(String modelKey, SensorReading reading, double score, double peak,
                                RiskThresholds thresholds) {
        return Alert.newBuilder()
                .setAlertId(AlertKind.ANOMALY_CLEARED + ":" + reading.getDeviceId() + ":" + reading.getSequence())
                .setKind(AlertKind.ANOMALY_CLEARED)
                .setSeverity(Severity.INFO)
                .setModelKey(modelKey)
                .setDeviceId(reading.getDeviceId())
                .setEventTime(reading.getEventTime())
                .setMessage(String.format(Locale.ROOT, "Device %s back to normal: anomaly score %.2f (peak %.2f)",
                        reading.getDeviceId(), score, peak))
                .setDetails(Map.of(
                        "anomalyScore", Double.toString(score),
                        "peakScore", Double.toString(peak),
                        "clearThreshold", Double.toString(thresholds.clear()),
                        "sequence", Long.toString(reading.getSequence())))
                .build();
    }

    static Alert modelReset(String modelKey, Instant eventTime, String cause) {
        return Alert.newBuilder()
                .setAlertId(AlertKind.MODEL_RESET + ":" + modelKey + ":" + eventTime.toEpochMilli())
                .setKind(AlertKind.MODEL_RESET)
                .setSeverity(Severity.CRITICAL)
                .setModelKey(modelKey)
                .setEventTime(eventTime)
                .setMessage("Model " + modelKey + " could not be restored and starts anew: " + cause)
                .setDetails(Map.of("cause", cause))
                .build();
    }

    /**
     * {@code model.max.bytes} bounded one of a model's learners (named by role and spec): a Hoeffding
     * tree stopped growing (MODEL_CAPPED), any other learner started afresh (MODEL_RESET).
     */
    static Alert sizeCapped(String modelKey, Instant eventTime, SizeCapped cap) {
        boolean stopped = cap.action() == SizeCapped.Action.STOPPED_GROWING;
        AlertKind kind = stopped ? AlertKind.MODEL_CAPPED : AlertKind.MODEL_RESET;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("learner", cap.role().name());
        details.put("spec", cap.spec());
        details.put("action", cap.action().name());
        details.put("learnerBytes", Long.toString(cap.learnerBytes()));
        details.put("maxBytes", Long.toString(cap.maxBytes()));
        details.put("instancesTrained", Long.toString(cap.instancesTrained()));
        return Alert.newBuilder()
                .setAlertId(kind + ":" + modelKey + ":" + cap.role() + ":" + cap.spec() + ":" + cap.instancesTrained())
                .setKind(kind)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setEventTime(eventTime)
                .setMessage("The " + cap.role().label() + " " + cap.spec() + " of model " + modelKey + " reached "
                        + cap.learnerBytes() + " bytes, above model.max.bytes " + cap.maxBytes() + ": "
                        + (stopped ? "it stops growing (no more splits; its leaves keep learning)" : restarted(cap.role())))
                .setDetails(details)
                .build();
    }

    private static String restarted(SizeCapped.Role role) {
        return switch (role) {
            case CHAMPION -> "it starts afresh (its evaluation goes on)";
            case CHALLENGER -> "it starts afresh, its evaluation too; the champion is unchanged";
            case BACKGROUND -> "it starts afresh; the champion is unchanged";
            case REMAINING_LIFE -> "it starts afresh (its regression figures go on)";
        };
    }

    /** A model built under settings that shaped it differently from the current ones starts anew; {@code changes} names them. */
    static Alert modelResetBySettings(String modelKey, Instant eventTime, String changes) {
        return Alert.newBuilder()
                .setAlertId(AlertKind.MODEL_RESET + ":" + modelKey + ":" + eventTime.toEpochMilli())
                .setKind(AlertKind.MODEL_RESET)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setEventTime(eventTime)
                .setMessage("Model " + modelKey + " starts anew: " + changes)
                .setDetails(Map.of("cause", changes))
                .build();
    }

    static Alert modelResetByOperator(String modelKey, ModelCommand command) {
        return operatorAudit(AlertKind.MODEL_RESET, modelKey, command.getRequestedAt().toEpochMilli(), command,
                " reset", new LinkedHashMap<>());
    }

    /**
     * The audit record of an operator's command that replaced model {@code modelKey}'s serving model:
     * {@code id} (the version it started, or the command's time) makes the alert's id; the message
     * names who and why after {@code what}, and so do the details, before {@code details}.
     */
    private static Alert operatorAudit(AlertKind kind, String modelKey, long id, ModelCommand command, String what,
                                       Map<String, String> details) {
        Map<String, String> audited = new LinkedHashMap<>();
        audited.put("requestedBy", command.getRequestedBy());
        audited.put("reason", command.getReason());
        audited.putAll(details);
        return Alert.newBuilder()
                .setAlertId(kind + ":" + modelKey + ":" + id)
                .setKind(kind)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setEventTime(command.getRequestedAt())
                .setMessage("Model " + modelKey + what + " by " + command.getRequestedBy() + ": " + command.getReason())
                .setDetails(audited)
                .build();
    }

    /** A challenger replaced the champion by the promotion rule; {@code version} is the version it starts. */
    static Alert promoted(String modelKey, Instant time, long version, OnlineModel.Promotion promotion) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", promotion.from());
        details.put("to", promotion.to());
        details.put("metric", promotion.metric().name());
        details.put("championFigure", Double.toString(promotion.championFigure()));
        details.put("challengerFigure", Double.toString(promotion.challengerFigure()));
        details.put("lead", Double.toString(promotion.challengerFigure() - promotion.championFigure()));
        details.put("labelled", Long.toString(promotion.labelled()));
        return Alert.newBuilder()
                .setAlertId(AlertKind.MODEL_PROMOTED + ":" + modelKey + ":" + version)
                .setKind(AlertKind.MODEL_PROMOTED)
                .setSeverity(Severity.INFO)
                .setModelKey(modelKey)
                .setEventTime(time)
                .setMessage(String.format(Locale.ROOT, "Model %s: challenger %s promoted over %s, %s %.2f against "
                                + "%.2f (%.2f points ahead) on %d labelled readings",
                        modelKey, promotion.to(), promotion.from(), promotion.metric().name().toLowerCase(Locale.ROOT),
                        promotion.challengerFigure(), promotion.championFigure(),
                        promotion.challengerFigure() - promotion.championFigure(), promotion.labelled()))
                .setDetails(details)
                .build();
    }

    /** An operator promoted a challenger ({@code from} served before) or rolled back to a kept version: the audit record. */
    static Alert replacedByOperator(String modelKey, ModelCommand command, long version, String from, String what) {
        boolean promote = command.getAction() == ModelAction.PROMOTE;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", from);
        details.put("to", what);
        return operatorAudit(promote ? AlertKind.MODEL_PROMOTED : AlertKind.MODEL_ROLLED_BACK, modelKey, version,
                command, ": " + (promote ? "challenger " + what + " promoted over " + from : what + " serves again"),
                details);
    }

    /**
     * An operator imported a model bundle into {@code modelKey}, whose version {@code version} it now is;
     * {@code from} served before (null: the model key had no model): the audit record.
     */
    static Alert imported(String modelKey, ModelCommand command, long version, String from, ModelBundle bundle) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", from == null ? "none" : from);
        details.put("learner", bundle.learner());
        details.put("bundleModelKey", bundle.modelKey());
        details.put("bundleVersion", Long.toString(bundle.version()));
        details.put("exportedAt", bundle.exportedAt());
        details.put("writtenBy", bundle.writtenBy().toString());
        details.put("instancesTrained", Long.toString(bundle.instancesTrained()));
        return operatorAudit(AlertKind.MODEL_IMPORTED, modelKey, version, command, ": " + bundle.learner()
                + " of model " + bundle.modelKey() + " (version " + bundle.version() + ", " + bundle.instancesTrained()
                + " instances trained) imported" + (from == null ? "" : " over " + from), details);
    }

    static Alert deviceMoved(String modelKey, String deviceId, String fromType, String toType, String toModelKey,
                             Instant eventTime, int droppedReadings) {
        return Alert.newBuilder()
                .setAlertId(AlertKind.DEVICE_MOVED + ":" + modelKey + ":" + deviceId + ":" + eventTime.toEpochMilli())
                .setKind(AlertKind.DEVICE_MOVED)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setDeviceId(deviceId)
                .setEventTime(eventTime)
                .setMessage("Device " + deviceId + " changed machine type from " + fromType + " to " + toType
                        + " (model " + toModelKey + "); " + droppedReadings
                        + " readings waiting for a label were dropped with its state")
                .setDetails(Map.of("fromMachineType", fromType, "toMachineType", toType, "toModelKey", toModelKey,
                        "droppedReadings", Integer.toString(droppedReadings)))
                .build();
    }

    /** The device has not reported for longer than {@code device.silence.ms} of its model's stream time. */
    static Alert deviceSilent(String modelKey, String deviceId, long lastTime, long streamTime, long silenceMs) {
        return Alert.newBuilder()
                .setAlertId(AlertKind.DEVICE_SILENT + ":" + modelKey + ":" + deviceId + ":" + lastTime)
                .setKind(AlertKind.DEVICE_SILENT)
                .setSeverity(Severity.WARNING)
                .setModelKey(modelKey)
                .setDeviceId(deviceId)
                .setEventTime(Instant.ofEpochMilli(streamTime))
                .setMessage("Device " + deviceId + " has not reported since " + Instant.ofEpochMilli(lastTime)
                        + " (device.silence.ms " + silenceMs + ")")
                .setDetails(Map.of("lastReadingAt", Long.toString(lastTime), "silenceMs", Long.toString(silenceMs)))
                .build();
    }

    /** A silent device reported again. */
    static Alert deviceSilentCleared(String modelKey, SensorReading reading, long lastTime) {
        long time = reading.getEventTime().toEpochMilli();
        return Alert.newBuilder()
                .setAlertId(AlertKind.DEVICE_SILENT_CLEARED + ":" + modelKey + ":" + reading.getDeviceId() + ":" + time)
                .setKind(AlertKind.DEVICE_SILENT_CLEARED)
                .setSeverity(Severity.INFO)
                .setModelKey(modelKey)
                .setDeviceId(reading.getDeviceId())
                .setEventTime(reading.getEventTime())
                .setMessage("Device " + reading.getDeviceId() + " reports again after " + (time - lastTime) + " ms")
                .setDetails(Map.of("lastReadingAt", Long.toString(lastTime), "silentForMs", Long.toString(time - lastTime)))
                .build();
    }

    /** An operator's verdict on an alert episode (CONFIRM or FALSE_ALARM), with the readings it labelled normal. */
    static Alert alertFeedback(String modelKey, ModelCommand command, int relabelled) {
        String verdict = command.getAction() == ModelAction.FALSE_ALARM ? "FALSE_ALARM" : "CONFIRMED";
        Map<String, String> details = new LinkedHashMap<>();
        details.put("alertId", command.getAlertId());
        details.put("verdict", verdict);
        details.put("episodeStart", command.getEpisodeStart().toString());
        details.put("episodeEnd", command.getEpisodeEnd() == null ? "open" : command.getEpisodeEnd().toString());
        details.put("relabelledNormal", Integer.toString(relabelled));
        details.put("requestedBy", command.getRequestedBy());
        details.put("reason", command.getReason());
        return Alert.newBuilder()
                .setAlertId(AlertKind.ALERT_FEEDBACK + ":" + command.getAlertId() + ":" + command.getRequestedAt().toEpochMilli())
                .setKind(AlertKind.ALERT_FEEDBACK)
                .setSeverity(Severity.INFO)
                .setModelKey(modelKey)
                .setDeviceId(command.getDeviceId())
                .setEventTime(command.getRequestedAt())
                .setMessage("Alert " + command.getAlertId() + " marked " + (verdict.equals("FALSE_ALARM") ? "a false alarm"
                        : "confirmed") + " by " + command.getRequestedBy() + ": " + command.getReason()
                        + (relabelled > 0 ? "; " + relabelled + " readings labelled normal" : ""))
                .setDetails(details)
                .build();
    }
}
