package io.driftline.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Severity;
import io.driftline.drift.DriftScorecard.Detection;
import io.driftline.drift.DriftScorecard.ModelScore;
import io.driftline.drift.DriftScorecard.Target;
import io.driftline.learn.EvaluationSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scoring synthetic alerts against scripted changes: detections and their delays, false alerts per week, targets. */
class DriftScorecardTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant CHANGE = START.plus(Duration.ofHours(12));
    private static final Duration LABEL_LAG = Duration.ofMinutes(125);
    private static final Duration TOLERANCE = Duration.ofHours(6);
    private static final Instant WEEK = START.plus(Duration.ofDays(7));
    private static final String VIBRATION = "vibration_mm_s";
    private static final String TEMPERATURE = "temperature_c";

    private static DriftScorecard scorecard(boolean stationary, ScriptedChange... changes) {
        return new DriftScorecard(List.of(changes), Set.of("L", "M"), stationary, START, LABEL_LAG, TOLERANCE);
    }

    private static Alert data(String model, String sensor, Instant time) {
        return alert(AlertKind.DATA_DRIFT, model, time, Map.of("sensor", sensor));
    }

    private static Alert concept(String model, Instant time) {
        return alert(AlertKind.CONCEPT_DRIFT, model, time, Map.of());
    }

    private static Alert alert(AlertKind kind, String model, Instant time, Map<String, String> details) {
        return Alert.newBuilder().setAlertId(kind + ":" + time).setKind(kind).setSeverity(Severity.WARNING)
                .setModelKey(model).setEventTime(time).setMessage("synthetic").setDetails(Map.copyOf(details)).build();
    }

    private static ModelScore model(DriftScorecard.Report report, String key) {
        return report.models().stream().filter(m -> m.modelKey().equals(key)).findFirst().orElseThrow();
    }

    private static Target target(ModelScore model, String prefix) {
        return model.targets().stream().filter(t -> t.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    private static Map<String, Long> readings() {
        return Map.of("L", 1000L, "M", 1000L);
    }

    @Test
    void shouldTakeTheFirstAlertWithinTheWindowAsTheDetectionWithItsDelay() {
        DriftScorecard scorecard = scorecard(false, ScriptedChange.data("M", VIBRATION, CHANGE, Duration.ZERO));
        scorecard.alert(data("M", VIBRATION, CHANGE.plus(Duration.ofMinutes(30))));
        scorecard.alert(data("M", VIBRATION, CHANGE.plus(Duration.ofMinutes(90))));

        ModelScore m = model(scorecard.report(WEEK, readings()), "M");
        Detection detection = m.detections().get(0);
        assertThat(detection.delay()).isEqualTo(Duration.ofMinutes(30));
        assertThat(detection.repeats()).isEqualTo(1);
        assertThat(detection.onTime()).isTrue();
        assertThat(m.falseData()).isEmpty();
        assertThat(target(m, "detect DATA vibration_mm_s").passed()).isTrue();
    }

    @Test
    void shouldCountAnAlertOutsideTheWindowOrOnAnotherSensorOrModelAsFalse() {
        DriftScorecard scorecard = scorecard(false, ScriptedChange.data("M", VIBRATION, CHANGE, Duration.ZERO));
        scorecard.alert(data("M", VIBRATION, CHANGE.minusMillis(1)));
        scorecard.alert(data("M", VIBRATION, CHANGE.plus(TOLERANCE).plusMillis(1)));
        scorecard.alert(data("M", TEMPERATURE, CHANGE.plus(Duration.ofMinutes(5))));
        scorecard.alert(data("L", VIBRATION, CHANGE.plus(Duration.ofMinutes(5))));

        DriftScorecard.Report report = scorecard.report(WEEK, readings());
        ModelScore m = model(report, "M");
        assertThat(m.detections().get(0).detectedAt()).isNull();
        assertThat(m.falseData()).isEqualTo(Map.of(VIBRATION, 2, TEMPERATURE, 1));
        assertThat(target(m, "detect DATA vibration_mm_s").measured()).isEqualTo("missed");
        assertThat(target(m, "detect DATA vibration_mm_s").passed()).isFalse();
        assertThat(model(report, "L").falseData()).isEqualTo(Map.of(VIBRATION, 1));
    }

    @Test
    void shouldCountAConceptDetectionsDelayFromTheEndOfTheLabelLag() {
        DriftScorecard scorecard = scorecard(false, ScriptedChange.concept("M", CHANGE, true));
        Instant reference = CHANGE.plus(LABEL_LAG);
        scorecard.alert(concept("M", reference.plus(Duration.ofMinutes(121))));

        Detection detection = model(scorecard.report(WEEK, readings()), "M").detections().get(0);
        assertThat(detection.reference()).isEqualTo(reference);
        assertThat(detection.delay()).isEqualTo(Duration.ofMinutes(121));
        assertThat(detection.onTime()).as("later than 2 hours after the label lag").isFalse();
    }

    @Test
    void shouldNormaliseFalseAlertsPerSimulatedWeek() {
        DriftScorecard twoWeeks = scorecard(false);
        twoWeeks.alert(concept("L", START.plus(Duration.ofDays(1))));
        twoWeeks.alert(concept("L", START.plus(Duration.ofDays(8))));
        ModelScore l = model(twoWeeks.report(START.plus(Duration.ofDays(14)), readings()), "L");
        assertThat(l.falseConceptPerWeek()).isEqualTo(1.0);
        assertThat(target(l, "false CONCEPT_DRIFT").passed()).isTrue();

        DriftScorecard oneDay = scorecard(false);
        oneDay.alert(data("L", TEMPERATURE, START.plus(Duration.ofHours(3))));
        ModelScore shortRun = model(oneDay.report(START.plus(Duration.ofDays(1)), readings()), "L");
        assertThat(shortRun.falseDataPerWeek()).isEqualTo(Map.of(TEMPERATURE, 7.0));
        assertThat(target(shortRun, "false DATA_DRIFT").passed()).isFalse();
    }

    @Test
    void shouldPassAStationaryRunOnlyWithoutAnyDriftAlert() {
        DriftScorecard quiet = scorecard(true);
        quiet.alert(alert(AlertKind.FAILURE_RISK, "L", START.plus(Duration.ofHours(1)), Map.of()));
        assertThat(quiet.report(WEEK, readings()).passed()).isTrue();

        DriftScorecard noisy = scorecard(true);
        noisy.alert(data("L", TEMPERATURE, START.plus(Duration.ofHours(1))));
        DriftScorecard.Report report = noisy.report(WEEK, readings());
        assertThat(target(model(report, "L"), "no drift alert").passed()).isFalse();
        assertThat(target(model(report, "M"), "no drift alert").passed()).isTrue();
        assertThat(report.passed()).isFalse();
    }

    @Test
    void shouldNeitherRequireNorCountAsFalseAChangeThatMayFollow() {
        DriftScorecard detected = scorecard(false, ScriptedChange.concept("L", CHANGE, false));
        detected.alert(concept("L", CHANGE.plus(Duration.ofHours(1))));
        ModelScore l = model(detected.report(WEEK, readings()), "L");
        assertThat(l.falseConcept()).isZero();
        assertThat(l.targets()).noneMatch(t -> t.name().startsWith("detect"));

        DriftScorecard missed = scorecard(false, ScriptedChange.concept("L", CHANGE, false));
        assertThat(missed.report(WEEK, readings()).passed()).isTrue();
    }

    @Test
    void shouldAcceptAGradualChangesDetectionUntilTheEndOfItsRamp() {
        Duration ramp = Duration.ofDays(2);
        DriftScorecard scorecard = scorecard(false, ScriptedChange.data("L", TEMPERATURE, CHANGE, ramp));
        scorecard.alert(data("L", TEMPERATURE, CHANGE.plus(Duration.ofHours(30))));
        Detection onTime = model(scorecard.report(WEEK, readings()), "L").detections().get(0);
        assertThat(onTime.onTime()).isTrue();

        DriftScorecard late = scorecard(false, ScriptedChange.data("L", TEMPERATURE, CHANGE, ramp));
        late.alert(data("L", TEMPERATURE, CHANGE.plus(ramp).plus(Duration.ofHours(1))));
        ModelScore l = model(late.report(WEEK, readings()), "L");
        assertThat(l.detections().get(0).onTime()).as("within the tolerance, after the ramp").isFalse();
        assertThat(l.falseData()).isEmpty();
    }

    @Test
    void shouldFailAnExpectedModelWithoutReadings() {
        DriftScorecard scorecard = scorecard(false);
        ModelScore m = model(scorecard.report(WEEK, Map.of("L", 10L)), "M");
        assertThat(target(m, "model present").passed()).isFalse();
    }

    @Test
    void shouldTakeTheRecallOfEachPeriodFromTheDifferenceOfTheConfusionCounts() {
        DriftScorecard scorecard = scorecard(false);
        scorecard.sample("L", START.plus(Duration.ofHours(6)), 1, evaluation(100, 50.0, 4, 1), "failure");
        scorecard.sample("L", START.plus(Duration.ofHours(12)), 1, evaluation(200, 60.0, 7, 3), "failure");
        scorecard.sample("L", START.plus(Duration.ofHours(18)), 2, evaluation(250, 70.0, 12, 0), "failure");

        List<DriftScorecard.Point> series = model(scorecard.report(WEEK, readings()), "L").series();
        assertThat(series).extracting(DriftScorecard.Point::minute).containsExactly(360L, 720L, 1080L);
        assertThat(series).extracting(DriftScorecard.Point::windowKappa).containsExactly(50.0, 60.0, 70.0);
        assertThat(series.get(0).periodRecall()).isEqualTo(0.8);
        assertThat(series.get(1).periodRecall()).as("3 caught of 5 new failures").isEqualTo(0.6);
        assertThat(series.get(2).periodRecall()).as("a new model version counts from zero").isEqualTo(1.0);
        assertThat(series).extracting(DriftScorecard.Point::version).containsExactly(1L, 1L, 2L);
    }

    /** {@code instances} scored, of which failures {@code caught} predicted failure and {@code missed} normal. */
    private static EvaluationSnapshot evaluation(long instances, double windowKappa, long caught, long missed) {
        long normal = instances - caught - missed;
        long[][] confusion = {{normal, 0}, {missed, caught}};
        return new EvaluationSnapshot(instances, 0, 0, 0, 0, windowKappa, 1000, List.of(
                new EvaluationSnapshot.ClassMetrics("normal", normal, 0, 0, 0),
                new EvaluationSnapshot.ClassMetrics("failure", caught + missed, 0, 0, 0)), confusion, 0, 0, 0);
    }
}
