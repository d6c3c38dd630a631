package io.driftline.learn;

/** What a model does when concept drift is detected on its error stream. */
public enum Adaptation {
    /** Report the drift and keep learning with the same model (adaptive learners adapt by themselves). */
    NONE,
    /**
     * Report the drift and replace the learner by a fresh one, as MOA's
     * {@code drift.DriftDetectionMethodClassifier} with {@code ADWINChangeDetector} does.
     */
    RESET_ON_DRIFT,
    /**
     * Report the drift and replace the learner by the one trained in the background since the
     * detector's warning zone began (a fresh one if there was none): MOA's
     * {@code drift.DriftDetectionMethodClassifier} with any detector. Equal to {@link #RESET_ON_DRIFT}
     * with a detector that never warns, such as ADWIN.
     */
    BACKGROUND
}
