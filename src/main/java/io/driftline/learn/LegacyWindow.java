package io.driftline.learn;

import java.io.InvalidObjectException;
import java.lang.reflect.Field;
import moa.evaluation.BasicClassificationPerformanceEvaluator;
import moa.evaluation.WindowClassificationPerformanceEvaluator;

/**
 * Reads the MOA window evaluator that {@link PrequentialEvaluator}s checkpointed before
 * {@link WindowEvaluator} into one that goes on exactly as it would have: the window's predictions
 * and MOA's running sums as they are. MOA offers no access to its estimators, so their fields are
 * read by reflection; a MOA that renamed them fails here, and the model is reset as after any
 * checkpoint this build cannot read.
 */
final class LegacyWindow {

    private LegacyWindow() {
    }

    /**
     * {@code moa}'s window as a {@link WindowEvaluator} of {@code classes} and {@code width}; a fresh one
     * when {@code moa} scored nothing.
     *
     * @throws InvalidObjectException when {@code moa} is missing or its state is not that of predictions of weight 1
     */
    static WindowEvaluator read(WindowClassificationPerformanceEvaluator moa, int classes, int width)
            throws InvalidObjectException {
        if (moa == null) {
            throw new InvalidObjectException("a prequential evaluator without a window evaluator");
        }
        try {
            if ((double) field(BasicClassificationPerformanceEvaluator.class, "totalWeightObserved").get(moa) == 0) {
                return new WindowEvaluator(classes, width);
            }
            Object correct = field(BasicClassificationPerformanceEvaluator.class, "weightCorrect").get(moa);
            Object majority = field(BasicClassificationPerformanceEvaluator.class, "weightMajorityClassifier").get(moa);
            Object[] rows = (Object[]) field(BasicClassificationPerformanceEvaluator.class, "rowKappa").get(moa);
            Object[] columns = (Object[]) field(BasicClassificationPerformanceEvaluator.class, "columnKappa").get(moa);
            if (rows.length != classes || columns.length != classes || (int) estimatorField("SizeWindow").get(correct) != width) {
                throw new InvalidObjectException("a window evaluator of " + rows.length + " classes and width "
                        + estimatorField("SizeWindow").get(correct) + " in one of " + classes + " and " + width);
            }
            int length = (int) estimatorField("lenWindow").get(correct);
            int[] trueClasses = new int[length];
            int[] predictedClasses = new int[length];
            boolean[] majorityRight = new boolean[length];
            double[] majorityValues = values(majority);
            for (int slot = 0; slot < length; slot++) {
                trueClasses[slot] = theOne(columns, slot);
                predictedClasses[slot] = theOne(rows, slot);
                majorityRight[slot] = majorityValues[slot] == 1.0;
                if (!majorityRight[slot] && majorityValues[slot] != 0.0) {
                    throw new InvalidObjectException("slot " + slot + " of a window evaluator's majority holds "
                            + majorityValues[slot]);
                }
            }
            double[] predicted = new double[classes];
            double[] actual = new double[classes];
            for (int c = 0; c < classes; c++) {
                predicted[c] = sum(rows[c]);
                actual[c] = sum(columns[c]);
            }
            return WindowEvaluator.of(classes, width, (int) estimatorField("posWindow").get(correct), trueClasses,
                    predictedClasses, majorityRight, sum(correct), sum(majority), predicted, actual);
        } catch (ReflectiveOperationException | RuntimeException e) {
            InvalidObjectException unreadable = new InvalidObjectException("cannot read MOA's window evaluator: " + e);
            unreadable.initCause(e);
            throw unreadable;
        }
    }

    /** The class whose per-class estimator holds 1 at {@code slot}: each prediction has one true and one predicted class. */
    private static int theOne(Object[] perClass, int slot) throws ReflectiveOperationException, InvalidObjectException {
        int found = -1;
        for (int c = 0; c < perClass.length; c++) {
            double value = values(perClass[c])[slot];
            if (value == 1.0 && found < 0) {
                found = c;
            } else if (value != 0.0) {
                throw new InvalidObjectException("slot " + slot + " of a window evaluator holds " + value + " for class " + c);
            }
        }
        if (found < 0) {
            throw new InvalidObjectException("slot " + slot + " of a window evaluator names no class");
        }
        return found;
    }

    private static double[] values(Object estimator) throws ReflectiveOperationException {
        return (double[]) estimatorField("window").get(estimator);
    }

    private static double sum(Object estimator) throws ReflectiveOperationException {
        return (double) estimatorField("sum").get(estimator);
    }

    private static Field estimatorField(String name) throws NoSuchFieldException {
        return field(WindowClassificationPerformanceEvaluator.WindowEstimator.class, name);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
