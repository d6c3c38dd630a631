package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import moa.core.InstanceExample;
import moa.core.Measurement;
import moa.core.Utils;
import moa.evaluation.BasicClassificationPerformanceEvaluator;
import moa.evaluation.WindowClassificationPerformanceEvaluator;

/**
 * Prequential evaluation: each prediction is scored against its label when the label arrives.
 * Accuracy, kappa and Kappa-M equal MOA's figures exactly: the cumulative ones come from MOA's own
 * evaluator, the sliding-window ones from {@link WindowEvaluator}, MOA's window evaluator's arithmetic
 * in a small part of its memory (one per model and challenger: with a model per device, MOA's own
 * window was most of a model's heap). Per-class precision, recall and F1, and the G-mean, come from a
 * confusion matrix kept here (MOA reports no G-mean; its per-class recalls equal these).
 *
 * <p>Checkpoints written before {@link WindowEvaluator} hold MOA's window evaluator instead; it is
 * read into one, exactly ({@link LegacyWindow}).
 */
public final class PrequentialEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_WINDOW = 1000;

    private final int numClasses;
    private int window;
    private final InstancesHeader classOnly;
    private final BasicClassificationPerformanceEvaluator cumulative = new BasicClassificationPerformanceEvaluator();
    private WindowEvaluator recent;
    // Only in checkpoints written before WindowEvaluator: MOA's window evaluator, read into recent and dropped.
    private WindowClassificationPerformanceEvaluator windowed;
    private final long[][] confusion;
    private long instances;
    // Instances scored when the window evaluator was last replaced (its width changed).
    private long windowFrom;

    public PrequentialEvaluator(int numClasses) {
        this(numClasses, DEFAULT_WINDOW);
    }

    public PrequentialEvaluator(int numClasses, int window) {
        if (numClasses < 2 || window < 1) {
            throw new IllegalArgumentException("need at least 2 classes and a window of at least 1");
        }
        this.numClasses = numClasses;
        this.window = window;
        // MOA's evaluators read only the class value and weight of the instance: a class-only header will do.
        List<String> labels = IntStream.range(0, numClasses).mapToObj(Integer::toString).toList();
        Instances instances = new Instances("labels", List.of(new Attribute("class", labels)), 0);
        instances.setClassIndex(0);
        this.classOnly = new InstancesHeader(instances);
        cumulative.prepareForUse();
        this.recent = new WindowEvaluator(numClasses, window);
        this.confusion = new long[numClasses][numClasses];
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (recent == null) {
            recent = LegacyWindow.read(windowed, numClasses, window);
            windowed = null;
        }
    }

    /**
     * Uses a window of {@code width} predictions from now on (the configured width changed): the
     * sliding-window figures start afresh, the cumulative ones continue.
     */
    public void resizeWindow(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("need a window of at least 1");
        }
        if (width != window) {
            window = width;
            recent = new WindowEvaluator(numClasses, width);
            windowFrom = instances;
        }
    }

    /** Scores one prediction: {@code votes} as the learner gave them (unnormalised, possibly short). */
    public void add(int trueClass, double[] votes) {
        if (trueClass < 0 || trueClass >= numClasses) {
            throw new IllegalArgumentException("class index " + trueClass + " out of range");
        }
        Instance instance = new DenseInstance(1.0, new double[] {trueClass});
        instance.setDataset(classOnly);
        cumulative.addResult(new InstanceExample(instance), votes);
        int predicted = Utils.maxIndex(votes);
        recent.add(trueClass, predicted);
        confusion[trueClass][predicted]++;
        instances++;
    }

    public long instances() {
        return instances;
    }

    public EvaluationSnapshot snapshot(List<String> classes) {
        if (classes.size() != numClasses) {
            throw new IllegalArgumentException("expected " + numClasses + " class names, got " + classes);
        }
        if (instances == 0) {
            return new EvaluationSnapshot(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, window,
                    perClass(classes), new long[numClasses][numClasses], Double.NaN, Double.NaN, Double.NaN);
        }
        Measurement[] all = cumulative.getPerformanceMeasurements();
        // A window that has seen nothing yet has no figures (MOA's would fail).
        boolean hasWindow = instances > windowFrom;
        long[][] matrix = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) {
            matrix[i] = confusion[i].clone();
        }
        return new EvaluationSnapshot(instances,
                measurement(all, "classifications correct (percent)"),
                measurement(all, "Kappa Statistic (percent)"),
                measurement(all, "Kappa Temporal Statistic (percent)"),
                hasWindow ? recent.accuracy() * 100.0 : Double.NaN,
                hasWindow ? recent.kappa() * 100.0 : Double.NaN,
                window, perClass(classes), matrix,
                measurement(all, "Kappa M Statistic (percent)"),
                hasWindow ? recent.kappaM() * 100.0 : Double.NaN,
                gMean());
    }

    /**
     * One figure of {@link #snapshot}, equal to it to the last bit, without computing the others: the
     * promotion rule compares the champion's and every challenger's after each input that scored a
     * prediction, and a whole snapshot (every MOA measurement, both evaluators) costs many times one.
     * F1 is the class {@code positiveIndex}'s, in percent as the others.
     */
    public double figure(Lifecycle.Promotion.Metric metric, int positiveIndex) {
        // As in snapshot: a window that has seen nothing yet has no figures.
        boolean hasWindow = instances > windowFrom;
        return switch (metric) {
            case KAPPA -> instances == 0 ? Double.NaN : cumulative.getKappaStatistic() * 100.0;
            case ACCURACY -> instances == 0 ? Double.NaN : cumulative.getFractionCorrectlyClassified() * 100.0;
            case WINDOW_KAPPA -> hasWindow ? recent.kappa() * 100.0 : Double.NaN;
            case WINDOW_ACCURACY -> hasWindow ? recent.accuracy() * 100.0 : Double.NaN;
            case F1 -> 100 * counts(positiveIndex).f1();
            case NONE -> Double.NaN;
        };
    }

    /** The geometric mean of the per-class recalls, over the classes that occurred (NaN before any). */
    private double gMean() {
        double logSum = 0;
        int occurred = 0;
        for (int c = 0; c < numClasses; c++) {
            long support = 0;
            for (long count : confusion[c]) {
                support += count;
            }
            if (support > 0) {
                logSum += Math.log((double) confusion[c][c] / support);
                occurred++;
            }
        }
        return occurred == 0 ? Double.NaN : Math.exp(logSum / occurred);
    }

    private List<EvaluationSnapshot.ClassMetrics> perClass(List<String> classes) {
        List<EvaluationSnapshot.ClassMetrics> metrics = new ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            ClassCounts counts = counts(c);
            metrics.add(new EvaluationSnapshot.ClassMetrics(classes.get(c), counts.support(), counts.precision(),
                    counts.recall(), counts.f1()));
        }
        return metrics;
    }

    private record ClassCounts(long support, double precision, double recall, double f1) {
    }

    /** Class {@code c}'s figures from the confusion matrix. */
    private ClassCounts counts(int c) {
        long truePositives = confusion[c][c];
        long support = 0;
        long predicted = 0;
        for (int other = 0; other < numClasses; other++) {
            support += confusion[c][other];
            predicted += confusion[other][c];
        }
        double precision = predicted == 0 ? 0 : (double) truePositives / predicted;
        double recall = support == 0 ? 0 : (double) truePositives / support;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassCounts(support, precision, recall, f1);
    }

    private static double measurement(Measurement[] measurements, String name) {
        for (Measurement measurement : measurements) {
            if (measurement.getName().equals(name)) {
                return measurement.getValue();
            }
        }
        throw new IllegalStateException("MOA's evaluator no longer reports " + name);
    }
}
