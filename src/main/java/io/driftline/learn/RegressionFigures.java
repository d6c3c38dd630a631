package io.driftline.learn;

/**
 * Prequential regression figures.
 *
 * @param instances predictions scored
 * @param mae       mean absolute error
 * @param rmse      root mean squared error
 * @param r2        coefficient of determination (MOA's prequential R²)
 */
public record RegressionFigures(long instances, double mae, double rmse, double r2) {
}
