package io.driftline.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.app.Evaluation;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelInput;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.MoaStreams;
import io.driftline.sim.MoaReplay;
import io.driftline.state.ModelCheckpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * model.max.bytes bounds every learner a model holds, each on its own, through the core: a tree
 * challenger stops growing, a challenger that cannot stop and the remaining-life regressor start
 * afresh, each alert names the learner, the champion predicts as if they were not there, and a
 * model restored from its snapshot mid-stream bounds them at the same instances.
 */
class LearnerBoundsTest {

    private static final String RBF = "generators.RandomRBFGenerator -a 10 -c 2";
    private static final int READINGS = 40_000;
    private static final int RESTORED_AT = 12_000;
    private static final String MAX_BYTES = "30000";

    private static Run uninterrupted;

    /** The outcomes of one run: predictions and alerts, in order. */
    private record Run(List<String> predictions, List<Alert> alerts, InMemoryCoreState state) {
    }

    @BeforeAll
    static void runUninterrupted() {
        uninterrupted = run(config("trees.HoeffdingTree,trees.HoeffdingAdaptiveTree", "true"), -1);
    }

    @Test
    void shouldBoundEachLearnerOnItsOwnAndNameItInItsAlert() {
        List<Alert> alerts = uninterrupted.alerts();

        assertThat(alerts).filteredOn(alert -> alert.getKind() == AlertKind.MODEL_CAPPED).singleElement()
                .satisfies(alert -> {
                    assertThat(alert.getDetails()).containsEntry("learner", "CHALLENGER")
                            .containsEntry("spec", "trees.HoeffdingTree").containsEntry("action", "STOPPED_GROWING")
                            .containsEntry("maxBytes", MAX_BYTES);
                    assertThat(alert.getMessage()).startsWith("The challenger trees.HoeffdingTree of model fleet reached ")
                            .endsWith("it stops growing (no more splits; its leaves keep learning)");
                });
        List<Alert> resets = alerts.stream().filter(alert -> alert.getKind() == AlertKind.MODEL_RESET).toList();
        assertThat(resets).filteredOn(alert -> alert.getDetails().get("learner").equals("CHALLENGER"))
                .isNotEmpty()
                .allSatisfy(alert -> {
                    assertThat(alert.getDetails()).containsEntry("spec", "trees.HoeffdingAdaptiveTree")
                            .containsEntry("action", "RESET");
                    assertThat(alert.getMessage()).startsWith("The challenger trees.HoeffdingAdaptiveTree of model fleet")
                            .endsWith("it starts afresh, its evaluation too; the champion is unchanged");
                });
        assertThat(resets).filteredOn(alert -> alert.getDetails().get("learner").equals("REMAINING_LIFE"))
                .isNotEmpty()
                .allSatisfy(alert -> {
                    assertThat(alert.getDetails()).containsEntry("spec", "trees.FIMTDD");
                    assertThat(alert.getMessage()).contains("remaining-life regressor trees.FIMTDD")
                            .endsWith("(its regression figures go on)");
                });
        assertThat(alerts).extracting(alert -> alert.getDetails().get("learner")).doesNotContain("CHAMPION");
        assertThat(alerts).extracting(Alert::getAlertId).doesNotHaveDuplicates();
    }

    /** The champion's predictions and evaluation are those of a model with neither challengers nor regressor. */
    @Test
    void shouldLeaveTheChampionAsIfTheBoundedLearnersWereNotThere() {
        Run alone = run(config("", "false"), -1);

        assertThat(uninterrupted.predictions()).isEqualTo(alone.predictions());
        assertThat(uninterrupted.state().model("fleet").snapshot().evaluation().kappa())
                .isEqualTo(alone.state().model("fleet").snapshot().evaluation().kappa());
        assertThat(uninterrupted.state().model("fleet").snapshot().evaluation().instances()).isEqualTo(READINGS);
    }

    @Test
    void shouldBoundARestoredModelAtTheSameInstancesAsAnUninterruptedOne() {
        Run restored = run(config("trees.HoeffdingTree,trees.HoeffdingAdaptiveTree", "true"), RESTORED_AT);

        assertThat(uninterrupted.alerts()).as("bounds after the restore")
                .anyMatch(alert -> alert.getKind() == AlertKind.MODEL_CAPPED
                        && Long.parseLong(alert.getDetails().get("instancesTrained")) > RESTORED_AT)
                .anyMatch(alert -> alert.getKind() == AlertKind.MODEL_RESET
                        && alert.getDetails().get("learner").equals("CHALLENGER")
                        && Long.parseLong(alert.getDetails().get("instancesTrained")) > RESTORED_AT);
        assertThat(restored.alerts()).isEqualTo(uninterrupted.alerts());
        assertThat(restored.predictions()).isEqualTo(uninterrupted.predictions());
    }

    private static DriftlineConfig config(String challengers, String remainingLife) {
        return Evaluation.configFor(new DriftlineConfig(Map.of(
                DriftlineConfig.MODEL_MAX_BYTES, MAX_BYTES,
                DriftlineConfig.CHALLENGERS, challengers,
                DriftlineConfig.PROMOTION_METRIC, "none",
                DriftlineConfig.RUL_ENABLED, remainingLife,
                DriftlineConfig.RUL_LEARNER, "trees.FIMTDD",
                DriftlineConfig.ANOMALY_ENABLED, "false")),
                MoaStreams.open(RBF), "bayes.NaiveBayes", "none");
    }

    /**
     * The RBF stream's readings, labelled in band, each with a remaining-life target made of its
     * sensors; the model is encoded and decoded through {@link ModelCheckpoints} before reading
     * {@code restoreAt} (never when negative).
     */
    private static Run run(DriftlineConfig config, int restoreAt) {
        ModelCore core = new ModelCore(config.pipeline());
        ModelCheckpoints checkpoints = new ModelCheckpoints(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        AtomicLong clock = new AtomicLong(TrainedModels.T0);
        List<String> predictions = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        MoaReplay readings = new MoaReplay(MoaStreams.open(RBF), READINGS, 7, "L", clock::incrementAndGet);
        for (int i = 0; readings.hasNext(); i++) {
            if (i == restoreAt) {
                state.putModel("fleet", checkpoints.decode(checkpoints.encode(state.model("fleet"))));
            }
            SensorReading reading = readings.next();
            double target = new TreeMap<>(reading.getSensors()).values().stream().mapToDouble(Double::doubleValue).sum()
                    * 3_600_000;
            reading.setTarget(target);
            for (Outcome outcome : core.apply("fleet", ModelInput.newBuilder().setReading(reading).build(),
                    new InputMeta(clock.get(), clock.get()), state)) {
                if (outcome instanceof Outcome.Alerted alerted) {
                    alerts.add(alerted.alert());
                } else if (outcome instanceof Outcome.Predicted predicted) {
                    predictions.add(predicted.prediction().getPredictedClass() + "@"
                            + predicted.prediction().getFailureProbability());
                }
            }
        }
        return new Run(predictions, alerts, state);
    }
}
