package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.yahoo.labs.samoa.instances.Instance;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import moa.classifiers.trees.HoeffdingTree;
import moa.core.SizeOf;
import moa.streams.generators.RandomRBFGenerator;
import org.junit.jupiter.api.Test;

/**
 * A model's size is visible without MOA's sizeofag agent, and {@code model.max.bytes} bounds it,
 * because MOA's own memory limit never fires without that agent.
 */
class ModelSizeTest {

    private static final String RBF = "generators.RandomRBFGenerator -a 10 -c 2";

    /**
     * The Hoeffding tree's {@code -m} (maxByteSize) is enforced from {@code measureByteSize()} and
     * {@code SizeOf}, which return -1 without the agent (this classpath has none, as Driftline's): a
     * tree limited to one byte, its estimate refreshed every 1,000 instances, grows exactly as an
     * unlimited one.
     */
    @Test
    void shouldNeverFireHoeffdingTreesOwnMemoryLimitWithoutTheSizeofagAgent() {
        RandomRBFGenerator stream = new RandomRBFGenerator();
        stream.numAttsOption.setValue(10);
        stream.prepareForUse();
        HoeffdingTree limited = (HoeffdingTree) OnlineModel.newLearner("trees.HoeffdingTree -m 1 -e 1000");
        HoeffdingTree unlimited = (HoeffdingTree) OnlineModel.newLearner("trees.HoeffdingTree -e 1000");
        limited.setModelContext(stream.getHeader());
        unlimited.setModelContext(stream.getHeader());
        for (int i = 0; i < 100_000; i++) {
            Instance instance = stream.nextInstance().getData();
            assertThat(limited.getVotesForInstance(instance)).as("votes at instance %d", i)
                    .containsExactly(unlimited.getVotesForInstance(instance));
            limited.trainOnInstance(instance);
            unlimited.trainOnInstance(instance);
        }

        assertThat(SizeOf.fullSizeOf(limited)).as("MOA's measure without the agent").isEqualTo(-1);
        assertThat(limited.measureByteSize()).isNegative();
        assertThat(unlimited.getNodeCount()).as("the tree grew").isGreaterThan(20);
        assertThat(limited.getNodeCount()).as("a 1-byte limit changed nothing").isEqualTo(unlimited.getNodeCount());
    }

    @Test
    void shouldKeepTheMeasuredSizeWithinAnEighthOfTheModelsGrowthOfItsSerialisation() {
        MoaStreams.Source source = MoaStreams.open(RBF);
        OnlineModel model = OnlineModel.create(settings(source, "trees.HoeffdingTree", 0));
        long initial = model.sizeBytes();
        assertThat(initial).isEqualTo(SerialisedSize.of(model));
        for (int trained = 1; trained <= 200_000; trained++) {
            learn(model, source.next());
            if (trained % 25_000 == 0) {
                long actual = SerialisedSize.of(model);
                assertThat(model.sizeBytes()).as("after %d instances", trained)
                        .isLessThanOrEqualTo(actual).isGreaterThanOrEqualTo(actual * 7 / 8);
            }
        }
        assertThat(model.sizeBytes()).as("the tree grew").isGreaterThan(5 * initial);
    }

    @Test
    void shouldStopAHoeffdingTreeFromGrowingOnceItsMeasuredSizePassesTheBound() {
        long bound = 150_000;
        MoaStreams.Source source = MoaStreams.open(RBF);
        OnlineModel model = OnlineModel.create(settings(source, "trees.HoeffdingTree", bound));
        List<SizeCapped> caps = new ArrayList<>();
        int trained = 0;
        while (caps.isEmpty() && trained < 500_000) {
            learn(model, source.next());
            trained++;
            caps.addAll(model.takeSizeCaps());
        }
        assertThat(caps).singleElement().satisfies(cap -> {
            assertThat(cap.action()).isEqualTo(SizeCapped.Action.STOPPED_GROWING);
            assertThat(cap.learnerBytes()).isGreaterThan(bound).isLessThan(bound * 3 / 2);
            assertThat(cap.maxBytes()).isEqualTo(bound);
        });
        assertThat(model.growthStopped()).isTrue();
        assertThat(model.snapshot().growthStopped()).isTrue();
        int nodes = ((HoeffdingTree) learner(model)).getNodeCount();

        for (int i = 0; i < 100_000; i++) {
            learn(model, source.next());
            assertThat(model.takeSizeCaps()).isEmpty();
        }
        assertThat(((HoeffdingTree) learner(model)).getNodeCount()).as("no more splits").isEqualTo(nodes);
        assertThat(SerialisedSize.of((java.io.Serializable) learner(model))).as("the leaves learn in place")
                .isLessThan(bound * 3 / 2);
    }

    @Test
    void shouldStartALearnerThatCannotStopGrowingAfresh() {
        long bound = 100_000;
        MoaStreams.Source source = MoaStreams.open(RBF);
        OnlineModel model = OnlineModel.create(settings(source, "lazy.kNN -k 5 -w 5000", bound));
        List<SizeCapped> caps = new ArrayList<>();
        for (int i = 0; i < 5_000 && caps.isEmpty(); i++) {
            learn(model, source.next());
            caps.addAll(model.takeSizeCaps());
        }

        assertThat(caps).singleElement().satisfies(cap -> {
            assertThat(cap.action()).isEqualTo(SizeCapped.Action.RESET);
            assertThat(cap.learnerBytes()).isGreaterThan(bound);
        });
        assertThat(model.growthStopped()).isFalse();
        assertThat(SerialisedSize.of((java.io.Serializable) learner(model))).as("the learner after the reset")
                .isLessThan(bound / 10);
    }

    /**
     * A Hoeffding tree challenger is bounded on its own schedule: it stops growing at one of its
     * scheduled measurements, the alert names it, and the champion predicts exactly as one without it.
     * Promoted, it stays stopped, without a second alert.
     */
    @Test
    void shouldStopATreeChallengerAtAScheduledMeasurementAndLeaveTheChampionAlone() {
        long bound = 60_000;
        MoaStreams.Source source = MoaStreams.open(RBF);
        MoaStreams.Source same = MoaStreams.open(RBF);
        OnlineModel model = OnlineModel.create(settings(source, "bayes.NaiveBayes", bound, "trees.HoeffdingTree"));
        OnlineModel alone = OnlineModel.create(settings(same, "bayes.NaiveBayes", bound));
        List<SizeCapped> caps = new ArrayList<>();
        int trained = 0;
        while (caps.isEmpty() && trained < 200_000) {
            assertThat(served(model, source.next())).as("champion at %d", trained).isEqualTo(served(alone, same.next()));
            caps.addAll(model.takeSizeCaps());
            trained++;
        }

        assertThat(caps).singleElement().satisfies(cap -> {
            assertThat(cap.role()).isEqualTo(SizeCapped.Role.CHALLENGER);
            assertThat(cap.spec()).isEqualTo("trees.HoeffdingTree");
            assertThat(cap.action()).isEqualTo(SizeCapped.Action.STOPPED_GROWING);
            assertThat(cap.learnerBytes()).isGreaterThan(bound);
            assertThat(scheduled(cap.instancesTrained())).as("measured at %d", cap.instancesTrained()).isTrue();
        });
        HoeffdingTree tree = (HoeffdingTree) challengers(model).get(0).learner();
        int nodes = tree.getNodeCount();
        for (int i = 0; i < 20_000; i++) {
            assertThat(served(model, source.next())).isEqualTo(served(alone, same.next()));
            assertThat(model.takeSizeCaps()).as("stopped once").isEmpty();
        }
        assertThat(tree.getNodeCount()).as("no more splits").isEqualTo(nodes);
        assertThat(model.growthStopped()).as("the champion grows on").isFalse();

        model.promote("trees.HoeffdingTree");
        assertThat(model.growthStopped()).as("promoted, the tree stays stopped").isTrue();
        for (int i = 0; i < 10_000; i++) {
            learn(model, source.next());
            assertThat(model.takeSizeCaps()).as("not stopped again").isEmpty();
        }
        assertThat(tree.getNodeCount()).isEqualTo(nodes);
    }

    /**
     * A challenger that cannot stop growing starts afresh as a new challenger of its spec: a fresh
     * evaluation (scored only on its own predictions), while the champion and its evaluation go on.
     */
    @Test
    void shouldStartAChallengerThatCannotStopGrowingAfreshWithItsOwnEvaluation() {
        long bound = 100_000;
        String knn = "lazy.kNN -k 5 -w 5000";
        MoaStreams.Source source = MoaStreams.open(RBF);
        MoaStreams.Source same = MoaStreams.open(RBF);
        OnlineModel model = OnlineModel.create(settings(source, "bayes.NaiveBayes", bound, knn));
        OnlineModel alone = OnlineModel.create(settings(same, "bayes.NaiveBayes", bound));
        List<SizeCapped> caps = new ArrayList<>();
        int trained = 0;
        while (caps.isEmpty() && trained < 5_000) {
            assertThat(served(model, source.next())).isEqualTo(served(alone, same.next()));
            caps.addAll(model.takeSizeCaps());
            trained++;
        }
        assertThat(caps).singleElement().satisfies(cap -> {
            assertThat(cap.role()).isEqualTo(SizeCapped.Role.CHALLENGER);
            assertThat(cap.spec()).isEqualTo(knn);
            assertThat(cap.action()).isEqualTo(SizeCapped.Action.RESET);
            assertThat(scheduled(cap.instancesTrained())).as("measured at %d", cap.instancesTrained()).isTrue();
        });
        for (int i = 0; i < 500; i++) {
            assertThat(served(model, source.next())).isEqualTo(served(alone, same.next()));
        }

        ModelSnapshot snapshot = model.snapshot();
        assertThat(snapshot.evaluation().instances()).as("the champion's evaluation goes on").isEqualTo(trained + 500);
        assertThat(snapshot.challengers()).singleElement().satisfies(challenger -> {
            assertThat(challenger.learner()).isEqualTo(knn);
            assertThat(challenger.instancesTrained()).isEqualTo(500);
            assertThat(challenger.evaluation().instances()).as("scored on its own predictions only").isEqualTo(500);
        });
        assertThat(SerialisedSize.of(challengers(model).get(0).learner())).as("the new challenger").isLessThan(bound);
    }

    /** Restored from its serialised form mid-stream, a model is bounded at the same instance and predicts the same. */
    @Test
    void shouldBoundARestoredModelAtTheSameInstanceAsAnUninterruptedOne() {
        long bound = 150_000;
        MoaStreams.Source one = MoaStreams.open(RBF);
        MoaStreams.Source other = MoaStreams.open(RBF);
        ModelSettings settings = settings(one, "trees.HoeffdingTree", bound);
        OnlineModel uninterrupted = OnlineModel.create(settings);
        OnlineModel restarted = OnlineModel.create(settings);
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < 250_000; i++) {
            if (i == 10_000) {
                restarted = restored(restarted, settings);
            }
            expected.add(step(uninterrupted, one.next()));
            actual.add(step(restarted, other.next()));
        }
        assertThat(expected).anyMatch(step -> step.contains("STOPPED_GROWING"));
        int firstDifference = IntStream.range(0, expected.size())
                .filter(i -> !expected.get(i).equals(actual.get(i)))
                .findFirst().orElse(-1);
        assertThat(firstDifference).as("first difference: %s", firstDifference < 0 ? ""
                : expected.get(firstDifference) + " / " + actual.get(firstDifference)).isEqualTo(-1);
    }

    private static String step(OnlineModel model, LabelledObservation next) {
        Scored scored = model.predict(next.observation());
        model.learn(next.observation(), next.label(), scored);
        return scored.predictedClass() + "@" + scored.positiveProbability() + model.takeSizeCaps();
    }

    /** What the champion predicted for {@code next}, which it then learns. */
    private static String served(OnlineModel model, LabelledObservation next) {
        Scored scored = model.predict(next.observation());
        model.learn(next.observation(), next.label(), scored);
        return scored.predictedClass() + "@" + scored.positiveProbability();
    }

    private static void learn(OnlineModel model, LabelledObservation next) {
        model.learn(next.observation(), next.label(), model.predict(next.observation()));
    }

    /** The model's MOA learner (private to the model: its operations go through OnlineModel). */
    private static Object learner(OnlineModel model) {
        try {
            Field learner = OnlineModel.class.getDeclaredField("learner");
            learner.setAccessible(true);
            return learner.get(model);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static ModelSettings settings(MoaStreams.Source source, String learner, long maxBytes, String... challengers) {
        ModelSettings s = MoaReference.settingsFor(source, learner, Adaptation.NONE);
        return new ModelSettings(s.learnerSpec(), s.classes(), s.positiveClass(), s.declaredFeatures(), s.adaptation(),
                s.conceptDriftDetector(), s.conceptDriftDelta(), s.conceptDriftCooldown(), s.conceptDriftMinIncrease(),
                s.conceptDriftWarmup(), s.conceptDriftInputShift(), s.dataDrift(), s.evaluationWindow(), maxBytes,
                s.anomalyDetector(), s.remainingLifeLearner(), new Lifecycle(List.of(challengers),
                        new Lifecycle.Promotion(Lifecycle.Promotion.Metric.NONE, 0, 0), Lifecycle.DEFAULT.versionsKept()));
    }

    /** Whether a learner is measured when it has trained on {@code trained} instances since it started. */
    static boolean scheduled(long trained) {
        long check = ModelSize.FIRST_CHECK;
        while (check < trained) {
            check += Math.max(ModelSize.FIRST_CHECK, check / ModelSize.GROWTH_SHARE);
        }
        return check == trained;
    }

    @SuppressWarnings("unchecked")
    private static List<SideLearner> challengers(OnlineModel model) {
        try {
            Field challengers = OnlineModel.class.getDeclaredField("challengers");
            challengers.setAccessible(true);
            return (List<SideLearner>) challengers.get(model);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The model as another instance reads it back: Java serialisation, then the current settings attached. */
    private static OnlineModel restored(OnlineModel model, ModelSettings settings) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(model);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                OnlineModel read = (OnlineModel) in.readObject();
                read.attach(settings);
                return read;
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
