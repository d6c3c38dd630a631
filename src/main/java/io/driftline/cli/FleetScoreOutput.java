package io.driftline.cli;

import io.driftline.avro.Alert;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.alertquality.AlertQualityFigures;
import io.driftline.alertquality.AlertQualityFigures.EpisodeFigures;
import io.driftline.alertquality.AlertQualityFigures.ThresholdSuggestion;
import io.driftline.app.FleetEvaluation;
import io.driftline.avro.AlertKind;
import io.driftline.drift.DriftScorecard;
import io.driftline.drift.DriftScorecard.Detection;
import io.driftline.drift.DriftScorecard.ModelScore;
import io.driftline.drift.DriftScorecard.Point;
import io.driftline.drift.DriftScorecard.Target;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.sim.LeadTimes;
import io.driftline.sim.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What {@code evaluate --fleet} prints: a table per model for people (with its first drift alerts,
 * as operators would read them), then one JSON line for scripts.
 */
final class FleetScoreOutput {

    private static final int DRIFT_ALERTS_LISTED = 12;

    private final Scenario scenario;
    private final int devices;
    private final double days;
    private final FleetEvaluation.Result result;

    FleetScoreOutput(Scenario scenario, int devices, double days, FleetEvaluation.Result result) {
        this.scenario = scenario;
        this.devices = devices;
        this.days = days;
        this.result = result;
    }

    void table(PrintStream out) {
        DriftScorecard.Report score = result.score();
        out.printf(Locale.ROOT, "Scenario %s: %,d machines, %s simulated days, %,d readings, %,d maintenance events, "
                + "%,d dead-lettered%n", scenario, devices, number(days), result.readings(), result.maintenance(),
                result.deadLettered());
        for (ModelScore model : score.models()) {
            out.printf(Locale.ROOT, "%nModel %s: %,d readings; %d CONCEPT_DRIFT (%d false, %s per week); "
                    + "%d DATA_DRIFT (%d false)%n", model.modelKey(), model.readings(), model.conceptAlerts(),
                    model.falseConcept(), number(model.falseConceptPerWeek()), model.dataAlerts(),
                    model.falseData().values().stream().mapToInt(Integer::intValue).sum());
            model.falseDataPerWeek().forEach((sensor, rate) -> out.printf(Locale.ROOT,
                    "  false DATA_DRIFT %-24s %3d (%s per week)%n", sensor, model.falseData().get(sensor),
                    number(rate)));
            for (Detection detection : model.detections()) {
                out.printf(Locale.ROOT, "  %-30s %s%n", detection.change().describe()
                        + (detection.change().required() ? "" : " (may follow)"), detected(detection));
            }
            out.printf(Locale.ROOT, "  %-30s %s%n", "window kappa (%)", series(model.series(), Point::windowKappa, 1));
            out.printf(Locale.ROOT, "  %-30s %s%n", "failure recall per period", series(model.series(),
                    Point::periodRecall, 2));
            for (Target target : model.targets()) {
                out.printf(Locale.ROOT, "  %s  %s: %s%n", target.passed() ? "PASS" : "FAIL", target.name(),
                        target.measured());
            }
            List<Alert> raised = result.driftAlerts().stream()
                    .filter(alert -> alert.getModelKey().equals(model.modelKey())).toList();
            raised.stream().limit(DRIFT_ALERTS_LISTED).forEach(alert -> out.printf(Locale.ROOT, "  %s %s%n",
                    alert.getEventTime(), alert.getMessage()));
            if (raised.size() > DRIFT_ALERTS_LISTED) {
                out.printf(Locale.ROOT, "  ... and %d more drift alerts%n", raised.size() - DRIFT_ALERTS_LISTED);
            }
        }
        leadTable(out);
        result.quality().forEach((model, quality) -> quality(out, model, quality));
        out.printf(Locale.ROOT, "%nAll targets: %s%n", score.passed() ? "PASS" : "FAIL");
    }

    private void leadTable(PrintStream out) {
        LeadTimes.Report leads = result.leads();
        out.printf(Locale.ROOT, "%nLead time of FAILURE_RISK or ANOMALY before a FAILURE (from the first alert while "
                + "the machine degraded; a missed failure counts as 0):%n");
        out.printf(Locale.ROOT, "  first FAILURE %s, first ANOMALY %s, first FAILURE_RISK %s%n",
                leads.firstFailure(), leads.firstRaise().get(AlertKind.ANOMALY),
                leads.firstRaise().get(AlertKind.FAILURE_RISK));
        out.printf(Locale.ROOT, "  raised while no degradation that ended in a failure was under way: %d ANOMALY, "
                + "%d FAILURE_RISK%n", leads.unmatched().getOrDefault(AlertKind.ANOMALY, 0),
                leads.unmatched().getOrDefault(AlertKind.FAILURE_RISK, 0));
        leadLine(out, "all", leads.all());
        leads.byMachineType().forEach((type, summary) -> leadLine(out, "type " + type, summary));
    }

    private static void leadLine(PrintStream out, String name, LeadTimes.Summary summary) {
        out.printf(Locale.ROOT, "  %-8s %4d failures, %3d missed; median lead %s (FAILURE_RISK %s, ANOMALY %s), "
                + "%.2f of its degradation (median degradation %s)%n", name, summary.failures(), summary.missed(),
                minutes(summary.median()), minutes(summary.medianRisk()), minutes(summary.medianAnomaly()),
                summary.medianShare(), minutes(summary.medianDegradation()));
    }

    private static String minutes(Duration duration) {
        return duration.toMinutes() + " min";
    }

    /** A model's prequential figures, then its alerts' quality per machine type and the suggested thresholds. */
    private static void quality(PrintStream out, String model, FleetEvaluation.ModelQuality quality) {
        EvaluationSnapshot evaluation = quality.evaluation();
        out.printf(Locale.ROOT, "%nModel %s at the end: accuracy %s %%, kappa %s %%, Kappa-M %s %%, G-mean %s "
                + "(window: kappa %s %%, Kappa-M %s %%)%n", model, number(evaluation.accuracy()),
                number(evaluation.kappa()), number(evaluation.kappaM()), number(evaluation.gMean()),
                number(evaluation.windowKappa()), number(evaluation.windowKappaM()));
        for (AlertQualityFigures type : quality.alertQuality()) {
            out.printf(Locale.ROOT, "  alert quality %-4s %s machine-days, %d failures; FAILURE_RISK %s; ANOMALY %s; "
                    + "PR-AUC %s, ROC-AUC %s (%d failure and %d normal readings)%n", type.machineType(),
                    number(type.machineDays()), type.failures(), episodes(type.failureRisk()), episodes(type.anomaly()),
                    number(type.prAuc()), number(type.rocAuc()), type.scoredFailures(), type.scoredNormals());
            ThresholdSuggestion suggestion = type.suggestion();
            if (suggestion != null) {
                out.printf(Locale.ROOT, "  suggested FAILURE_RISK raise for %s: %s (objective: %s)%n", type.machineType(),
                        suggestion.raise() == null ? "none, " + suggestion.reason() : String.format(Locale.ROOT,
                                "%.2f, recall %s at %s false alarms per machine-day over the last %s machine-days "
                                        + "and %d failures", suggestion.raise(), number(suggestion.recall()),
                                number(suggestion.falseAlarmsPerMachineDay()), number(suggestion.machineDays()),
                                suggestion.failures()), suggestion.objective());
            }
        }
    }

    private static String episodes(EpisodeFigures episodes) {
        return String.format(Locale.ROOT, "caught %d of %d (median lead %s min), %d false alarms (%s per machine-day), "
                + "%d true, %d undecided, operators %d confirmed / %d marked false", episodes.caught(),
                episodes.caught() + episodes.missed(), number(episodes.medianLeadMs() / 60_000),
                episodes.falseAlarms(), number(episodes.falseAlarmsPerMachineDay()), episodes.trueAlarms(),
                episodes.undecided(), episodes.confirmed(), episodes.markedFalse());
    }

    String json() throws JsonProcessingException {
        DriftScorecard.Report score = result.score();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("scenario", scenario.name());
        line.put("devices", devices);
        line.put("days", days);
        line.put("readings", result.readings());
        line.put("readings_per_second", Math.round(result.readingsPerSecond()));
        line.put("dead_lettered", result.deadLettered());
        line.put("alerts", result.alertsByKind());
        line.put("passed", score.passed());
        Map<String, Object> models = new LinkedHashMap<>();
        for (ModelScore model : score.models()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("readings", model.readings());
            List<Map<String, Object>> detections = new ArrayList<>();
            for (Detection detection : model.detections()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("change", detection.change().describe());
                d.put("required", detection.change().required());
                d.put("delay_minutes", detection.delay() == null ? "missed" : detection.delay().toMinutes());
                d.put("repeats", detection.repeats());
                d.put("on_time", detection.onTime());
                detections.add(d);
            }
            entry.put("detections", detections);
            entry.put("concept_drift_alerts", model.conceptAlerts());
            entry.put("data_drift_alerts", model.dataAlerts());
            entry.put("false_concept_drift_per_week", model.falseConceptPerWeek());
            entry.put("false_data_drift_per_week", model.falseDataPerWeek());
            Map<String, Object> series = new LinkedHashMap<>();
            series.put("minute", model.series().stream().map(Point::minute).toList());
            series.put("window_kappa", model.series().stream().map(p -> finite(p.windowKappa())).toList());
            series.put("failure_recall", model.series().stream().map(p -> finite(p.periodRecall())).toList());
            entry.put("series", series);
            List<Map<String, Object>> targets = new ArrayList<>();
            for (Target target : model.targets()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("target", target.name());
                t.put("passed", target.passed());
                t.put("measured", target.measured());
                targets.add(t);
            }
            entry.put("targets", targets);
            models.put(model.modelKey(), entry);
        }
        line.put("models", models);
        line.put("lead_times", leadJson(result.leads()));
        Map<String, Object> quality = new LinkedHashMap<>();
        result.quality().forEach((model, figures) -> quality.put(model, qualityJson(figures)));
        line.put("quality", quality);
        return new ObjectMapper().writeValueAsString(line);
    }

    private static Map<String, Object> leadJson(LeadTimes.Report leads) {
        Map<String, Object> entry = new LinkedHashMap<>(summaryJson(leads.all()));
        entry.put("first_failure", text(leads.firstFailure()));
        entry.put("first_anomaly", text(leads.firstRaise().get(AlertKind.ANOMALY)));
        entry.put("first_failure_risk", text(leads.firstRaise().get(AlertKind.FAILURE_RISK)));
        entry.put("unmatched_anomaly", leads.unmatched().getOrDefault(AlertKind.ANOMALY, 0));
        entry.put("unmatched_failure_risk", leads.unmatched().getOrDefault(AlertKind.FAILURE_RISK, 0));
        Map<String, Object> byType = new LinkedHashMap<>();
        leads.byMachineType().forEach((type, summary) -> byType.put(type, summaryJson(summary)));
        entry.put("by_machine_type", byType);
        return entry;
    }

    private static Map<String, Object> summaryJson(LeadTimes.Summary summary) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("failures", summary.failures());
        entry.put("missed", summary.missed());
        entry.put("median_minutes", summary.median().toMinutes());
        entry.put("median_failure_risk_minutes", summary.medianRisk().toMinutes());
        entry.put("median_anomaly_minutes", summary.medianAnomaly().toMinutes());
        entry.put("median_share_of_degradation", finite(summary.medianShare()));
        entry.put("median_degradation_minutes", summary.medianDegradation().toMinutes());
        return entry;
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }

    private static Map<String, Object> qualityJson(FleetEvaluation.ModelQuality quality) {
        EvaluationSnapshot evaluation = quality.evaluation();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("accuracy", finite(evaluation.accuracy()));
        entry.put("kappa", finite(evaluation.kappa()));
        entry.put("kappa_m", finite(evaluation.kappaM()));
        entry.put("g_mean", finite(evaluation.gMean()));
        entry.put("window_kappa", finite(evaluation.windowKappa()));
        entry.put("window_kappa_m", finite(evaluation.windowKappaM()));
        List<Map<String, Object>> types = new ArrayList<>();
        for (AlertQualityFigures type : quality.alertQuality()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("machine_type", type.machineType());
            t.put("machine_days", finite(type.machineDays()));
            t.put("failures", type.failures());
            t.put("failure_risk", episodesJson(type.failureRisk()));
            t.put("anomaly", episodesJson(type.anomaly()));
            t.put("pr_auc", finite(type.prAuc()));
            t.put("roc_auc", finite(type.rocAuc()));
            ThresholdSuggestion suggestion = type.suggestion();
            if (suggestion != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("objective", suggestion.objective());
                s.put("raise", suggestion.raise());
                s.put("recall", finite(suggestion.recall()));
                s.put("false_alarms_per_machine_day", finite(suggestion.falseAlarmsPerMachineDay()));
                s.put("failures", suggestion.failures());
                s.put("machine_days", finite(suggestion.machineDays()));
                s.put("reason", suggestion.reason());
                t.put("suggestion", s);
            }
            types.add(t);
        }
        entry.put("alert_quality", types);
        return entry;
    }

    private static Map<String, Object> episodesJson(EpisodeFigures episodes) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("caught", episodes.caught());
        e.put("missed", episodes.missed());
        e.put("recall", finite(episodes.recall()));
        e.put("median_lead_minutes", finite(episodes.medianLeadMs() / 60_000));
        e.put("false_alarms", episodes.falseAlarms());
        e.put("true_alarms", episodes.trueAlarms());
        e.put("false_alarms_per_machine_day", finite(episodes.falseAlarmsPerMachineDay()));
        e.put("confirmed", episodes.confirmed());
        e.put("marked_false", episodes.markedFalse());
        e.put("undecided", episodes.undecided());
        return e;
    }

    private static String detected(Detection detection) {
        if (detection.detectedAt() == null) {
            return detection.change().required() ? "MISSED" : "not detected";
        }
        long minutes = detection.delay().toMinutes();
        return String.format(Locale.ROOT, "detected %d min %s %s (%d repeats)", Math.abs(minutes),
                minutes < 0 ? "before" : "after", detection.reference(), detection.repeats());
    }

    private static String series(List<Point> points, ToDoubleFunction<Point> value, int decimals) {
        return points.stream().map(p -> {
            double v = value.applyAsDouble(p);
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
        }).collect(Collectors.joining(" "));
    }

    /** JSON has no NaN: an undefined figure is null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
