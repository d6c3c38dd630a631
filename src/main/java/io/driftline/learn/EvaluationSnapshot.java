package io.driftline.learn;

import java.util.List;

/**
 * Prequential figures of a model at one moment. Accuracy and kappa are in percent, as MOA prints
 * them; the cumulative ones are MOA's {@code BasicClassificationPerformanceEvaluator}'s and the
 * windowed ones MOA's {@code WindowClassificationPerformanceEvaluator}'s, to the last digit.
 *
 * @param instances      labelled instances scored
 * @param accuracy       cumulative accuracy, percent
 * @param kappa          cumulative Cohen's kappa, percent
 * @param kappaTemporal  cumulative temporal kappa (against the "same class as last time" baseline), percent
 * @param windowAccuracy accuracy over the last {@code window} instances, percent
 * @param windowKappa    kappa over the last {@code window} instances, percent
 * @param window         the window's width
 * @param perClass       precision, recall and F1 per class (failures are rare: accuracy alone misleads)
 * @param confusion      {@code confusion[true][predicted]} counts
 * @param kappaM         cumulative Kappa-M (against the majority-class baseline: negative when the model
 *                       does worse than always predicting the commonest class), percent, MOA's
 * @param windowKappaM   Kappa-M over the last {@code window} instances, percent, MOA's
 * @param gMean          geometric mean of the per-class recalls (of the classes that occurred), 0 to 1:
 *                       0 when any class is never recognised, which accuracy hides when failures are rare
 */
public record EvaluationSnapshot(long instances, double accuracy, double kappa, double kappaTemporal,
                                 double windowAccuracy, double windowKappa, int window,
                                 List<ClassMetrics> perClass, long[][] confusion, double kappaM,
                                 double windowKappaM, double gMean) {

    /** One class's precision, recall and F1 (0 when undefined: nothing predicted or nothing true). */
    public record ClassMetrics(String label, long support, double precision, double recall, double f1) {
    }
}
