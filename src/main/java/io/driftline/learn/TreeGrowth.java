package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import java.lang.reflect.Field;
import moa.classifiers.Classifier;
import moa.classifiers.trees.HoeffdingTree;

/**
 * Stops a Hoeffding tree from growing, as MOA itself does when its memory limit ({@code -m}) is
 * reached with {@code -z} (stop growing): no more splits, while the leaves keep learning their class
 * distributions and attribute statistics, whose size per leaf is fixed for numeric attributes. MOA
 * reaches that state only through its own memory measurement, which needs the {@code sizeofag}
 * agent (without it the limit never fires, see the test of this class), so Driftline sets the tree's
 * {@code growthAllowed} flag itself; MOA declares it protected and offers no setter.
 *
 * <p>Only trees trained by {@link HoeffdingTree}'s own {@code trainOnInstanceImpl} obey the flag:
 * subclasses that replace it (e.g. {@code HoeffdingAdaptiveTree}, whose nodes split on their own)
 * cannot be stopped this way.
 */
final class TreeGrowth {

    private static final Field GROWTH_ALLOWED = growthAllowedField();

    private TreeGrowth() {
    }

    /** Whether {@link #stop} works for {@code learner}. */
    static boolean canStop(Classifier learner) {
        if (!(learner instanceof HoeffdingTree)) {
            return false;
        }
        try {
            return learner.getClass().getMethod("trainOnInstanceImpl", Instance.class).getDeclaringClass()
                    == HoeffdingTree.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    static void stop(Classifier learner) {
        try {
            GROWTH_ALLOWED.setBoolean(learner, false);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot stop " + learner.getClass().getName() + " from growing", e);
        }
    }

    private static Field growthAllowedField() {
        try {
            Field field = HoeffdingTree.class.getDeclaredField("growthAllowed");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("MOA's HoeffdingTree has no growthAllowed flag any more: " + e);
        }
    }
}
