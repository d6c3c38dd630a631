package io.driftline.drift;

import com.github.javacliparser.FloatOption;
import com.github.javacliparser.MultiChoiceOption;
import java.io.Serializable;
import moa.classifiers.core.driftdetection.AbstractChangeDetector;
import moa.core.ObjectRepository;
import moa.tasks.TaskMonitor;

/**
 * MOA's {@code HDDM_W_Test} (Frías-Blanco et al., "Online and non-parametric drift detection methods
 * based on Hoeffding's bounds", IEEE TKDE 2015), ported from MOA 2024.07.0 (Apache License 2.0, by
 * Isvani Frías-Blanco) with one change: MOA keeps its statistics in static fields, so every instance
 * in a JVM shares one state (each model would disturb the others) and none is serialised (a restored
 * model would lose it). Here they are the instance's own. Same options, same arithmetic, so one
 * instance detects exactly what MOA's does alone (tested).
 */
public final class HddmWTest extends AbstractChangeDetector {

    private static final long serialVersionUID = 1L;

    public FloatOption driftConfidenceOption = new FloatOption("driftConfidence", 'd',
            "Confidence to the drift", 0.001, 0, 1);
    public FloatOption warningConfidenceOption = new FloatOption("warningConfidence", 'w',
            "Confidence to the warning", 0.005, 0, 1);
    public FloatOption lambdaOption = new FloatOption("lambda", 'm',
            "Controls how much weight is given to more recent data compared to older data. Smaller values mean "
                    + "less weight given to recent data.", 0.050, 0, 1);
    public MultiChoiceOption oneSidedTestOption = new MultiChoiceOption("typeOfTest", 't',
            "Monitors error increments and decrements (two-sided) or only increments (one-sided)",
            new String[] {"One-sided", "Two-sided"}, new String[] {"One-sided", "Two-sided"}, 0);

    /** An exponentially weighted mean and the sum that bounds its deviation. */
    private static final class SampleInfo implements Serializable {
        private static final long serialVersionUID = 1L;
        private double ewmaEstimator = -1.0;
        private double independentBoundedConditionSum;
    }

    private SampleInfo sample1IncrMonitoring;
    private SampleInfo sample2IncrMonitoring;
    private SampleInfo sample1DecrMonitoring;
    private SampleInfo sample2DecrMonitoring;
    private SampleInfo total;
    private double incrCutPoint;
    private double decrCutPoint;
    private double lambda;
    private double warningConfidence;
    private double driftConfidence;
    private boolean oneSidedTest;

    public HddmWTest() {
        resetLearning();
    }

    @Override
    public void resetLearning() {
        super.resetLearning();
        total = new SampleInfo();
        sample1DecrMonitoring = new SampleInfo();
        sample1IncrMonitoring = new SampleInfo();
        sample2DecrMonitoring = new SampleInfo();
        sample2IncrMonitoring = new SampleInfo();
        incrCutPoint = Double.MAX_VALUE;
        decrCutPoint = Double.MIN_VALUE;
        lambda = lambdaOption.getValue();
        driftConfidence = driftConfidenceOption.getValue();
        warningConfidence = warningConfidenceOption.getValue();
        oneSidedTest = oneSidedTestOption.getChosenIndex() == 0;
        delay = 0;
    }

    @Override
    public void input(double value) {
        double auxDecayRate = 1.0 - lambda;
        if (total.ewmaEstimator < 0) {
            total.ewmaEstimator = value;
            total.independentBoundedConditionSum = 1;
        } else {
            total.ewmaEstimator = lambda * value + auxDecayRate * total.ewmaEstimator;
            total.independentBoundedConditionSum = lambda * lambda
                    + auxDecayRate * auxDecayRate * total.independentBoundedConditionSum;
        }
        updateIncrStatistics(value);
        if (detectMeanIncrement(sample1IncrMonitoring, sample2IncrMonitoring, driftConfidence)) {
            resetLearning();
            isChangeDetected = true;
            isWarningZone = false;
        } else if (detectMeanIncrement(sample1IncrMonitoring, sample2IncrMonitoring, warningConfidence)) {
            isChangeDetected = false;
            isWarningZone = true;
        } else {
            isChangeDetected = false;
            isWarningZone = false;
        }
        updateDecrStatistics(value);
        if (!oneSidedTest && detectMeanIncrement(sample2DecrMonitoring, sample1DecrMonitoring, driftConfidence)) {
            resetLearning();
        }
        estimation = total.ewmaEstimator;
    }

    private static boolean detectMeanIncrement(SampleInfo sample1, SampleInfo sample2, double confidence) {
        if (sample1.ewmaEstimator < 0 || sample2.ewmaEstimator < 0) {
            return false;
        }
        double bound = Math.sqrt((sample1.independentBoundedConditionSum + sample2.independentBoundedConditionSum)
                * Math.log(1 / confidence) / 2);
        return sample2.ewmaEstimator - sample1.ewmaEstimator > bound;
    }

    private void updateIncrStatistics(double value) {
        double bound = Math.sqrt(total.independentBoundedConditionSum * Math.log(1.0 / driftConfidence) / 2);
        if (total.ewmaEstimator + bound < incrCutPoint) {
            incrCutPoint = total.ewmaEstimator + bound;
            sample1IncrMonitoring.ewmaEstimator = total.ewmaEstimator;
            sample1IncrMonitoring.independentBoundedConditionSum = total.independentBoundedConditionSum;
            sample2IncrMonitoring = new SampleInfo();
            delay = 0;
        } else {
            delay++;
            add(sample2IncrMonitoring, value);
        }
    }

    private void updateDecrStatistics(double value) {
        double epsilon = Math.sqrt(total.independentBoundedConditionSum * Math.log(1.0 / driftConfidence) / 2);
        if (total.ewmaEstimator - epsilon > decrCutPoint) {
            decrCutPoint = total.ewmaEstimator - epsilon;
            sample1DecrMonitoring.ewmaEstimator = total.ewmaEstimator;
            sample1DecrMonitoring.independentBoundedConditionSum = total.independentBoundedConditionSum;
            sample2DecrMonitoring = new SampleInfo();
        } else {
            add(sample2DecrMonitoring, value);
        }
    }

    private void add(SampleInfo sample, double value) {
        if (sample.ewmaEstimator < 0) {
            sample.ewmaEstimator = value;
            sample.independentBoundedConditionSum = 1;
        } else {
            double auxDecay = 1.0 - lambda;
            sample.ewmaEstimator = lambda * value + auxDecay * sample.ewmaEstimator;
            sample.independentBoundedConditionSum = lambda * lambda
                    + auxDecay * auxDecay * sample.independentBoundedConditionSum;
        }
    }

    @Override
    protected void prepareForUseImpl(TaskMonitor monitor, ObjectRepository repository) {
        resetLearning();
    }

    @Override
    public void getDescription(StringBuilder sb, int indent) {
        sb.append("HDDM_W_Test with its statistics per instance");
    }
}
