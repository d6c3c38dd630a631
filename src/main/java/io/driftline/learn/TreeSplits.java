package io.driftline.learn;

import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import moa.classifiers.Classifier;
import moa.classifiers.trees.HoeffdingTree;

/**
 * The features a Hoeffding tree splits on, anywhere in its tree: what its learned thresholds are
 * about. Covers HoeffdingTree and its subclasses (HoeffdingAdaptiveTree by its main branches, not
 * the alternate trees that may replace them); other learners report none.
 */
final class TreeSplits {

    private TreeSplits() {
    }

    static Set<String> features(Classifier learner, InstancesHeader header) {
        Set<String> features = new TreeSet<>();
        if (!(learner instanceof HoeffdingTree tree) || tree.getTreeRoot() == null) {
            return features;
        }
        Deque<HoeffdingTree.Node> nodes = new ArrayDeque<>();
        nodes.push(tree.getTreeRoot());
        while (!nodes.isEmpty()) {
            if (nodes.pop() instanceof HoeffdingTree.SplitNode split) {
                for (int attribute : split.getSplitTest().getAttsTestDependsOn()) {
                    features.add(header.attribute(attribute).name());
                }
                for (int child = 0; child < split.numChildren(); child++) {
                    if (split.getChild(child) != null) {
                        nodes.push(split.getChild(child));
                    }
                }
            }
        }
        return features;
    }
}
