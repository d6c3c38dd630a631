package io.driftline.learn;

import io.driftline.drift.DataDriftSettings;
import java.util.List;

/**
 * Everything a new model is created with. Configuration, not state: never part of a checkpoint
 * (a model read back from one is given the current settings, see {@link OnlineModel#attach}).
 *
 * @param learnerSpec       a MOA classifier CLI spec, e.g. {@code trees.HoeffdingTree -g 100}
 * @param classes           the class labels, in MOA's order
 * @param positiveClass     the class whose probability is published as failure probability
 * @param declaredFeatures  features fixed up front, in attribute order; others are appended as seen
 * @param adaptation        what concept drift does to the learner
 * @param conceptDriftDetector the MOA change detector on the 0/1 error stream, as a CLI spec (e.g. {@code DDM})
 * @param conceptDriftDelta ADWIN's confidence on the 0/1 error stream, unless the detector spec sets its own
 * @param conceptDriftCooldown scored instances after a concept drift during which no other is reported
 * @param conceptDriftMinIncrease smallest rise of the error rate reported as concept drift (ADWIN)
 * @param conceptDriftWarmup scored instances of a fresh or replaced model during which no concept drift is reported
 * @param conceptDriftInputShift the step, in normal spreads, of a sensor the model's tree splits on that is a
 *                          concept drift too (see {@link io.driftline.drift.InputShift}); 0: none is
 * @param dataDrift         how the model's sensors are watched for data drift
 * @param evaluationWindow  width of the sliding-window accuracy and kappa
 * @param maxModelBytes     the size (Java serialisation) beyond which each of a model's learners is bounded, see
 *                          {@link SizeCapped};
 *                          0: unbounded (also what checkpoints written before the bound read back as)
 * @param anomalyDetector   a MOA one-class learner CLI spec for the model's {@link AnomalyDetector}, e.g.
 *                          {@code oneclass.HSTrees -t 10 -h 8}; empty: no anomaly detection
 * @param remainingLifeLearner a MOA regressor CLI spec for the model's {@link RemainingLife}, e.g.
 *                          {@code trees.FIMTDD}; empty: no remaining-useful-life regression
 * @param lifecycle         challengers, promotion rule and versions kept
 */
public record ModelSettings(String learnerSpec, List<String> classes, String positiveClass,
                            List<FeatureDef> declaredFeatures, Adaptation adaptation, String conceptDriftDetector,
                            double conceptDriftDelta, int conceptDriftCooldown, double conceptDriftMinIncrease,
                            int conceptDriftWarmup, double conceptDriftInputShift, DataDriftSettings dataDrift, int evaluationWindow,
                            long maxModelBytes, String anomalyDetector,
                            String remainingLifeLearner, Lifecycle lifecycle) {

    /** Settings of a model key without challengers, keeping {@link Lifecycle#DEFAULT}'s versions. */
    public ModelSettings(String learnerSpec, List<String> classes, String positiveClass,
                         List<FeatureDef> declaredFeatures, Adaptation adaptation, String conceptDriftDetector,
                         double conceptDriftDelta, int conceptDriftCooldown, double conceptDriftMinIncrease,
                         int conceptDriftWarmup, double conceptDriftInputShift, DataDriftSettings dataDrift,
                         int evaluationWindow, long maxModelBytes, String anomalyDetector, String remainingLifeLearner) {
        this(learnerSpec, classes, positiveClass, declaredFeatures, adaptation, conceptDriftDetector,
                conceptDriftDelta, conceptDriftCooldown, conceptDriftMinIncrease, conceptDriftWarmup,
                conceptDriftInputShift, dataDrift,
                evaluationWindow, maxModelBytes, anomalyDetector, remainingLifeLearner, Lifecycle.DEFAULT);
    }

    public ModelSettings {
        classes = List.copyOf(classes);
        declaredFeatures = List.copyOf(declaredFeatures);
        if (classes.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
        }
        if (!classes.contains(positiveClass)) {
            throw new IllegalArgumentException("positive class " + positiveClass + " is not one of " + classes);
        }
        if (maxModelBytes < 0) {
            throw new IllegalArgumentException("the model size bound must not be negative: " + maxModelBytes);
        }
        if (conceptDriftWarmup < 0) {
            throw new IllegalArgumentException("the concept drift warm-up must not be negative: " + conceptDriftWarmup);
        }
    }

    public int versionsKept() {
        return lifecycle.versionsKept();
    }

    public boolean detectsAnomalies() {
        return !anomalyDetector.isEmpty();
    }

    public boolean predictsRemainingLife() {
        return !remainingLifeLearner.isEmpty();
    }

    public int positiveIndex() {
        return classes.indexOf(positiveClass);
    }
}
