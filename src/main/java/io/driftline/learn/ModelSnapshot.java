package io.driftline.learn;

import io.driftline.drift.ConceptDrift;
import io.driftline.drift.DataDrift;
import java.util.List;

/**
 * A model's state for operators.
 *
 * @param learner            the MOA learner spec
 * @param adaptation         what concept drift does to it
 * @param conceptDriftDetector the MOA change detector on its error stream, as a CLI spec
 * @param readingsSeen       readings predicted
 * @param instancesTrained   labelled instances trained on (the model version)
 * @param features           the features the model uses, in attribute order
 * @param evaluation         prequential figures
 * @param conceptDrifts      concept drifts detected so far
 * @param conceptWarnings    warning zones the detector entered from in control so far (MOA's "Warning detected")
 * @param inWarningZone      whether the last scored prediction left the detector in a warning zone
 * @param dataDrifts         data drifts detected so far
 * @param invalidValues      values that were present but unusable (non-finite, wrong kind), treated as missing
 * @param recentConceptDrift the most recent concept drifts, oldest first
 * @param recentDataDrift    the most recent data drifts, oldest first
 * @param modelBytes         the model's size (its Java serialisation) as last measured
 * @param growthStopped      whether {@code model.max.bytes} stopped the model (a Hoeffding tree) from growing
 * @param remainingLife      the remaining-life regressor's prequential figures; null when {@code rul.enabled} is off
 * @param challengers        the learners trained beside it ({@code learner.challengers}), each with its own evaluation
 */
public record ModelSnapshot(String learner, Adaptation adaptation, String conceptDriftDetector, long readingsSeen,
                            long instancesTrained, List<FeatureDef> features, EvaluationSnapshot evaluation,
                            long conceptDrifts, long conceptWarnings, boolean inWarningZone, long dataDrifts, long invalidValues, List<ConceptDrift> recentConceptDrift,
                            List<DataDrift> recentDataDrift, long modelBytes, boolean growthStopped,
                            RegressionFigures remainingLife, List<ChallengerSnapshot> challengers) {

    /**
     * A challenger as operators see it.
     *
     * @param learner          its MOA learner spec
     * @param instancesTrained labelled instances it trained on
     * @param evaluation       its prequential figures, on the same labelled readings as the champion's since it started
     */
    public record ChallengerSnapshot(String learner, long instancesTrained, EvaluationSnapshot evaluation) {
    }
}
