package io.driftline.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.driftline.app.Evaluation;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.ModelStatus;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.FeatureSpace;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaReference;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.ModelSnapshot;
import io.driftline.learn.OnlineModel;
import io.driftline.sim.MoaReplay;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import io.driftline.state.ModelVersions.VersionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import moa.classifiers.Classifier;
import moa.core.InstanceExample;
import moa.core.Measurement;
import moa.evaluation.BasicClassificationPerformanceEvaluator;
import moa.evaluation.preview.LearningCurve;
import org.junit.jupiter.api.Test;

/** A model key's versions, challengers, promotions and rollbacks, in the core without Kafka. */
class ModelLifecycleTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final String SEA = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 2000 -w 1";

    @Test
    void shouldStartANewVersionAtCreationAndResetButNotWhileLearning() {
        DriftlineConfig config = new DriftlineConfig(Map.of());
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        feed(core, state, 0, 500);

        List<VersionInfo> first = state.model("L").versionHistory();
        assertThat(first).singleElement().satisfies(v -> {
            assertThat(v.version()).isEqualTo(1);
            assertThat(v.reason()).isEqualTo("CREATED");
            assertThat(v.startedAt()).isEqualTo(Instant.ofEpochMilli(T0).toString());
            assertThat(v.serving()).isTrue();
            assertThat(v.evaluation().instances()).isEqualTo(500);
        });

        core.apply("L", command(ModelAction.RESET, 7), new InputMeta(T0, T0), state);
        feed(core, state, 500, 800);

        List<VersionInfo> versions = state.model("L").versionHistory();
        assertThat(versions).extracting(VersionInfo::version).containsExactly(1L, 2L);
        assertThat(versions.get(0)).satisfies(v -> {
            assertThat(v.serving()).isFalse();
            assertThat(v.restorable()).isTrue();
            assertThat(v.frozenBytes()).isPositive();
            assertThat(v.evaluation().instances()).as("its figures when it was retired").isEqualTo(500);
        });
        assertThat(versions.get(1)).satisfies(v -> {
            assertThat(v.reason()).isEqualTo("RESET");
            assertThat(v.detail()).isEqualTo("by test: because 7");
            assertThat(v.startedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 7).toString());
            assertThat(v.evaluation().instances()).isEqualTo(300);
        });
    }

    @Test
    void shouldKeepOnlyTheLastKeptVersionsRestorableAndTheirHistoryThroughACheckpoint() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(DriftlineConfig.VERSIONS_KEPT, 2));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        for (int i = 0; i < 4; i++) {
            feed(core, state, i * 100, i * 100 + 100);
            core.apply("L", command(ModelAction.RESET, i), new InputMeta(T0, T0), state);
        }

        ModelState live = state.model("L");
        assertThat(live.version()).isEqualTo(5);
        assertThat(live.versionHistory()).extracting(VersionInfo::version).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(live.versionHistory()).filteredOn(VersionInfo::restorable).extracting(VersionInfo::version)
                .containsExactly(3L, 4L);

        ModelCheckpoints codec = new ModelCheckpoints(config.pipeline());
        ModelState restored = codec.decode(codec.encode(live));
        assertThat(restored.versionHistory()).isEqualTo(live.versionHistory());
    }

    /** Challengers learn and are scored exactly as lone MOA learners of their spec on the same stream. */
    @Test
    void shouldTrainAndScoreEachChallengerExactlyAsMoaDoesALoneLearnerOfItsSpec() {
        int instances = 5_000;
        List<String> challengers = List.of("bayes.NaiveBayes", "trees.HoeffdingAdaptiveTree");
        DriftlineConfig config = seaConfig("trees.HoeffdingTree", challengers, "none", 0, 1);
        InMemoryCoreState state = new InMemoryCoreState();
        List<Outcome> outcomes = replaySea(config, instances, state);

        ModelSnapshot model = state.model("fleet").snapshot();
        assertThat(model.learner()).isEqualTo("trees.HoeffdingTree");
        assertSameFigures(model.evaluation(), MoaReference.evaluatePrequential(SEA, "trees.HoeffdingTree", instances));
        assertThat(model.challengers()).extracting(ModelSnapshot.ChallengerSnapshot::learner)
                .containsExactlyElementsOf(challengers);
        for (ModelSnapshot.ChallengerSnapshot challenger : model.challengers()) {
            assertThat(challenger.instancesTrained()).isEqualTo(instances);
            assertSameFigures(challenger.evaluation(),
                    MoaReference.evaluatePrequential(SEA, challenger.learner(), instances));
        }
        assertThat(outcomes).filteredOn(o -> o instanceof Outcome.Alerted alerted
                && alerted.alert().getKind() == AlertKind.MODEL_PROMOTED).isEmpty();
        ModelStatus status = ModelStatuses.of("fleet", state.model("fleet"), Instant.EPOCH, 0);
        assertThat(status.getChallengers()).extracting(c -> c.getKappa())
                .containsExactly(model.challengers().get(0).evaluation().kappa(),
                        model.challengers().get(1).evaluation().kappa());
    }

    /**
     * The rule promotes at the first labelled reading at which the challenger leads by more than the
     * margin with both scored on the minimum: computed here with MOA's learners and evaluators alone.
     */
    @Test
    void shouldPromoteAChallengerWhenTheRuleSaysAndNotBefore() {
        int instances = 6_000;
        double margin = 2.0;
        int minLabelled = 1_000;
        DriftlineConfig config = seaConfig("trees.HoeffdingTree", List.of("bayes.NaiveBayes"), "kappa", margin,
                minLabelled);
        Expected expected = firstLead(SEA, "trees.HoeffdingTree", "bayes.NaiveBayes", margin, minLabelled, instances);
        assertThat(expected.at()).as("the lead comes well after the minimum").isGreaterThan(2 * minLabelled);

        InMemoryCoreState state = new InMemoryCoreState();
        List<Outcome> outcomes = replaySea(config, instances, state);

        List<Alert> promotions = outcomes.stream().filter(Outcome.Alerted.class::isInstance)
                .map(o -> ((Outcome.Alerted) o).alert()).filter(a -> a.getKind() == AlertKind.MODEL_PROMOTED).toList();
        assertThat(promotions).isNotEmpty();
        Alert first = promotions.get(0);
        assertThat(first.getDetails()).containsEntry("from", "trees.HoeffdingTree").containsEntry("to", "bayes.NaiveBayes")
                .containsEntry("labelled", Long.toString(expected.at()))
                .containsEntry("championFigure", Double.toString(expected.champion()))
                .containsEntry("challengerFigure", Double.toString(expected.challenger()));
        assertThat(first.getVersion()).isEqualTo(2);
        List<Prediction> predictions = outcomes.stream().filter(Outcome.Predicted.class::isInstance)
                .map(o -> ((Outcome.Predicted) o).prediction()).toList();
        assertThat(predictions.get((int) expected.at() - 1).getVersion()).isEqualTo(1);
        assertThat(predictions.get((int) expected.at()).getVersion()).isEqualTo(2);
        assertThat(state.model("fleet").versionHistory().get(1).reason()).isEqualTo("PROMOTED");
    }

    /**
     * Predictions waiting for their delayed label when a challenger is promoted are scored against the
     * learner that made each: the run with a promotion ends with the champion's and challenger's
     * evaluations swapped, to the last count, against the same run without one.
     */
    @Test
    void shouldScoreAPendingPredictionAgainstTheLearnerThatMadeItAcrossAPromotion() {
        DriftlineConfig config = new DriftlineConfig(Map.of()).with(Map.of(
                DriftlineConfig.LABEL_HORIZON_MS, 60_000, DriftlineConfig.LABEL_GRACE_MS, 0,
                DriftlineConfig.ADAPTATION, "none", DriftlineConfig.CHALLENGERS, "bayes.NaiveBayes",
                DriftlineConfig.PROMOTION_METRIC, "none"));
        List<ModelInput> inputs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            inputs.add(unlabelled(i));
            if (i % 50 == 49) {
                inputs.add(failure(i));
            }
        }
        InMemoryCoreState kept = new InMemoryCoreState();
        outcomes(new ModelCore(config.pipeline()), kept, inputs);
        InMemoryCoreState promoted = new InMemoryCoreState();
        ModelCore core = new ModelCore(config.pipeline());
        outcomes(core, promoted, inputs.subList(0, 300));
        long pending = promoted.model("L").model().deferredScores() + promoted.devices().values().stream()
                .mapToLong(device -> device.labeler().pendingCount()).sum();
        List<Outcome> promotion = outcomes(core, promoted, List.of(promote("bayes.NaiveBayes")));
        outcomes(core, promoted, inputs.subList(300, inputs.size()));

        assertThat(pending).as("predictions waiting for their label at the promotion").isPositive();
        assertThat(promotion).singleElement().satisfies(o -> assertThat(((Outcome.Alerted) o).alert().getKind())
                .isEqualTo(AlertKind.MODEL_PROMOTED));
        ModelSnapshot without = kept.model("L").snapshot();
        ModelSnapshot with = promoted.model("L").snapshot();
        assertThat(with.learner()).isEqualTo("bayes.NaiveBayes");
        assertThat(with.challengers()).singleElement().satisfies(c -> assertThat(c.learner())
                .isEqualTo("trees.HoeffdingTree"));
        assertSameCounts(with.evaluation(), without.challengers().get(0).evaluation());
        assertSameCounts(with.challengers().get(0).evaluation(), without.evaluation());
        assertThat(with.evaluation().instances()).isGreaterThan(500);
    }

    @Test
    void shouldRefuseToPromoteALearnerThatIsNoChallengerAndToRollBackToAVersionNotKept() {
        DriftlineConfig config = new DriftlineConfig(Map.of());
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        feed(core, state, 0, 100);

        List<Outcome> refused = outcomes(core, state, List.of(promote("bayes.NaiveBayes"), rollback(1)));

        assertThat(refused).hasSize(2).allSatisfy(o -> assertThat(((Outcome.Rejected) o).reason())
                .isEqualTo(Outcome.Rejected.Reason.NOT_APPLICABLE));
        assertThat(state.model("L").version()).isEqualTo(1);
    }

    /** A rollback makes the kept version serve again as it was retired: it predicts as that version would have. */
    @Test
    void shouldRollBackToAKeptVersionThatThenPredictsAsItWouldHave() {
        // Without rolling features, which the devices keep across versions: the twin's devices miss readings.
        DriftlineConfig config = new DriftlineConfig(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:0"));
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        InMemoryCoreState twin = new InMemoryCoreState();
        feed(core, state, 0, 400);
        feed(core, twin, 0, 400);
        core.apply("L", command(ModelAction.RESET, 1), new InputMeta(T0, T0), state);
        feed(core, state, 400, 500);

        List<Outcome> rolledBack = outcomes(core, state, List.of(rollback(1)));
        List<Outcome> after = outcomes(core, state, readings(500, 900));
        List<Outcome> expected = outcomes(core, twin, readings(500, 900));

        assertThat(rolledBack).singleElement().satisfies(o -> {
            Alert alert = ((Outcome.Alerted) o).alert();
            assertThat(alert.getKind()).isEqualTo(AlertKind.MODEL_ROLLED_BACK);
            assertThat(alert.getVersion()).isEqualTo(3);
        });
        assertThat(probabilities(after)).isEqualTo(probabilities(expected)).hasSize(400);
        assertThat(state.model("L").versionHistory()).extracting(VersionInfo::reason)
                .containsExactly("CREATED", "RESET", "ROLLED_BACK");
        assertThat(state.model("L").snapshot().evaluation().instances()).isEqualTo(800);
    }

    private static List<Double> probabilities(List<Outcome> outcomes) {
        return outcomes.stream().filter(Outcome.Predicted.class::isInstance)
                .map(o -> ((Outcome.Predicted) o).prediction().getFailureProbability()).toList();
    }

    private static List<ModelInput> readings(int from, int to) {
        List<ModelInput> inputs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            inputs.add(reading(i));
        }
        return inputs;
    }

    private static void assertSameFigures(EvaluationSnapshot ours, LearningCurve moa) {
        assertThat(ours.accuracy()).isEqualTo(MoaReference.last(moa, "classifications correct (percent)"));
        assertThat(ours.kappa()).isEqualTo(MoaReference.last(moa, "Kappa Statistic (percent)"));
    }

    private static void assertSameCounts(EvaluationSnapshot actual, EvaluationSnapshot expected) {
        assertThat(actual.instances()).isEqualTo(expected.instances());
        assertThat(actual.confusion()).isDeepEqualTo(expected.confusion());
        assertThat(actual.kappa()).isEqualTo(expected.kappa());
    }

    private record Expected(long at, double champion, double challenger) {
    }

    /** With MOA alone: the first labelled reading after which {@code challenger}'s kappa leads {@code champion}'s by more than {@code margin}. */
    private static Expected firstLead(String stream, String champion, String challenger, double margin, int minLabelled,
                                      int instances) {
        MoaStreams.Source source = MoaStreams.open(stream);
        InstancesHeader header = new FeatureSpace(source.features(), source.classes()).header();
        Classifier[] learners = {OnlineModel.newLearner(champion), OnlineModel.newLearner(challenger)};
        BasicClassificationPerformanceEvaluator[] evaluators = {new BasicClassificationPerformanceEvaluator(),
                new BasicClassificationPerformanceEvaluator()};
        for (int l = 0; l < 2; l++) {
            learners[l].setModelContext(header);
            evaluators[l].prepareForUse();
        }
        FeatureSpace space = new FeatureSpace(source.features(), source.classes());
        for (int i = 1; i <= instances; i++) {
            LabelledObservation next = source.next();
            Instance instance = space.toInstance(next.observation(), source.classes().indexOf(next.label()));
            double[] kappa = new double[2];
            for (int l = 0; l < 2; l++) {
                evaluators[l].addResult(new InstanceExample(instance), learners[l].getVotesForInstance(instance));
                learners[l].trainOnInstance(instance);
                kappa[l] = kappa(evaluators[l]);
            }
            if (i >= minLabelled && kappa[1] > kappa[0] + margin) {
                return new Expected(i, kappa[0], kappa[1]);
            }
        }
        throw new AssertionError("no lead in " + instances + " instances");
    }

    private static double kappa(BasicClassificationPerformanceEvaluator evaluator) {
        for (Measurement measurement : evaluator.getPerformanceMeasurements()) {
            if (measurement.getName().equals("Kappa Statistic (percent)")) {
                return measurement.getValue();
            }
        }
        throw new IllegalStateException("no kappa");
    }

    private static DriftlineConfig seaConfig(String learner, List<String> challengers, String metric, double margin,
                                             int minLabelled) {
        MoaStreams.Source source = MoaStreams.open(SEA);
        return Evaluation.configFor(new DriftlineConfig(Map.of()), source, learner, "none").with(Map.of(
                DriftlineConfig.CHALLENGERS, String.join(",", challengers),
                DriftlineConfig.PROMOTION_METRIC, metric,
                DriftlineConfig.PROMOTION_MARGIN, margin,
                DriftlineConfig.PROMOTION_MIN_LABELLED, minLabelled));
    }

    private static List<Outcome> replaySea(DriftlineConfig config, int instances, InMemoryCoreState state) {
        ModelCore core = new ModelCore(config.pipeline());
        AtomicLong clock = new AtomicLong(T0);
        List<Outcome> outcomes = new ArrayList<>();
        new MoaReplay(MoaStreams.open(SEA), instances, 7, "L", clock::incrementAndGet).forEachRemaining(reading ->
                outcomes.addAll(core.apply("fleet", ModelInput.newBuilder().setReading(reading).build(),
                        new InputMeta(clock.get(), clock.get()), state)));
        return outcomes;
    }

    private static ModelInput unlabelled(long i) {
        ModelInput input = reading(i);
        input.getReading().setLabel(null);
        input.getReading().setDeviceId("pump-1");
        return input;
    }

    private static ModelInput failure(long i) {
        return ModelInput.newBuilder().setMaintenance(MaintenanceEvent.newBuilder().setDeviceId("pump-1")
                .setKind(MaintenanceKind.FAILURE).setEventTime(Instant.ofEpochMilli(T0 + i * 1000 + 500)).build())
                .build();
    }

    static ModelInput promote(String learner) {
        ModelInput input = command(ModelAction.PROMOTE, 0);
        input.getCommand().setLearner(learner);
        return input;
    }

    static ModelInput rollback(long version) {
        ModelInput input = command(ModelAction.ROLLBACK, 0);
        input.getCommand().setVersion(version);
        return input;
    }

    static void feed(ModelCore core, InMemoryCoreState state, int from, int to) {
        for (int i = from; i < to; i++) {
            core.apply("L", reading(i), new InputMeta(T0, T0), state);
        }
    }

    /** Readings labelled in band: failure when hot and vibrating, with a little noise from the sequence. */
    static ModelInput reading(long i) {
        return TrainedModels.reading(i, true);
    }

    static ModelInput command(ModelAction action, long at) {
        return ModelInput.newBuilder().setCommand(ModelCommand.newBuilder().setModelKey("L")
                .setAction(action).setRequestedBy("test").setReason("because " + at)
                .setRequestedAt(Instant.ofEpochMilli(T0 + at)).build()).build();
    }

    static List<Outcome> outcomes(ModelCore core, InMemoryCoreState state, List<ModelInput> inputs) {
        List<Outcome> outcomes = new ArrayList<>();
        inputs.forEach(input -> outcomes.addAll(core.apply("L", input, new InputMeta(T0, T0), state)));
        return outcomes;
    }
}
