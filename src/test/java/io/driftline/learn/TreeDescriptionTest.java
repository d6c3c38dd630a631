package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.util.ArrayList;
import java.util.List;
import moa.classifiers.Classifier;
import moa.classifiers.trees.HoeffdingTree;
import moa.core.Measurement;
import moa.streams.generators.AgrawalGenerator;
import org.junit.jupiter.api.Test;

/** A Hoeffding tree's description against the tree MOA grew, node by node. */
class TreeDescriptionTest {

    @Test
    void shouldDescribeEverySplitAndLeafOfTheTreeMoaGrewWithTheFeaturesNames() {
        AgrawalGenerator stream = new AgrawalGenerator();
        stream.prepareForUse();
        InstancesHeader header = stream.getHeader();
        HoeffdingTree tree = (HoeffdingTree) OnlineModel.newLearner("trees.HoeffdingTree -g 50");
        tree.setModelContext(header);
        for (int i = 0; i < 20_000; i++) {
            tree.trainOnInstance(stream.nextInstance().getData());
        }

        TreeDescription description = TreeDescription.of(tree, header).orElseThrow();

        assertThat(description.splits()).as("a tree worth describing").isGreaterThan(2);
        assertThat(description.splits() + description.leaves()).isEqualTo((int) measurement(tree, "tree size (nodes)"));
        assertThat(description.leaves()).isEqualTo((int) measurement(tree, "tree size (leaves)"));
        assertThat(description.depth()).isEqualTo(tree.measureTreeDepth());
        // Each instance's path through the description is MOA's, condition by condition, to the same leaf counts.
        for (int i = 0; i < 500; i++) {
            Instance instance = stream.nextInstance().getData();
            List<String> conditions = new ArrayList<>();
            HoeffdingTree.Node moa = tree.getTreeRoot();
            TreeDescription.Node ours = description.root();
            while (moa instanceof HoeffdingTree.SplitNode split) {
                int branch = split.instanceChildIndex(instance);
                assertThat(ours.splitOn()).containsExactlyElementsOf(
                        List.of(header.attribute(split.getSplitTest().getAttsTestDependsOn()[0]).name()));
                assertThat(ours.branches()).hasSize(split.numChildren());
                conditions.add(ours.branches().get(branch).condition());
                moa = split.getChild(branch);
                ours = ours.branches().get(branch).node();
            }
            assertThat(ours.branches()).as("a leaf").isNull();
            double[] counts = moa.getObservedClassDistribution();
            assertThat(ours.observed()).containsOnlyKeys("groupA", "groupB");
            assertThat(ours.observed().get("groupA")).isEqualTo(counts.length > 0 ? counts[0] : 0.0);
            assertThat(ours.observed().get("groupB")).isEqualTo(counts.length > 1 ? counts[1] : 0.0);
            assertThat(conditions).isEqualTo(SplitPath.of(tree, instance)).noneMatch(c -> c.contains("[att"));
        }
    }

    @Test
    void shouldDescribeNoOtherLearnerNorATreeBeforeItsFirstInstance() {
        AgrawalGenerator stream = new AgrawalGenerator();
        stream.prepareForUse();
        Classifier bayes = OnlineModel.newLearner("bayes.NaiveBayes");
        bayes.setModelContext(stream.getHeader());
        bayes.trainOnInstance(stream.nextInstance().getData());
        Classifier tree = OnlineModel.newLearner("trees.HoeffdingTree");
        tree.setModelContext(stream.getHeader());

        assertThat(TreeDescription.of(bayes, stream.getHeader())).isEmpty();
        assertThat(TreeDescription.of(tree, stream.getHeader())).isEmpty();
    }

    private static double measurement(Classifier learner, String name) {
        for (Measurement measurement : learner.getModelMeasurements()) {
            if (measurement.getName().equals(name)) {
                return measurement.getValue();
            }
        }
        throw new AssertionError("MOA measures no " + name);
    }
}
