package io.driftline.drift;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.learn.EvaluationSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores drift alerts against the changes a scenario scripted (issue #19): per model, the delay of
 * each change's first detection, the false alerts per simulated week, and the model's windowed
 * kappa and failure recall over time; then the targets, pass or fail.
 *
 * <p>An alert detects a change when it is of the change's kind, on its model (and sensor), and
 * raised between the change's start and the end of its tolerance window: {@link #tolerance} after
 * its reference time plus its ramp. The reference, from which a delay counts, is the change's
 * start for a data change; for a concept change it is the start plus the label lag (label horizon
 * plus grace), since labels cannot show a changed concept earlier. Further alerts in the window
 * are repeats, neither detections nor false; any other CONCEPT_DRIFT or DATA_DRIFT alert is false.
 * Not thread-safe.
 */
public final class DriftScorecard {

    /** Issue #19's bound on a detection's delay past its reference (a gradual change: by its ramp's end). */
    public static final Duration TARGET_DELAY = Duration.ofHours(2);
    /** Issue #19's bound on false alerts per simulated week: per model, and for data drift per sensor too. */
    public static final double TARGET_FALSE_PER_WEEK = 1.0;

    private static final double WEEK_MILLIS = Duration.ofDays(7).toMillis();

    private final List<ScriptedChange> changes;
    private final Set<String> models;
    private final boolean stationary;
    private final Instant start;
    private final Duration labelLag;
    private final Duration tolerance;
    private final Map<ScriptedChange, Instant> detected = new HashMap<>();
    private final Map<ScriptedChange, Integer> repeats = new HashMap<>();
    private final Map<String, Tally> tallies = new TreeMap<>();
    private final Map<String, Series> series = new TreeMap<>();

    /**
     * @param changes    the scripted changes
     * @param models     the models the scenario should have (each must have readings)
     * @param stationary whether no drift alert at all is expected (scenario NONE)
     * @param start      the simulation's start, from which run time and series times count
     * @param labelLag   label horizon plus grace: how long after a concept change labels can show it
     * @param tolerance  how long after a change's reference and ramp an alert still detects it
     */
    public DriftScorecard(List<ScriptedChange> changes, Set<String> models, boolean stationary, Instant start,
                          Duration labelLag, Duration tolerance) {
        this.changes = List.copyOf(changes);
        this.models = Set.copyOf(models);
        this.stationary = stationary;
        this.start = Objects.requireNonNull(start, "start");
        this.labelLag = labelLag;
        this.tolerance = tolerance;
    }

    /** Scores one alert; alerts other than CONCEPT_DRIFT and DATA_DRIFT are ignored. */
    public void alert(Alert alert) {
        ScriptedChange.Kind kind;
        if (alert.getKind() == AlertKind.CONCEPT_DRIFT) {
            kind = ScriptedChange.Kind.CONCEPT;
        } else if (alert.getKind() == AlertKind.DATA_DRIFT) {
            kind = ScriptedChange.Kind.DATA;
        } else {
            return;
        }
        String model = alert.getModelKey();
        String sensor = kind == ScriptedChange.Kind.DATA ? alert.getDetails().get("sensor") : null;
        Instant time = alert.getEventTime();
        Tally tally = tallies.computeIfAbsent(model, m -> new Tally());
        tally.alerts.merge(kind, 1, Integer::sum);
        for (ScriptedChange change : changes) {
            if (change.modelKey().equals(model) && change.kind() == kind && Objects.equals(change.sensor(), sensor)
                    && !time.isBefore(change.start()) && !time.isAfter(windowEnd(change))) {
                if (detected.putIfAbsent(change, time) != null) {
                    repeats.merge(change, 1, Integer::sum);
                }
                return;
            }
        }
        if (kind == ScriptedChange.Kind.CONCEPT) {
            tally.falseConcept++;
        } else {
            tally.falseData.merge(sensor, 1, Integer::sum);
        }
    }

    /**
     * Records the figures of {@code version} of a model at {@code time}: its windowed kappa, and the
     * recall of {@code positiveClass} over the instances scored since the model's previous sample.
     */
    public void sample(String modelKey, Instant time, long version, EvaluationSnapshot evaluation,
                       String positiveClass) {
        series.computeIfAbsent(modelKey, m -> new Series()).add(minutesSinceStart(time), version, evaluation,
                positiveClass);
    }

    /** The score of the run that ended at {@code end}, given how many readings each model had. */
    public Report report(Instant end, Map<String, Long> readings) {
        Duration run = Duration.between(start, end);
        double weeks = run.toMillis() / WEEK_MILLIS;
        Set<String> keys = new TreeSet<>(models);
        keys.addAll(tallies.keySet());
        keys.addAll(series.keySet());
        keys.addAll(readings.keySet());
        List<ModelScore> scores = new ArrayList<>();
        for (String key : keys) {
            scores.add(score(key, readings.getOrDefault(key, 0L), weeks));
        }
        return new Report(run, scores);
    }

    private ModelScore score(String key, long readings, double weeks) {
        Tally tally = tallies.getOrDefault(key, new Tally());
        List<Target> targets = new ArrayList<>();
        if (models.contains(key)) {
            targets.add(new Target("model present", readings > 0, readings + " readings"));
        }
        List<Detection> detections = new ArrayList<>();
        for (ScriptedChange change : changes) {
            if (change.modelKey().equals(key)) {
                Detection detection = detection(change);
                detections.add(detection);
                if (change.required()) {
                    targets.add(new Target("detect " + change.describe() + (change.ramp().isZero()
                            ? " within " + TARGET_DELAY.toMinutes() + " min" : " by the end of its ramp"),
                            detection.onTime(), detection.delay() == null ? "missed"
                            : detection.delay().toMinutes() + " min"));
                }
            }
        }
        double falseConcept = tally.falseConcept / weeks;
        Map<String, Double> falseData = new TreeMap<>();
        tally.falseData.forEach((sensor, count) -> falseData.put(sensor, count / weeks));
        targets.add(new Target("false CONCEPT_DRIFT <= " + TARGET_FALSE_PER_WEEK + " per week",
                falseConcept <= TARGET_FALSE_PER_WEEK, format(falseConcept) + " per week"));
        String worst = falseData.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> format(e.getValue()) + " per week (" + e.getKey() + ")").orElse("0 per week");
        targets.add(new Target("false DATA_DRIFT <= " + TARGET_FALSE_PER_WEEK + " per week per sensor",
                falseData.values().stream().allMatch(rate -> rate <= TARGET_FALSE_PER_WEEK), worst));
        int concept = tally.alerts.getOrDefault(ScriptedChange.Kind.CONCEPT, 0);
        int data = tally.alerts.getOrDefault(ScriptedChange.Kind.DATA, 0);
        if (stationary) {
            targets.add(new Target("no drift alert", concept + data == 0, concept + data + " alerts"));
        }
        Series points = series.get(key);
        return new ModelScore(key, readings, detections, concept, data, tally.falseConcept, falseConcept,
                Map.copyOf(tally.falseData), falseData, points == null ? List.of() : List.copyOf(points.points),
                targets);
    }

    private Detection detection(ScriptedChange change) {
        Instant at = detected.get(change);
        Instant reference = reference(change);
        Duration delay = at == null ? null : Duration.between(reference, at);
        Duration allowed = change.ramp().compareTo(TARGET_DELAY) > 0 ? change.ramp() : TARGET_DELAY;
        boolean onTime = at != null && !at.isAfter(reference.plus(allowed));
        return new Detection(change, reference, at, delay, repeats.getOrDefault(change, 0), onTime);
    }

    /** From when a change's detection delay counts: labels show a concept change only after the label lag. */
    private Instant reference(ScriptedChange change) {
        return change.kind() == ScriptedChange.Kind.CONCEPT ? change.start().plus(labelLag) : change.start();
    }

    private Instant windowEnd(ScriptedChange change) {
        return reference(change).plus(change.ramp()).plus(tolerance);
    }

    private long minutesSinceStart(Instant time) {
        return Duration.between(start, time).toMinutes();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** The scorecard of one run: every model, sorted by key. */
    public record Report(Duration simulated, List<ModelScore> models) {
        /** Whether every target of every model passed. */
        public boolean passed() {
            return models.stream().allMatch(ModelScore::passed);
        }
    }

    /**
     * One model's score.
     *
     * @param falseData       false DATA_DRIFT alerts per sensor
     * @param falseDataPerWeek the same per simulated week
     * @param series          its figures over time, one point per sample
     */
    public record ModelScore(String modelKey, long readings, List<Detection> detections, int conceptAlerts,
                             int dataAlerts, int falseConcept, double falseConceptPerWeek,
                             Map<String, Integer> falseData, Map<String, Double> falseDataPerWeek,
                             List<Point> series, List<Target> targets) {
        public boolean passed() {
            return targets.stream().allMatch(Target::passed);
        }
    }

    /**
     * A scripted change and its first detection.
     *
     * @param reference  from when the delay counts
     * @param detectedAt the first alert that detected it, or null: missed
     * @param delay      from the reference to the detection (negative when it came earlier), or null
     * @param repeats    further alerts within its window
     * @param onTime     detected within {@link #TARGET_DELAY} of the reference, or by the end of a longer ramp
     */
    public record Detection(ScriptedChange change, Instant reference, Instant detectedAt, Duration delay,
                            int repeats, boolean onTime) {
    }

    /**
     * A model's figures at one time.
     *
     * @param minute       simulated minutes since the start
     * @param version      the model's version (a new one starts anew)
     * @param instances    labelled instances scored so far by that version
     * @param windowKappa  kappa over the evaluation window, percent (NaN when undefined)
     * @param periodRecall recall (0 to 1) of the failure class over the instances scored since the
     *                     previous point (NaN when there were no failures among them)
     */
    public record Point(long minute, long version, long instances, double windowKappa, double periodRecall) {
    }

    /** One of issue #19's targets: what was required, whether it passed, and what was measured. */
    public record Target(String name, boolean passed, String measured) {
    }

    private static final class Tally {
        final Map<ScriptedChange.Kind, Integer> alerts = new LinkedHashMap<>();
        final Map<String, Integer> falseData = new TreeMap<>();
        int falseConcept;
    }

    /** A model's points, with the confusion counts at the previous one to take differences from. */
    private static final class Series {
        final List<Point> points = new ArrayList<>();
        long previousVersion;
        long previousCaught;
        long previousFailures;

        void add(long minute, long version, EvaluationSnapshot evaluation, String positiveClass) {
            int positive = -1;
            for (int i = 0; i < evaluation.perClass().size(); i++) {
                if (evaluation.perClass().get(i).label().equals(positiveClass)) {
                    positive = i;
                }
            }
            long caught = 0;
            long failures = 0;
            if (positive >= 0) {
                long[] row = evaluation.confusion()[positive];
                caught = row[positive];
                for (long count : row) {
                    failures += count;
                }
            }
            if (version != previousVersion) {
                // A new version of the model (or the first): its counts start from zero.
                previousCaught = 0;
                previousFailures = 0;
            }
            long newFailures = failures - previousFailures;
            double recall = newFailures == 0 ? Double.NaN : (double) (caught - previousCaught) / newFailures;
            points.add(new Point(minute, version, evaluation.instances(), evaluation.windowKappa(), recall));
            previousVersion = version;
            previousCaught = caught;
            previousFailures = failures;
        }
    }
}
