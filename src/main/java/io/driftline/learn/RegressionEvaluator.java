package io.driftline.learn;

import java.io.Serializable;

/**
 * Prequential regression figures over every instance so far, computed exactly as MOA's
 * {@code BasicRegressionPerformanceEvaluator} computes them (same sums, same order of operations),
 * so that Driftline's figures equal MOA's {@code EvaluatePrequentialRegression} to the last digit.
 * R² is {@code 1 - SSE / SST} where SST sums each target's squared deviation from the mean of the
 * targets before it (MOA's prequential definition).
 */
public final class RegressionEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;

    private double weightObserved;
    private double squareError;
    private double absoluteError;
    private double sumTarget;
    private double squareTargetError;

    /** Scores {@code prediction} against the true {@code target} (unit weight). */
    public void add(double target, double prediction) {
        double meanTarget = weightObserved != 0 ? sumTarget / weightObserved : 0.0;
        squareError += (target - prediction) * (target - prediction);
        absoluteError += Math.abs(target - prediction);
        squareTargetError += (target - meanTarget) * (target - meanTarget);
        sumTarget += target;
        weightObserved += 1;
    }

    public RegressionFigures figures() {
        boolean any = weightObserved > 0.0;
        return new RegressionFigures((long) weightObserved,
                any ? absoluteError / weightObserved : 0.0,
                Math.sqrt(any ? squareError / weightObserved : 0.0),
                any ? 1 - squareError / squareTargetError : 0.0);
    }
}
