package io.driftline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.driftline.alertquality.AlertQualityFigures;
import io.driftline.alertquality.AlertQualityFigures.EpisodeFigures;
import io.driftline.app.Evaluation;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.DeviceMoved;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.ModelStatus;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.MoaReference;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.RegressionEvaluator;
import io.driftline.learn.RegressionFigures;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.Scenario;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.ImportPart;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.DeviceState;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import io.driftline.state.ModelState;
import io.driftline.state.PendingLookup;
import io.driftline.state.ModelVersions.VersionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import moa.evaluation.preview.LearningCurve;
import org.junit.jupiter.api.Test;

/** The per-model core without Kafka: MOA's figures, crash equivalence through checkpoints, the edge cases. */
class ModelCoreTest {

    private static final String SEA = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 5000 -w 1";
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    @Test
    void shouldEqualMoasOwnPrequentialEvaluationOnTheSameStream() {
        int instances = 20_000;
        MoaStreams.Source source = MoaStreams.open(SEA);
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of()), source, "trees.HoeffdingTree", "none");
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        AtomicLong clock = new AtomicLong(T0);

        new MoaReplay(source, instances, 7, "L", clock::incrementAndGet).forEachRemaining(reading ->
                core.apply("fleet", reading(reading), new InputMeta(clock.get(), clock.get()), state));

        LearningCurve moa = MoaReference.evaluatePrequential(SEA, "trees.HoeffdingTree", instances);
        EvaluationSnapshot ours = state.model("fleet").model().snapshot().evaluation();
        assertThat(ours.instances()).isEqualTo(instances);
        assertThat(ours.accuracy()).isEqualTo(MoaReference.last(moa, "classifications correct (percent)"));
        assertThat(ours.kappa()).isEqualTo(MoaReference.last(moa, "Kappa Statistic (percent)"));
    }

    /**
     * A restart in the middle of a fleet's stream, with delayed labels waiting: state written by the
     * checkpoint codecs and read back continues exactly as the uninterrupted run.
     */
    @Test
    void shouldContinueFromCheckpointsExactlyAsAnUninterruptedRun() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, Duration.ofHours(2).toMillis(),
                DriftlineConfig.LABEL_GRACE_MS, 0));
        List<ModelInput> inputs = fleet(config, 40_000);
        int restartAt = inputs.size() / 2;

        ModelCore uninterrupted = new ModelCore(config.pipeline());
        InMemoryCoreState one = new InMemoryCoreState();
        List<Outcome> expected = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            List<Outcome> outcomes = apply(uninterrupted, config, inputs.get(i), one);
            if (i >= restartAt) {
                expected.addAll(outcomes);
            }
        }

        InMemoryCoreState before = new InMemoryCoreState();
        ModelCore first = new ModelCore(config.pipeline());
        inputs.subList(0, restartAt).forEach(input -> apply(first, config, input, before));
        assertThat(before.pendingCount()).as("readings waiting for labels at the restart").isPositive();
        Restored after = new Restored(before, config.pipeline());
        ModelCore second = new ModelCore(config.pipeline());
        List<Outcome> actual = new ArrayList<>();
        inputs.subList(restartAt, inputs.size()).forEach(input -> actual.addAll(apply(second, config, input, after)));

        assertThat(actual).hasSameSizeAs(expected);
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).anyMatch(o -> o instanceof Outcome.LabelResolved r && r.cause().equals("FAILURE"));
    }

    @Test
    void shouldReportAMaintenanceEventOlderThanTheGraceAsLateAndChangeNothing() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, 10_000, DriftlineConfig.LABEL_GRACE_MS, 1_000));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        for (int i = 0; i < 20; i++) {
            core.apply("L", reading(reading("pump-1", i)), new InputMeta(T0, T0), state);
        }
        long trained = state.model("L").model().instancesTrained();

        List<Outcome> outcomes = core.apply("L", maintenance("pump-1", MaintenanceKind.FAILURE, T0 + 5_000),
                new InputMeta(T0, T0), state);

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class, late -> {
            assertThat(late.reason()).isEqualTo(Outcome.Rejected.Reason.LATE_EVENT);
            assertThat(late.message()).contains("older than the device's stream time");
        });
        assertThat(state.model("L").model().instancesTrained()).isEqualTo(trained);
    }

    @Test
    void shouldStartAModelAnewWithOneModelResetAlertWhenItsStateCannotBeRead() {
        DriftlineConfig config = new DriftlineConfig(Map.of());
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState healthy = new InMemoryCoreState();
        core.apply("L", reading(reading("pump-1", 0)), new InputMeta(T0, T0), healthy);
        Restored unreadable = new Restored(healthy, config.pipeline());
        unreadable.models.put("L", new byte[] {99, 1, 2});

        List<Outcome> outcomes = core.apply("L", reading(reading("pump-1", 1)), new InputMeta(T0, T0), unreadable);

        assertThat(outcomes).filteredOn(Outcome.StateReset.class::isInstance).singleElement()
                .isInstanceOfSatisfying(Outcome.StateReset.class, reset -> {
                    assertThat(reset.kind()).isEqualTo(Outcome.StateReset.Kind.MODEL);
                    assertThat(reset.cause()).contains("format version 99");
                    assertThat(reset.bySettings()).as("a fault, not an operator's change").isFalse();
                });
        assertThat(outcomes).filteredOn(Outcome.Alerted.class::isInstance)
                .extracting(o -> ((Outcome.Alerted) o).alert().getKind()).containsExactly(AlertKind.MODEL_RESET);
        assertThat(outcomes).filteredOn(Outcome.Predicted.class::isInstance).hasSize(1);
    }

    /**
     * Two devices of one model, one three hours ahead of the other in event time (a replay of two
     * partitions): every deferred score is released in prediction order, none by the clock of the
     * device that is ahead while the other still waits for its labels.
     */
    @Test
    void shouldScoreAModelsPredictionsInPredictionOrderAcrossDevicesWhoseClocksDiffer() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, Duration.ofHours(1).toMillis(), DriftlineConfig.LABEL_GRACE_MS, 0));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        for (long minute = 0; minute < 6 * 60; minute++) {
            core.apply("L", reading(reading("behind", minute * 60)), new InputMeta(T0, T0), state);
            core.apply("L", reading(reading("ahead", (minute + 180) * 60)), new InputMeta(T0, T0), state);
        }

        assertThat(state.model("L").model().scoredOutOfOrder()).isZero();
        // The clock is the device behind (its last reading at minute 359): predictions made before
        // minute 359 - 60 are scored, the behind device's from minute 0 and the other's from minute 180.
        assertThat(state.model("L").model().snapshot().evaluation().instances()).isEqualTo(299 + (299 - 180));
    }

    @Test
    void shouldStopHoldingAModelBackForADeviceSilentForLongerThanTheHorizon() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, Duration.ofHours(1).toMillis(), DriftlineConfig.LABEL_GRACE_MS, 0));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        core.apply("L", reading(reading("silent", 0)), new InputMeta(T0, T0), state);
        for (long minute = 0; minute < 4 * 60; minute++) {
            core.apply("L", reading(reading("busy", minute * 60)), new InputMeta(T0, T0), state);
        }

        // Once silent for an hour it no longer holds the clock: busy's readings made before its last
        // (minute 239) minus the horizon are scored; the silent device's one reading waits for its label.
        assertThat(state.model("L").model().snapshot().evaluation().instances()).isEqualTo(239 - 60);
    }

    /**
     * A device three hours behind the other of its model (a replay of two partitions) keeps its
     * waiting readings without a margin: each is kept from when it came, three hours behind the
     * clock, not from its own time.
     */
    @Test
    void shouldKeepTheWaitingReadingsOfADeviceLaggingItsPeersBySteadyHoursWithoutAMargin() {
        List<Outcome> outcomes = behindAndAhead(Duration.ZERO, 1);

        assertThat(outcomes).noneMatch(Outcome.ReadingsGone.class::isInstance);
        assertThat(resolved(outcomes, "HORIZON_PASSED")).as("each device's first 299 readings").isEqualTo(2 * 299);
    }

    /**
     * A device that falls further behind the other of its model while its readings wait (the other
     * moves two minutes for each of its one: a reading waits an hour of its own time, two of the
     * clock's) keeps them under a margin of an hour (kept 2 hours 6 minutes from when they came), and
     * finds them expired without one (1 hour 6 minutes).
     */
    @Test
    void shouldExpireTheWaitingReadingsOfADeviceFallingFurtherBehindThanTheMarginWhileTheyWait() {
        List<Outcome> withMargin = behindAndAhead(Duration.ofHours(1), 2);
        List<Outcome> withoutMargin = behindAndAhead(Duration.ZERO, 2);

        assertThat(withMargin).noneMatch(Outcome.ReadingsGone.class::isInstance);
        assertThat(resolved(withMargin, "HORIZON_PASSED")).as("behind's first 299 readings, ahead's first 329")
                .isEqualTo(299 + 329);
        assertThat(resolved(withoutMargin, "EXPIRED")).as("the device behind's").isEqualTo(299);
        assertThat(withoutMargin).filteredOn(Outcome.ReadingsGone.class::isInstance)
                .allMatch(gone -> ((Outcome.ReadingsGone) gone).deviceId().equals("behind"));
    }

    /**
     * Six hours of readings a minute of "behind", each after one of "ahead", which starts three hours
     * later and moves {@code pace} minutes for each of behind's (horizon an hour, no grace).
     */
    private static List<Outcome> behindAndAhead(Duration margin, int pace) {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, Duration.ofHours(1).toMillis(), DriftlineConfig.LABEL_GRACE_MS, 0,
                DriftlineConfig.LABEL_PENDING_MARGIN_MS, margin.toMillis()));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState(config.pipeline().pendingRetention());
        List<Outcome> outcomes = new ArrayList<>();
        for (long minute = 0; minute < 6 * 60; minute++) {
            outcomes.addAll(core.apply("L", reading(reading("ahead", (180 + pace * minute) * 60)),
                    new InputMeta(T0, T0), state));
            outcomes.addAll(core.apply("L", reading(reading("behind", minute * 60)), new InputMeta(T0, T0), state));
        }
        return outcomes;
    }

    /**
     * A device that stops reporting for longer than readings are kept (66 minutes here, without a
     * margin) finds its waiting readings expired when it reports again: counted, reported for the
     * log, neither trained on nor scored, and no failure.
     */
    @Test
    void shouldCountTheWaitingReadingsOfADeviceSilentForTooLongAsExpiredAndNotTrainOnThem() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, Duration.ofHours(1).toMillis(), DriftlineConfig.LABEL_GRACE_MS, 0,
                DriftlineConfig.LABEL_PENDING_MARGIN_MS, 0));
        assertThat(config.pipeline().pendingRetention()).isEqualTo(Duration.ofMinutes(66));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState expiring = new InMemoryCoreState(config.pipeline().pendingRetention());
        InMemoryCoreState keeping = new InMemoryCoreState();

        List<Outcome> expired = backAfterASilence(core, expiring);
        List<Outcome> kept = backAfterASilence(core, keeping);

        assertThat(resolved(kept, "HORIZON_PASSED")).as("its horizon passed meanwhile").isEqualTo(10);
        assertThat(resolved(expired, "EXPIRED")).isEqualTo(10);
        assertThat(resolved(expired, "HORIZON_PASSED")).isZero();
        assertThat(expired).contains(new Outcome.ReadingsGone("quiet", 10, 0));
        assertThat(expiring.model("L").model().instancesTrained())
                .isEqualTo(keeping.model("L").model().instancesTrained() - 10);
        assertThat(expiring.model("L").model().snapshot().evaluation().instances())
                .isEqualTo(keeping.model("L").model().snapshot().evaluation().instances() - 10);
    }

    /** "quiet" reports for 10 minutes, then "busy" for 200; returns the outcomes of quiet's next reading. */
    private static List<Outcome> backAfterASilence(ModelCore core, InMemoryCoreState state) {
        for (long minute = 0; minute < 10; minute++) {
            core.apply("L", reading(reading("quiet", minute * 60)), new InputMeta(T0, T0), state);
        }
        for (long minute = 0; minute <= 200; minute++) {
            core.apply("L", reading(reading("busy", minute * 60)), new InputMeta(T0, T0), state);
        }
        return core.apply("L", reading(reading("quiet", 200 * 60)), new InputMeta(T0, T0), state);
    }

    private static long resolved(List<Outcome> outcomes, String cause) {
        return outcomes.stream().filter(o -> o instanceof Outcome.LabelResolved r && r.cause().equals(cause)).count();
    }

    @Test
    void shouldRefuseToResetAModelKeyThatHasNoModel() {
        ModelCore core = new ModelCore(new DriftlineConfig(Map.of()).pipeline());
        InMemoryCoreState state = new InMemoryCoreState();

        List<Outcome> outcomes = core.apply("typo", reset("typo"), new InputMeta(T0, T0), state);

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(Outcome.Rejected.Reason.UNKNOWN_MODEL));
        assertThat(state.models()).isEmpty();
    }

    /** Predictions of the model before a reset, labelled after it, train the new model but are not scored by it. */
    @Test
    void shouldNotScoreTheNewModelByPredictionsTheOldOneMade() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, 60_000, DriftlineConfig.LABEL_GRACE_MS, 0));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        for (int i = 0; i < 30; i++) {
            core.apply("L", reading(reading("pump-1", i)), new InputMeta(T0, T0), state);
        }
        assertThat(state.model("L").version()).isEqualTo(1);

        List<Outcome> reset = core.apply("L", reset("L"), new InputMeta(T0, T0), state);
        List<Outcome> after = new ArrayList<>();
        for (int i = 30; i < 100; i++) {
            after.addAll(core.apply("L", reading(reading("pump-1", i)), new InputMeta(T0, T0), state));
        }

        assertThat(reset).singleElement().satisfies(o -> assertThat(((Outcome.Alerted) o).alert().getVersion())
                .as("MODEL_RESET names the version it started").isEqualTo(2));
        assertThat(after).filteredOn(Outcome.Predicted.class::isInstance).hasSize(70)
                .allSatisfy(o -> assertThat(((Outcome.Predicted) o).prediction().getVersion()).isEqualTo(2));

        ModelState renewed = state.model("L");
        assertThat(renewed.version()).isEqualTo(2);
        // The horizon (60 s) passed for readings 0..38 by the last one at 99 s: all are trained on;
        // 30..38 were predicted by version 2 and are scored, 0..29 by version 1 and are not.
        assertThat(renewed.model().snapshot().evaluation().instances()).isEqualTo(9);
        assertThat(renewed.model().instancesTrained()).isEqualTo(39);
    }

    @Test
    void shouldDropADevicesStateCountedAndAlertedWhenItsMachineTypeChanges() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(DriftlineConfig.MODEL_SCOPE, "fleet"));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        for (int i = 0; i < 5; i++) {
            core.apply("fleet", reading(reading("pump-1", i)), new InputMeta(T0, T0), state);
        }
        SensorReading retyped = reading("pump-1", 5);
        retyped.setMachineType("M");

        List<Outcome> outcomes = core.apply("fleet", reading(retyped), new InputMeta(T0, T0), state);

        assertThat(outcomes).filteredOn(o -> o instanceof Outcome.LabelResolved r && r.cause().equals("DEVICE_MOVED"))
                .hasSize(5);
        assertThat(outcomes).filteredOn(Outcome.Alerted.class::isInstance)
                .extracting(o -> ((Outcome.Alerted) o).alert().getKind()).containsExactly(AlertKind.DEVICE_MOVED);
        assertThat(state.device("pump-1").machineType()).isEqualTo("M");
        assertThat(state.pendingCount()).isEqualTo(1);
    }

    @Test
    void shouldDropTheStateOfADeviceThatMovedToAnotherModel() {
        ModelCore core = new ModelCore(new DriftlineConfig(Map.of()).pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        for (int i = 0; i < 5; i++) {
            core.apply("L", reading(reading("pump-1", i)), new InputMeta(T0, T0), state);
        }
        ModelInput moved = ModelInput.newBuilder().setDeviceMoved(DeviceMoved.newBuilder().setDeviceId("pump-1")
                .setFromMachineType("L").setToMachineType("M").setToModelKey("M")
                .setMovedAt(Instant.ofEpochMilli(T0 + 6_000)).build()).build();

        List<Outcome> outcomes = core.apply("L", moved, new InputMeta(T0, T0), state);

        assertThat(outcomes).filteredOn(o -> o instanceof Outcome.LabelResolved r && r.cause().equals("DEVICE_MOVED"))
                .hasSize(5);
        assertThat(outcomes).filteredOn(Outcome.Alerted.class::isInstance).singleElement()
                .satisfies(o -> assertThat(((Outcome.Alerted) o).alert().getDetails()).containsEntry("toModelKey", "M"));
        assertThat(state.device("pump-1")).isNull();
        assertThat(state.pendingCount()).isZero();
    }

    /**
     * A device that moves to another model with an ANOMALY episode waiting for its verdict settles it
     * in the model it leaves: undecided (its failure, if any, is the new model's to count), neither
     * lost nor a false alarm; the machine time it watched since the last quarter-hour step counts too.
     */
    @Test
    void shouldSettleTheWaitingEpisodesOfADeviceThatMovesToAnotherModel() {
        ModelCore core = new ModelCore(anomalyAtOnce().pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        List<Outcome> outcomes = new ArrayList<>();
        for (int minute = 0; minute <= 20; minute++) {
            outcomes.addAll(core.apply("L", reading(reading("pump-1", 60L * minute)), new InputMeta(T0, T0), state));
        }
        long raised = anomalies(outcomes);
        assertThat(raised).as("ANOMALY episodes raised before the move").isPositive();
        ModelInput moved = ModelInput.newBuilder().setDeviceMoved(DeviceMoved.newBuilder().setDeviceId("pump-1")
                .setFromMachineType("L").setToMachineType("M").setToModelKey("M")
                .setMovedAt(Instant.ofEpochMilli(T0 + 21 * MINUTE)).build()).build();

        core.apply("L", moved, new InputMeta(T0, T0), state);

        assertThat(state.model("L").alertQuality()).singleElement().satisfies(figures -> {
            assertThat(figures.anomaly().undecided()).isEqualTo(raised);
            assertThat(figures.anomaly().falseAlarms() + figures.anomaly().trueAlarms()).isZero();
            assertThat(figures.machineDays()).isEqualTo(20.0 * MINUTE / DAY);
        });
    }

    /** The same when the device's machine type changes and its readings stay with the model (scope fleet). */
    @Test
    void shouldSettleTheWaitingEpisodesOfADeviceWhoseMachineTypeChangesWithinItsModel() {
        DriftlineConfig config = anomalyAtOnce().with(Map.of(DriftlineConfig.MODEL_SCOPE, "fleet"));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        List<Outcome> outcomes = new ArrayList<>();
        for (int minute = 0; minute <= 20; minute++) {
            outcomes.addAll(core.apply("fleet", reading(reading("pump-1", 60L * minute)), new InputMeta(T0, T0),
                    state));
        }
        long raised = anomalies(outcomes);
        SensorReading retyped = reading("pump-1", 60L * 21);
        retyped.setMachineType("M");

        core.apply("fleet", reading(retyped), new InputMeta(T0, T0), state);

        assertThat(state.model("fleet").alertQuality()).filteredOn(f -> f.machineType().equals("L")).singleElement()
                .satisfies(figures -> {
                    assertThat(figures.anomaly().undecided()).isEqualTo(raised);
                    assertThat(figures.machineDays()).isEqualTo(20.0 * MINUTE / DAY);
                });
    }

    /**
     * A reset starts a new version of the model key, not a new account of its alerts: what the alert
     * quality counted stays, and an episode raised before the reset is decided after it, once.
     */
    @Test
    void shouldKeepTheAlertQualityAcrossAResetAndDecideEpisodesRaisedBeforeItOnce() {
        ModelCore core = new ModelCore(anomalyAtOnce().pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        List<Outcome> outcomes = new ArrayList<>();
        // pump-1's episode (minute 0) outlives its one-hour horizon; pump-2's (minute 70) waits at the reset.
        for (int minute = 0; minute <= 75; minute++) {
            outcomes.addAll(core.apply("L", reading(reading("pump-1", 60L * minute)), new InputMeta(T0, T0), state));
            if (minute >= 70) {
                outcomes.addAll(core.apply("L", reading(reading("pump-2", 60L * minute)), new InputMeta(T0, T0),
                        state));
            }
        }
        EpisodeFigures before = state.model("L").alertQuality().get(0).anomaly();
        assertThat(before.falseAlarms()).as("pump-1's episodes decided before the reset").isPositive();
        double machineDaysBefore = state.model("L").alertQuality().get(0).machineDays();

        core.apply("L", reset("L"), new InputMeta(T0, T0), state);
        core.apply("L", maintenance("pump-2", MaintenanceKind.FAILURE, T0 + 80 * MINUTE), new InputMeta(T0, T0),
                state);

        AlertQualityFigures after = state.model("L").alertQuality().get(0);
        assertThat(state.model("L").version()).isEqualTo(2);
        assertThat(after.machineDays()).isEqualTo(machineDaysBefore);
        assertThat(after.failures()).isEqualTo(1);
        assertThat(after.anomaly().falseAlarms()).isEqualTo(before.falseAlarms());
        assertThat(after.anomaly().caught()).isEqualTo(1);
        assertThat(after.anomaly().trueAlarms()).isEqualTo(1);
        assertThat(after.anomaly().medianLeadMs()).isEqualTo(10.0 * MINUTE);
    }

    /**
     * A model built under another learner starts anew as the key's next version: its numbers go on
     * from the retired one's, its history and alert quality stay, and none of its versions, made under
     * the old settings, can serve again.
     */
    @Test
    void shouldNumberTheModelAfterASettingsChangeOnFromTheRetiredOneAndRestoreNoneOfItsVersions() {
        DriftlineConfig before = new DriftlineConfig(Map.of());
        DriftlineConfig after = before.with(Map.of(DriftlineConfig.LEARNER, "trees.HoeffdingAdaptiveTree"));
        ModelCore old = new ModelCore(before.pipeline());
        InMemoryCoreState written = new InMemoryCoreState();
        ModelLifecycleTest.feed(old, written, 0, 200);
        old.apply("L", ModelLifecycleTest.command(ModelAction.RESET, 1), new InputMeta(T0, T0), written);
        ModelLifecycleTest.feed(old, written, 200, 300);
        ModelState retired = written.model("L");
        assertThat(retired.versionHistory()).filteredOn(VersionInfo::restorable).extracting(VersionInfo::version)
                .containsExactly(1L);
        assertThat(retired.alertQuality()).isNotEmpty();
        CoreState restored = new Restored(written, before.pipeline(), after.pipeline());

        List<Outcome> outcomes = new ModelCore(after.pipeline()).apply("L", ModelLifecycleTest.rollback(1),
                new InputMeta(T0, T0), restored);

        String change = "settings changed: learner changed from 'trees.HoeffdingTree' to 'trees.HoeffdingAdaptiveTree'";
        assertThat(outcomes).filteredOn(Outcome.Alerted.class::isInstance).singleElement().satisfies(o -> {
            Alert alert = ((Outcome.Alerted) o).alert();
            assertThat(alert.getKind()).isEqualTo(AlertKind.MODEL_RESET);
            assertThat(alert.getDetails()).containsEntry("cause", change);
            assertThat(alert.getVersion()).as("the version it starts").isEqualTo(3);
        });
        assertThat(outcomes).filteredOn(Outcome.Rejected.class::isInstance).singleElement()
                .satisfies(o -> assertThat(((Outcome.Rejected) o).message()).contains("version 1 is not kept"));
        assertThat(outcomes).filteredOn(Outcome.StateReset.class::isInstance).singleElement()
                .satisfies(o -> assertThat(((Outcome.StateReset) o).bySettings()).isTrue());
        ModelState model = restored.model("L");
        assertThat(model.version()).isEqualTo(3);
        assertThat(model.model().championSpec()).isEqualTo("trees.HoeffdingAdaptiveTree");
        assertThat(model.model().instancesTrained()).isZero();
        List<VersionInfo> versions = model.versionHistory();
        assertThat(versions).extracting(VersionInfo::version, VersionInfo::reason, VersionInfo::learner,
                VersionInfo::restorable).containsExactly(
                        tuple(1L, "CREATED", "trees.HoeffdingTree", false),
                        tuple(2L, "RESET", "trees.HoeffdingTree", false),
                        tuple(3L, "RESET", "trees.HoeffdingAdaptiveTree", false));
        assertThat(versions.get(0).evaluation()).isEqualTo(retired.versionHistory().get(0).evaluation());
        assertThat(versions.get(1).evaluation()).as("not measured: its figures need its settings").isNull();
        assertThat(versions.get(2).detail()).isEqualTo(change);
        assertThat(versions.get(2).startedAt()).isEqualTo(Instant.ofEpochMilli(T0).toString());
        assertThat(model.alertQuality()).isEqualTo(retired.alertQuality());
    }

    /** ANOMALY episodes from the first reading on, that never clear: HSTrees scores every reading above 0.01. */
    private static DriftlineConfig anomalyAtOnce() {
        return new DriftlineConfig(Map.of()).with(Map.of(DriftlineConfig.ANOMALY_THRESHOLDS, "*:0.01:0.01:1",
                DriftlineConfig.ANOMALY_WARMUP, 0, DriftlineConfig.LABEL_HORIZON_MS, HOUR));
    }

    private static long anomalies(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o instanceof Outcome.Alerted a && a.alert().getKind() == AlertKind.ANOMALY)
                .count();
    }

    /**
     * rul.enabled: the regressor learns each reading's time to the FAILURE that labels it, and the
     * horizon for a reading whose horizon passed without one; a REPAIR censors; later predictions
     * carry the expected time to failure.
     */
    @Test
    void shouldLearnTheTimeToTheNextFailureFromMaintenanceEvents() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(DriftlineConfig.LABEL_HORIZON_MS, 10_000,
                DriftlineConfig.LABEL_GRACE_MS, 1_000, DriftlineConfig.RUL_ENABLED, true));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            outcomes.addAll(core.apply("L", reading(reading("pump-1", i)), new InputMeta(T0, T0), state));
        }
        outcomes.addAll(core.apply("L", maintenance("pump-1", MaintenanceKind.FAILURE, T0 + 25_000),
                new InputMeta(T0, T0), state));
        long targets = outcomes.stream().filter(o -> o instanceof Outcome.LabelResolved r
                && (r.cause().equals("FAILURE") || r.cause().equals("HORIZON_PASSED"))).count();
        assertThat(targets).isGreaterThanOrEqualTo(15);
        RegressionFigures figures = state.model("L").snapshot().remainingLife();
        assertThat(figures.instances()).isEqualTo(targets);
        assertThat(figures.mae()).isPositive();

        for (int i = 30; i < 35; i++) {
            core.apply("L", reading(reading("pump-1", i)), new InputMeta(T0, T0), state);
        }
        long beforeRepair = state.model("L").snapshot().remainingLife().instances();
        List<Outcome> repaired = core.apply("L", maintenance("pump-1", MaintenanceKind.REPAIR, T0 + 36_000),
                new InputMeta(T0, T0), state);
        assertThat(repaired).anyMatch(o -> o instanceof Outcome.LabelResolved r && r.cause().equals("REPAIR"));
        assertThat(state.model("L").snapshot().remainingLife().instances()).as("a repair censors")
                .isEqualTo(beforeRepair);

        List<Outcome> next = core.apply("L", reading(reading("pump-1", 40)), new InputMeta(T0, T0), state);
        assertThat(next).filteredOn(Outcome.Predicted.class::isInstance).singleElement()
                .satisfies(o -> assertThat(((Outcome.Predicted) o).prediction().getExpectedTimeToFailureMs())
                        .isBetween(0.0, 20_000.0));
    }

    /**
     * A MOA regression stream replayed with in-band targets: the published expected times to failure,
     * scored against the targets, and the model's own figures equal MOA's EvaluatePrequentialRegression.
     */
    @Test
    void shouldEqualMoasPrequentialRegressionWithInBandTargets() {
        String stream = "generators.HyperplaneGeneratorForRegression -i 3 -k 4";
        int instances = 5_000;
        DriftlineConfig config = Evaluation.configForRegression(new DriftlineConfig(Map.of()),
                MoaStreams.openRegression(stream), "trees.FIMTDD");
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        AtomicLong clock = new AtomicLong(T0);
        RegressionEvaluator published = new RegressionEvaluator();
        MoaReplay.regression(MoaStreams.openRegression(stream), instances, 1, "L", clock::incrementAndGet)
                .forEachRemaining(reading -> {
                    for (Outcome outcome : core.apply("fleet", reading(reading), new InputMeta(T0, T0), state)) {
                        if (outcome instanceof Outcome.Predicted predicted) {
                            published.add(reading.getTarget(), predicted.prediction().getExpectedTimeToFailureMs());
                        }
                    }
                });

        LearningCurve moa = MoaReference.evaluatePrequentialRegression(stream, "trees.FIMTDD", instances);
        RegressionFigures figures = published.figures();
        assertThat(figures.instances()).isEqualTo(instances);
        assertThat(figures.mae()).isEqualTo(MoaReference.last(moa, "mean absolute error"));
        assertThat(figures.rmse()).isEqualTo(MoaReference.last(moa, "root mean squared error"));
        assertThat(figures.r2()).isEqualTo(MoaReference.last(moa, "coefficient of determination"));
        assertThat(state.model("fleet").snapshot().remainingLife()).isEqualTo(figures);
        ModelStatus status = ModelStatuses.of("fleet", state.model("fleet"), Instant.ofEpochMilli(T0), 0);
        assertThat(List.of(status.getRulMae(), status.getRulRmse(), status.getRulR2()))
                .containsExactly(figures.mae(), figures.rmse(), figures.r2());
    }

    @Test
    void shouldPredictNoTimeToFailureWhenRulIsOff() {
        DriftlineConfig config = new DriftlineConfig(Map.of());
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        List<Outcome> outcomes = core.apply("L", reading(reading("pump-1", 0)), new InputMeta(T0, T0), state);
        assertThat(outcomes).filteredOn(Outcome.Predicted.class::isInstance).singleElement()
                .satisfies(o -> assertThat(((Outcome.Predicted) o).prediction().getExpectedTimeToFailureMs()).isNull());
        assertThat(state.model("L").snapshot().remainingLife()).isNull();
    }

    private static ModelInput reset(String modelKey) {
        return ModelInput.newBuilder().setCommand(ModelCommand.newBuilder().setModelKey(modelKey)
                .setAction(ModelAction.RESET).setRequestedBy("test").setReason("test")
                .setRequestedAt(Instant.ofEpochMilli(T0)).build()).build();
    }

    private static List<Outcome> apply(ModelCore core, DriftlineConfig config, ModelInput input, CoreState state) {
        String deviceId = input.getReading() != null ? input.getReading().getDeviceId()
                : input.getMaintenance().getDeviceId();
        String type = deviceId.substring(0, 1);
        long time = input.getReading() != null ? input.getReading().getEventTime().toEpochMilli()
                : input.getMaintenance().getEventTime().toEpochMilli();
        return core.apply(config.pipeline().scope().modelKey(deviceId, type), input, new InputMeta(time, time), state);
    }

    /** A simulated fleet's events, device ids prefixed with their machine type so that the key needs no lookup. */
    private static List<ModelInput> fleet(DriftlineConfig config, int events) {
        FleetSimulator fleet = new FleetSimulator(new FleetSimulator.Settings(30, 11, Instant.ofEpochMilli(T0),
                Duration.ofMinutes(1), 2.0, Duration.ofHours(2), Duration.ofHours(1), Scenario.NONE,
                Duration.ofDays(30), null));
        Map<String, String> types = new HashMap<>();
        List<ModelInput> inputs = new ArrayList<>(events);
        while (inputs.size() < events) {
            FleetSimulator.Event event = fleet.next();
            if (event instanceof FleetSimulator.Reading r) {
                SensorReading reading = r.reading();
                types.put(reading.getDeviceId(), reading.getMachineType());
                reading.setDeviceId(reading.getMachineType() + "-" + reading.getDeviceId());
                inputs.add(reading(reading));
            } else if (event instanceof FleetSimulator.Maintenance m && types.containsKey(m.deviceId())) {
                MaintenanceEvent maintenance = m.event();
                maintenance.setDeviceId(types.get(m.deviceId()) + "-" + m.deviceId());
                inputs.add(ModelInput.newBuilder().setMaintenance(maintenance).build());
            }
        }
        return inputs;
    }

    private static SensorReading reading(String deviceId, long second) {
        return SensorReading.newBuilder()
                .setDeviceId(deviceId)
                .setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(T0 + second * 1000))
                .setSequence(second)
                .setSensors(Map.of("temperature", 70.0 + second % 5, "vibration", 0.1 * (second % 3)))
                .build();
    }

    private static ModelInput reading(SensorReading reading) {
        return ModelInput.newBuilder().setReading(reading).build();
    }

    private static ModelInput maintenance(String deviceId, MaintenanceKind kind, long time) {
        return ModelInput.newBuilder().setMaintenance(MaintenanceEvent.newBuilder().setDeviceId(deviceId)
                .setKind(kind).setEventTime(Instant.ofEpochMilli(time)).build()).build();
    }

    /** Another instance's state after a restart: every model and device read back from its checkpoint bytes. */
    private static class Restored implements CoreState {
        private final Map<String, byte[]> models = new HashMap<>();
        private final Map<String, byte[]> devices = new HashMap<>();
        private final InMemoryCoreState live = new InMemoryCoreState();
        private final InMemoryCoreState pending;
        private final PipelineSettings settings;
        private final ModelCheckpoints codec;

        Restored(InMemoryCoreState before, PipelineSettings settings) {
            this(before, settings, settings);
        }

        /** Written by an instance running under {@code written}, read back by one under {@code settings}. */
        Restored(InMemoryCoreState before, PipelineSettings written, PipelineSettings settings) {
            this.settings = settings;
            this.codec = new ModelCheckpoints(settings);
            ModelCheckpoints writer = new ModelCheckpoints(written);
            before.models().forEach((key, model) -> models.put(key, writer.encode(model)));
            before.devices().forEach((key, device) -> devices.put(key, CheckpointCodec.encode(device)));
            pending = before;
        }

        @Override
        public ModelState model(String modelKey) {
            byte[] bytes = models.remove(modelKey);
            if (bytes != null) {
                live.putModel(modelKey, codec.decode(bytes));
            }
            return live.model(modelKey);
        }

        @Override
        public void putModel(String modelKey, ModelState model) {
            models.remove(modelKey);
            live.putModel(modelKey, model);
        }

        @Override
        public void modelChanged(String modelKey) {
        }

        @Override
        public DeviceState device(String deviceId) {
            byte[] bytes = devices.remove(deviceId);
            if (bytes != null) {
                live.putDevice(deviceId, CheckpointCodec.decodeDevice(bytes, settings.labels(), settings.featureWindow()));
            }
            return live.device(deviceId);
        }

        @Override
        public void putDevice(String deviceId, DeviceState device) {
            devices.remove(deviceId);
            live.putDevice(deviceId, device);
        }

        @Override
        public void removeDevice(String deviceId) {
            devices.remove(deviceId);
            live.removeDevice(deviceId);
        }

        @Override
        public void deviceChanged(String deviceId) {
        }

        @Override
        public PendingId putPending(String deviceId, PendingId id, long time, PendingReading reading) {
            return pending.putPending(deviceId, id, time, reading);
        }

        @Override
        public PendingLookup takePending(String deviceId, PendingId id, long time) {
            return pending.takePending(deviceId, id, time);
        }

        @Override
        public void dropPending(String deviceId) {
            pending.dropPending(deviceId);
        }

        @Override
        public void putImportPart(String modelKey, int part, ImportPart value) {
            pending.putImportPart(modelKey, part, value);
        }

        @Override
        public ImportPart importPart(String modelKey, int part) {
            return pending.importPart(modelKey, part);
        }

        @Override
        public void dropImportParts(String modelKey) {
            pending.dropImportParts(modelKey);
        }
    }
}
