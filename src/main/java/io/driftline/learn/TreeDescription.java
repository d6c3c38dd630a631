package io.driftline.learn;

import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import moa.classifiers.Classifier;
import moa.classifiers.trees.HoeffdingTree;

/**
 * A Hoeffding tree as people read it: each split's condition per branch in the features' names,
 * and at every node the weight of the training instances of each class it observed (at a leaf,
 * what it predicts from). Covers HoeffdingTree and its subclasses (HoeffdingAdaptiveTree by its
 * main branches, not the alternate trees that may replace them).
 *
 * @param splits the tree's split nodes
 * @param leaves its leaves
 * @param depth  the longest path from the root to a leaf, in splits
 * @param root   the root node
 */
public record TreeDescription(int splits, int leaves, int depth, Node root) {

    // MOA writes an attribute as "[att 3:temperature]"; people want "temperature".
    private static final Pattern MOA_ATTRIBUTE = Pattern.compile("\\[att \\d+:(.*?)]");

    /**
     * A node: a split (its features and branches) or a leaf (no branches).
     *
     * @param splitOn  the features the split's test depends on; null at a leaf
     * @param branches one per outcome of the test, in MOA's branch order; null at a leaf
     * @param observed the weight of training instances of each class seen at the node, by class (at a split:
     *                 until it split)
     */
    public record Node(List<String> splitOn, List<Branch> branches, Map<String, Double> observed) {
    }

    /**
     * One outcome of a split's test.
     *
     * @param condition e.g. {@code temperature <= 71.250}
     * @param node      the subtree; null where MOA has not grown one
     */
    public record Branch(String condition, Node node) {
    }

    /** The description of {@code learner} over {@code header}, or empty when it is no Hoeffding tree (or has no root yet). */
    public static Optional<TreeDescription> of(Classifier learner, InstancesHeader header) {
        if (!(learner instanceof HoeffdingTree tree) || tree.getTreeRoot() == null) {
            return Optional.empty();
        }
        int[] counts = new int[3];
        Node root = describe(tree.getTreeRoot(), header, 0, counts);
        return Optional.of(new TreeDescription(counts[0], counts[1], counts[2], root));
    }

    /** {@code counts}: splits, leaves, depth so far. */
    private static Node describe(HoeffdingTree.Node node, InstancesHeader header, int depth, int[] counts) {
        Map<String, Double> observed = observed(node.getObservedClassDistribution(), header);
        if (!(node instanceof HoeffdingTree.SplitNode split)) {
            counts[1]++;
            counts[2] = Math.max(counts[2], depth);
            return new Node(null, null, observed);
        }
        counts[0]++;
        List<String> features = new ArrayList<>();
        for (int attribute : split.getSplitTest().getAttsTestDependsOn()) {
            features.add(header.attribute(attribute).name());
        }
        List<Branch> branches = new ArrayList<>(split.numChildren());
        for (int branch = 0; branch < split.numChildren(); branch++) {
            String condition = MOA_ATTRIBUTE.matcher(split.getSplitTest().describeConditionForBranch(branch, header)
                    .trim()).replaceAll("$1");
            HoeffdingTree.Node child = split.getChild(branch);
            branches.add(new Branch(condition, child == null ? null : describe(child, header, depth + 1, counts)));
        }
        return new Node(features, branches, observed);
    }

    private static Map<String, Double> observed(double[] distribution, InstancesHeader header) {
        Map<String, Double> observed = new LinkedHashMap<>();
        for (int i = 0; i < header.numClasses(); i++) {
            observed.put(header.classAttribute().value(i), i < distribution.length ? distribution[i] : 0.0);
        }
        return observed;
    }
}
