package io.driftline.learn;

import io.driftline.drift.DataDrift;
import java.io.Serializable;
import java.util.List;

/**
 * A model's prediction for one observation, made before the model learns from it.
 *
 * @param predictedClass      the class MOA's evaluators would score ({@code Utils.maxIndex} of the votes)
 * @param predictedIndex      its index in the model's classes
 * @param probabilities       the votes normalised to sum to 1 (all zero before the model learned anything)
 * @param positiveProbability the probability of the positive (failure) class
 * @param modelVersion        instances the model had trained on when it predicted
 * @param dataDrifts          data drift detected on this observation's sensors
 * @param anomaly             the anomaly detector's view of the observation's sensors; null without one
 * @param bySlot              the class index each of the model's learners predicted, by slot (-1: none of
 *                            that slot); null when the model has no challengers
 */
public record Scored(String predictedClass, int predictedIndex, double[] probabilities, double positiveProbability,
                     long modelVersion, List<DataDrift> dataDrifts, Anomaly anomaly, int[] bySlot)
        implements Serializable {
}
