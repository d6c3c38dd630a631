package io.driftline.learn;

import com.github.javacliparser.Option;
import com.yahoo.labs.samoa.instances.Instance;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import moa.classifiers.Classifier;
import moa.classifiers.core.attributeclassobservers.BinaryTreeNumericAttributeClassObserver;
import moa.classifiers.core.attributeclassobservers.GaussianNumericAttributeClassObserver;
import moa.classifiers.core.attributeclassobservers.GreenwaldKhannaNumericAttributeClassObserver;
import moa.classifiers.core.attributeclassobservers.NominalAttributeClassObserver;
import moa.classifiers.core.attributeclassobservers.VFMLNumericAttributeClassObserver;
import moa.classifiers.trees.HoeffdingTree;
import moa.options.AbstractOptionHandler;

/**
 * Makes the attribute observers of a Hoeffding tree's leaf share one set of MOA option objects.
 *
 * <p>A leaf keeps one observer per attribute, and MOA makes each a deep copy of the tree's prepared
 * observer ({@code HoeffdingTree.newNumericClassObserver}): with it a copy of its options (for the
 * Gaussian observer, {@code numBinsOption} with its name and description strings) and of its options
 * handler ({@code config}: the handler, an option list, a linked list node). With a model per device
 * and 56 attributes, those copies were a large part of a model's heap. Every copy holds the same values,
 * and the observers below only read them after they are created ({@code getValue()}; verified in MOA
 * 2024.07.0's source: nothing else in MOA reaches an observer's options or handler while a tree learns),
 * so one set per leaf does: the first observer's of each class in the leaf. Subclasses are left alone
 * (IADEM's set their options while they learn). Learning is unchanged: MOA's memory estimates, which
 * would count shared objects once, need the {@code sizeofag} agent, absent here, and measure -1 either
 * way.
 *
 * <p>Called after each instance a tree trains on, for the leaf it reached: observers are created when a
 * leaf first learns (and when a new attribute appears), so every leaf is made to share before anything
 * else sees it, and a replayed model shares exactly as the live one did. MOA creates a leaf's observers
 * all at once, at its first instance, and those of attributes appended to the space after the others;
 * so once the last observer of each class shares with the first, all of them do, and a leaf that
 * already shares costs a comparison per class.
 */
final class ObserverOptions {

    /** Observers whose options MOA only reads once created. */
    private static final Set<Class<?>> READ_ONLY_OPTIONS = Set.of(GaussianNumericAttributeClassObserver.class,
            NominalAttributeClassObserver.class, BinaryTreeNumericAttributeClassObserver.class,
            GreenwaldKhannaNumericAttributeClassObserver.class, VFMLNumericAttributeClassObserver.class);
    private static final Field OBSERVERS = field(HoeffdingTree.ActiveLearningNode.class, "attributeObservers");
    private static final Field CONFIG = field(AbstractOptionHandler.class, "config");
    private static final ClassValue<List<Field>> OPTIONS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> options = new ArrayList<>();
            for (Field field : type.getFields()) {
                if (Option.class.isAssignableFrom(field.getType()) && !Modifier.isStatic(field.getModifiers())) {
                    // Without it every read is checked against the caller: most of this class's cost.
                    field.setAccessible(true);
                    options.add(field);
                }
            }
            return options;
        }
    };

    private ObserverOptions() {
    }

    /** After {@code learner} trained on {@code instance}: the observers of the leaf it reached share their options. */
    static void share(Classifier learner, Instance instance) {
        if (!(learner instanceof HoeffdingTree tree) || tree.getTreeRoot() == null
                || !(tree.getTreeRoot().filterInstanceToLeaf(instance, null, -1).node
                        instanceof HoeffdingTree.ActiveLearningNode leaf)) {
            return;
        }
        try {
            List<?> observers = (List<?>) OBSERVERS.get(leaf);
            if (lastOfEachClassShares(observers)) {
                return;
            }
            List<Object> firsts = new ArrayList<>(2);
            for (Object observer : observers) {
                if (observer != null && READ_ONLY_OPTIONS.contains(observer.getClass())) {
                    Object first = firstOfClass(firsts, observer);
                    List<Field> options = OPTIONS.get(observer.getClass());
                    if (!shares(first, observer, options)) {
                        shareWith(first, observer, options);
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read MOA's attribute observers", e);
        }
    }

    /** Whether the last observer of each class already has the first one's handler (what {@link #shareWith} gives it). */
    private static boolean lastOfEachClassShares(List<?> observers) throws IllegalAccessException {
        List<Class<?>> seen = new ArrayList<>(2);
        for (int i = observers.size() - 1; i >= 0; i--) {
            Object last = observers.get(i);
            if (last != null && !seen.contains(last.getClass())) {
                seen.add(last.getClass());
                if (READ_ONLY_OPTIONS.contains(last.getClass())
                        && CONFIG.get(firstOfClass(observers, last.getClass())) != CONFIG.get(last)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Object firstOfClass(List<?> observers, Class<?> type) {
        for (Object observer : observers) {
            if (observer != null && observer.getClass() == type) {
                return observer;
            }
        }
        throw new IllegalStateException("no observer of " + type);
    }

    private static Object firstOfClass(List<Object> firsts, Object observer) {
        for (Object first : firsts) {
            if (first.getClass() == observer.getClass()) {
                return first;
            }
        }
        firsts.add(observer);
        return observer;
    }

    private static boolean shares(Object first, Object observer, List<Field> options) throws IllegalAccessException {
        if (CONFIG.get(observer) != CONFIG.get(first)) {
            return false;
        }
        for (Field option : options) {
            if (option.get(observer) != option.get(first)) {
                return false;
            }
        }
        return true;
    }

    /** {@code observer} takes {@code first}'s options and handler, when their values are the same (MOA's copies). */
    private static void shareWith(Object first, Object observer, List<Field> options) throws IllegalAccessException {
        for (Field option : options) {
            if (!((Option) option.get(first)).getValueAsCLIString()
                    .equals(((Option) option.get(observer)).getValueAsCLIString())) {
                return;
            }
        }
        for (Field option : options) {
            option.set(observer, option.get(first));
        }
        CONFIG.set(observer, CONFIG.get(first));
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("MOA's " + type.getSimpleName() + " has no field " + name + " any more");
        }
    }
}
