package io.driftline.learn;

import io.driftline.drift.DataDriftSettings;
import java.time.Duration;
import java.util.Set;
import moa.core.ObjectRepository;
import moa.evaluation.preview.LearningCurve;
import moa.tasks.EvaluatePrequential;
import moa.tasks.EvaluatePrequentialDelayed;
import moa.tasks.EvaluatePrequentialRegression;
import moa.tasks.MainTask;
import moa.tasks.NullMonitor;

/** MOA's own figures, computed in-process with MOA's own task: what Driftline must equal. */
public final class MoaReference {

    private MoaReference() {
    }

    /** {@code EvaluatePrequential -l learner -s stream -e evaluator -i instances -f instances}. */
    public static LearningCurve evaluatePrequential(String stream, String learner, String evaluator, int instances) {
        EvaluatePrequential task = new EvaluatePrequential();
        task.learnerOption.setValueViaCLIString(learner);
        task.streamOption.setValueViaCLIString(stream);
        task.evaluatorOption.setValueViaCLIString(evaluator);
        task.instanceLimitOption.setValue(instances);
        task.sampleFrequencyOption.setValue(instances);
        return run(task);
    }

    public static LearningCurve evaluatePrequential(String stream, String learner, int instances) {
        return evaluatePrequential(stream, learner, "BasicClassificationPerformanceEvaluator", instances);
    }

    /** {@code EvaluatePrequentialDelayed -k delay -p 0 -l learner -s stream -i instances}, Basic evaluator. */
    public static LearningCurve evaluateDelayed(String stream, String learner, int delay, int instances) {
        EvaluatePrequentialDelayed task = new EvaluatePrequentialDelayed();
        task.learnerOption.setValueViaCLIString(learner);
        task.streamOption.setValueViaCLIString(stream);
        task.evaluatorOption.setValueViaCLIString("BasicClassificationPerformanceEvaluator");
        task.delayLengthOption.setValue(delay);
        task.initialWindowSizeOption.setValue(0);
        task.instanceLimitOption.setValue(instances);
        task.sampleFrequencyOption.setValue(instances);
        return run(task);
    }

    /** {@code EvaluatePrequentialRegression -l learner -s stream -e BasicRegressionPerformanceEvaluator -i instances -f instances}. */
    public static LearningCurve evaluatePrequentialRegression(String stream, String learner, int instances) {
        EvaluatePrequentialRegression task = new EvaluatePrequentialRegression();
        task.learnerOption.setValueViaCLIString(learner);
        task.streamOption.setValueViaCLIString(stream);
        task.evaluatorOption.setValueViaCLIString("BasicRegressionPerformanceEvaluator");
        task.instanceLimitOption.setValue(instances);
        task.sampleFrequencyOption.setValue(instances);
        return run(task);
    }

    private static LearningCurve run(MainTask task) {
        task.prepareForUse();
        return (LearningCurve) task.doTask(new NullMonitor(), new ObjectRepository() {
            @Override
            public Object getObjectNamed(String name) {
                return null;
            }
        });
    }

    /** The last value of {@code measurement}, e.g. {@code classifications correct (percent)}. */
    public static double last(LearningCurve curve, String measurement) {
        for (int i = 0; i < curve.getMeasurementNameCount(); i++) {
            if (curve.getMeasurementName(i).equals(measurement)) {
                return curve.getMeasurement(curve.numEntries() - 1, i);
            }
        }
        throw new IllegalArgumentException(measurement + " not in " + curve.headerToString());
    }

    /** Settings that reproduce {@code source}'s MOA header exactly, concept drift as MOA detects it with ADWIN. */
    public static ModelSettings settingsFor(MoaStreams.Source source, String learner, Adaptation adaptation) {
        return settingsFor(source, learner, adaptation, "ADWINChangeDetector");
    }

    /** The same with another MOA change detector; cool-down, minimum increase, warm-up and input shift 0 (MOA's behaviour). */
    public static ModelSettings settingsFor(MoaStreams.Source source, String learner, Adaptation adaptation,
                                            String detector) {
        return new ModelSettings(learner, source.classes(), source.classes().get(source.classes().size() - 1),
                source.features(), adaptation, detector, 0.002, 0, 0, 0, 0,
                new DataDriftSettings(0.002, Duration.ofHours(1), 0.5, 1, Set.of()), 1000, 0, "", "");
    }
}
