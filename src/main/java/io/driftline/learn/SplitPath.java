package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import moa.classifiers.Classifier;
import moa.classifiers.trees.HoeffdingTree;

/**
 * Why a Hoeffding tree predicted what it did: the split conditions an instance satisfies on its
 * way from the root to its leaf, e.g. {@code vibration.mean > 4.12}. Covers HoeffdingTree and its
 * subclasses (HoeffdingAdaptiveTree follows its main branches); other learners have no path.
 */
final class SplitPath {

    // MOA writes an attribute as "[att 3:temperature]"; operators want "temperature".
    private static final Pattern MOA_ATTRIBUTE = Pattern.compile("\\[att \\d+:(.*?)]");

    private SplitPath() {
    }

    static List<String> of(Classifier learner, Instance instance) {
        if (!(learner instanceof HoeffdingTree tree)) {
            return List.of();
        }
        InstancesHeader header = (InstancesHeader) instance.dataset();
        List<String> conditions = new ArrayList<>();
        HoeffdingTree.Node node = tree.getTreeRoot();
        while (node instanceof HoeffdingTree.SplitNode split) {
            int branch = split.instanceChildIndex(instance);
            if (branch < 0) {
                break;
            }
            String condition = split.getSplitTest().describeConditionForBranch(branch, header);
            conditions.add(MOA_ATTRIBUTE.matcher(condition.trim()).replaceAll("$1"));
            node = split.getChild(branch);
        }
        return conditions;
    }
}
