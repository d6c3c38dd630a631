package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.yahoo.labs.samoa.instances.Instance;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import moa.classifiers.Classifier;
import moa.classifiers.core.attributeclassobservers.GaussianNumericAttributeClassObserver;
import moa.classifiers.trees.HoeffdingTree;
import moa.core.Example;
import moa.options.AbstractOptionHandler;
import moa.streams.ExampleStream;
import moa.streams.generators.RandomRBFGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import moa.classifiers.core.attributeclassobservers.NominalAttributeClassObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObserverOptionsTest {

    private static final int INSTANCES = 20_000;

    /**
     * A tree whose leaves share their observers' options learns exactly as MOA's own: the same votes for
     * every instance before it trains on it, the same tree at the end (many splits, so many leaves made
     * to share); and each leaf's observers hold one option and one handler between them, of the
     * configured value, so the tree's serialisation is smaller.
     */
    @ParameterizedTest
    @ValueSource(strings = {"trees.HoeffdingTree -g 50",
            "trees.HoeffdingTree -g 50 -n (GaussianNumericAttributeClassObserver -n 20)",
            "trees.HoeffdingAdaptiveTree -g 50"})
    void shouldShareOneSetOfOptionsPerLeafAndLearnExactlyAsMoa(String spec) throws Exception {
        Classifier shared = OnlineModel.newLearner(spec);
        Classifier moa = OnlineModel.newLearner(spec);
        ExampleStream<Example<Instance>> stream = rbf();
        shared.setModelContext(stream.getHeader());
        moa.setModelContext(stream.getHeader());
        for (int i = 0; i < INSTANCES; i++) {
            learnSideBySide(shared, moa, stream.nextInstance().getData(), i);
        }

        assertThat(describe(shared)).isEqualTo(describe(moa));
        List<HoeffdingTree.ActiveLearningNode> leaves = activeLeaves((HoeffdingTree) shared);
        assertThat(leaves).hasSizeGreaterThan(5);
        int bins = spec.contains("-n 20") ? 20 : 10;
        for (HoeffdingTree.ActiveLearningNode leaf : leaves) {
            List<GaussianNumericAttributeClassObserver> observers = gaussianObservers(leaf);
            assertThat(observers).hasSize(10);
            assertThat(observers).extracting(observer -> observer.numBinsOption).containsOnly(observers.get(0).numBinsOption);
            assertThat(observers).extracting(ObserverOptionsTest::config).containsOnly(config(observers.get(0)));
            assertThat(observers.get(0).numBinsOption.getValue()).isEqualTo(bins);
        }
        assertThat(SerialisedSize.of(shared)).isLessThan(SerialisedSize.of(moa));
    }

    /**
     * Observers of two classes, and attributes that appear while the tree learns (a feature space that
     * grows appends them): every observer of each class, old or new, shares the first one's handler,
     * and the tree learns as MOA's own.
     */
    @Test
    void shouldShareTheObserversOfAttributesThatAppearLater() {
        Classifier shared = OnlineModel.newLearner("trees.HoeffdingTree -g 50");
        Classifier moa = OnlineModel.newLearner("trees.HoeffdingTree -g 50");
        FeatureSpace space = new FeatureSpace(List.of(FeatureDef.nominal("mode", List.of("idle", "run", "boost"))),
                List.of("ok", "failing"));
        shared.setModelContext(space.header());
        moa.setModelContext(space.header());
        Random random = new Random(7);
        int growAt = INSTANCES / 2;
        for (int i = 0; i < INSTANCES; i++) {
            Map<String, Double> numeric = new LinkedHashMap<>();
            int features = i < growAt ? 4 : 7;
            for (int f = 0; f < features; f++) {
                numeric.put("f" + f, random.nextGaussian());
            }
            Map<String, String> nominal = new LinkedHashMap<>();
            nominal.put("mode", List.of("idle", "run", "boost").get(random.nextInt(3)));
            if (i >= growAt) {
                nominal.put("shift", random.nextBoolean() ? "day" : "night");
            }
            boolean failing = numeric.get("f0") + numeric.get("f1") > 0.5 || "boost".equals(nominal.get("mode"));
            Observation observation = new Observation(numeric, nominal);
            space.grow(observation);
            learnSideBySide(shared, moa, space.toInstance(observation, failing ? 1 : 0), i);
        }

        assertThat(describe(shared)).isEqualTo(describe(moa));
        int grown = 0;
        for (HoeffdingTree.ActiveLearningNode leaf : activeLeaves((HoeffdingTree) shared)) {
            List<?> observers = observers(leaf);
            List<Object> gaussian = observers.stream().filter(GaussianNumericAttributeClassObserver.class::isInstance)
                    .map(ObserverOptionsTest::config).toList();
            List<Object> nominal = observers.stream().filter(NominalAttributeClassObserver.class::isInstance)
                    .map(ObserverOptionsTest::config).toList();
            assertThat(gaussian).containsOnly(gaussian.get(0));
            assertThat(nominal).containsOnly(nominal.get(0));
            if (gaussian.size() == 7 && nominal.size() == 2) {
                grown++;
            }
        }
        assertThat(grown).as("leaves that learned both before and after the space grew").isPositive();
    }

    /** Both learners vote alike on {@code instance}, then train on it; {@code shared}'s leaves share. */
    private static void learnSideBySide(Classifier shared, Classifier moa, Instance instance, int i) {
        assertThat(shared.getVotesForInstance(instance)).as("votes for instance %d", i)
                .containsExactly(moa.getVotesForInstance(instance));
        shared.trainOnInstance(instance);
        ObserverOptions.share(shared, instance);
        moa.trainOnInstance(instance);
    }

    private static ExampleStream<Example<Instance>> rbf() {
        RandomRBFGenerator stream = new RandomRBFGenerator();
        stream.numAttsOption.setValue(10);
        stream.prepareForUse();
        return stream;
    }

    private static String describe(Classifier learner) {
        StringBuilder description = new StringBuilder();
        learner.getDescription(description, 0);
        return description.toString();
    }

    private static List<HoeffdingTree.ActiveLearningNode> activeLeaves(HoeffdingTree tree) {
        List<HoeffdingTree.ActiveLearningNode> leaves = new ArrayList<>();
        Deque<HoeffdingTree.Node> nodes = new ArrayDeque<>();
        nodes.push(tree.getTreeRoot());
        while (!nodes.isEmpty()) {
            HoeffdingTree.Node node = nodes.pop();
            if (node instanceof HoeffdingTree.SplitNode split) {
                for (int child = 0; child < split.numChildren(); child++) {
                    if (split.getChild(child) != null) {
                        nodes.push(split.getChild(child));
                    }
                }
            } else if (node instanceof HoeffdingTree.ActiveLearningNode leaf && !gaussianObservers(leaf).isEmpty()) {
                leaves.add(leaf);
            }
        }
        return leaves;
    }

    private static List<GaussianNumericAttributeClassObserver> gaussianObservers(HoeffdingTree.ActiveLearningNode leaf) {
        List<GaussianNumericAttributeClassObserver> observers = new ArrayList<>();
        for (Object observer : observers(leaf)) {
            if (observer instanceof GaussianNumericAttributeClassObserver gaussian) {
                observers.add(gaussian);
            }
        }
        return observers;
    }

    private static List<?> observers(HoeffdingTree.ActiveLearningNode leaf) {
        try {
            Field field = HoeffdingTree.ActiveLearningNode.class.getDeclaredField("attributeObservers");
            field.setAccessible(true);
            List<Object> observers = new ArrayList<>();
            for (Object observer : (List<?>) field.get(leaf)) {
                if (observer != null) {
                    observers.add(observer);
                }
            }
            return observers;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object config(Object observer) {
        try {
            Field field = AbstractOptionHandler.class.getDeclaredField("config");
            field.setAccessible(true);
            return field.get(observer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
