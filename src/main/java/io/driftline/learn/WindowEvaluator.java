package io.driftline.learn;

import java.io.Serializable;

/**
 * The sliding-window accuracy, kappa and Kappa-M of MOA's {@code WindowClassificationPerformanceEvaluator}
 * (for predictions of weight 1, as {@link PrequentialEvaluator} scores them), equal to its figures to the
 * last bit, in a small part of its memory.
 *
 * <p>MOA keeps a window of {@code width} doubles for each of its estimators: 3 + 4 per class (11 at
 * two classes, 88 KB at the default width of 1,000), for every model. A prediction's value in each of
 * them (1, 0 or NaN) follows from its true class, its predicted class, and whether the majority class of
 * the window (by true class, this prediction included) was its true class; this window keeps those three,
 * packed in one byte per prediction up to 11 classes ({@link #bytesPerSlot}), and only the estimators the
 * reported figures need: correct, majority correct, and per class predicted and true. Their running
 * sums are updated as MOA's {@code WindowEstimator.add} updates its: subtract the value leaving the
 * window (0 while it fills), then add the one entering. The values are 0 or 1, so each sum is an exact
 * integer, and each estimate is the same division as MOA's.
 */
final class WindowEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Beyond this, a slot would not fit in an int; far beyond any class attribute a model has. */
    static final int MAX_CLASSES = 32_768;

    private final int classes;
    private final int width;
    // The predictions in the window, slot by slot as MOA's window arrays hold them: (true * classes + predicted) * 2 + majority correct.
    private final byte[] slots;
    private final int bytesPerSlot;
    // Where the next prediction goes, and how many are in the window: MOA's posWindow and lenWindow.
    private int position;
    private int length;
    // MOA's running sums: of weightCorrect, weightMajorityClassifier, rowKappa (predicted) and columnKappa (true).
    private double correct;
    private double majorityCorrect;
    private final double[] predicted;
    private final double[] actual;

    WindowEvaluator(int classes, int width) {
        if (classes < 2 || classes > MAX_CLASSES || width < 1) {
            throw new IllegalArgumentException("need 2 to " + MAX_CLASSES + " classes and a window of at least 1, got "
                    + classes + " and " + width);
        }
        this.classes = classes;
        this.width = width;
        this.bytesPerSlot = bytesPerSlot(classes);
        this.slots = new byte[Math.multiplyExact(width, bytesPerSlot)];
        this.predicted = new double[classes];
        this.actual = new double[classes];
    }

    /** The bytes a slot's largest value, 2 × classes² - 1, needs. */
    static int bytesPerSlot(int classes) {
        long largest = 2L * classes * classes - 1;
        int bytes = 1;
        while (largest >>> (8 * bytes) != 0) {
            bytes++;
        }
        return bytes;
    }

    /**
     * A window holding MOA's state as read from its estimators: for each of the last {@code length}
     * predictions in MOA's slot order, its true and predicted class and whether the majority class was
     * right, with MOA's sums, taken as they are.
     */
    static WindowEvaluator of(int classes, int width, int position, int[] trueClasses, int[] predictedClasses,
                              boolean[] majorityRight, double correct, double majorityCorrect, double[] predicted,
                              double[] actual) {
        WindowEvaluator window = new WindowEvaluator(classes, width);
        window.position = position;
        window.length = trueClasses.length;
        for (int slot = 0; slot < trueClasses.length; slot++) {
            window.write(slot, trueClasses[slot], predictedClasses[slot], majorityRight[slot]);
        }
        window.correct = correct;
        window.majorityCorrect = majorityCorrect;
        System.arraycopy(predicted, 0, window.predicted, 0, classes);
        System.arraycopy(actual, 0, window.actual, 0, classes);
        return window;
    }

    int width() {
        return width;
    }

    /** Scores one prediction, as MOA's {@code BasicClassificationPerformanceEvaluator.addResult} does with weight 1. */
    void add(int trueClass, int predictedClass) {
        // While the window fills, MOA forgets the zeros its arrays were created with.
        boolean leaves = length == width;
        int leaving = leaves ? read(position) : 0;
        boolean leavingMajorityRight = leaves && (leaving & 1) == 1;
        int leavingPredicted = leaves ? (leaving >>> 1) % classes : -1;
        int leavingTrue = leaves ? (leaving >>> 1) / classes : -1;
        if (length < width) {
            length++;
        }
        correct = slide(correct, leaves && leavingTrue == leavingPredicted, trueClass == predictedClass);
        for (int c = 0; c < classes; c++) {
            predicted[c] = slide(predicted[c], leavingPredicted == c, predictedClass == c);
            actual[c] = slide(actual[c], leavingTrue == c, trueClass == c);
        }
        // MOA asks for the majority class after the true classes' estimators took this prediction.
        boolean majorityRight = majorityClass() == trueClass;
        majorityCorrect = slide(majorityCorrect, leavingMajorityRight, majorityRight);
        write(position, trueClass, predictedClass, majorityRight);
        position++;
        if (position == width) {
            position = 0;
        }
    }

    /** MOA's {@code WindowEstimator.add} of a value of 0 or 1: {@code sum -= forget; sum += value}. */
    private static double slide(double sum, boolean forget, boolean value) {
        return sum - (forget ? 1.0 : 0.0) + (value ? 1.0 : 0.0);
    }

    /** MOA's {@code getMajorityClass}: the first class of the highest estimate of true classes, 0 when all are 0. */
    private int majorityClass() {
        int majority = 0;
        double highest = 0.0;
        for (int c = 0; c < classes; c++) {
            if (estimate(actual[c]) > highest) {
                majority = c;
                highest = estimate(actual[c]);
            }
        }
        return majority;
    }

    /**
     * MOA's {@code WindowEstimator.estimation}, {@code sum / (lenWindow - qtyNaNs)}: these estimators
     * never hold NaN, and an int less 0.0 is the same double as the int.
     */
    private double estimate(double sum) {
        return sum / length;
    }

    /** MOA's {@code getFractionCorrectlyClassified}; after at least one {@link #add}. */
    double accuracy() {
        return estimate(correct);
    }

    /** MOA's {@code getKappaStatistic}; after at least one {@link #add}. */
    double kappa() {
        double p0 = accuracy();
        double pc = 0.0;
        for (int c = 0; c < classes; c++) {
            pc += estimate(predicted[c]) * estimate(actual[c]);
        }
        return (p0 - pc) / (1.0 - pc);
    }

    /** MOA's {@code getKappaMStatistic}; after at least one {@link #add}. */
    double kappaM() {
        double p0 = accuracy();
        double pc = estimate(majorityCorrect);
        return (p0 - pc) / (1.0 - pc);
    }

    private void write(int slot, int trueClass, int predictedClass, boolean majorityRight) {
        int value = (trueClass * classes + predictedClass) * 2 + (majorityRight ? 1 : 0);
        int at = slot * bytesPerSlot;
        for (int b = 0; b < bytesPerSlot; b++) {
            slots[at + b] = (byte) (value >>> (8 * b));
        }
    }

    private int read(int slot) {
        int at = slot * bytesPerSlot;
        int value = 0;
        for (int b = 0; b < bytesPerSlot; b++) {
            value |= (slots[at + b] & 0xFF) << (8 * b);
        }
        return value;
    }
}
