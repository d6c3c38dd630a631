package io.driftline.bench;

/**
 * A figure of a run against its bound, as a report states it: the figure to three decimals, the
 * bound as text ({@code ">= 0.8"}) and whether it holds. {@code value} is null where the run could
 * not measure the figure; then the criterion fails, never on a made-up figure.
 */
record Criterion(Double value, String bound, boolean pass) {

    /** {@code value} at least {@code bound}; NaN: not measured. */
    static Criterion atLeast(double value, double bound) {
        return of(value, ">= " + bound, value >= bound);
    }

    /** {@code value} at most {@code bound}; NaN: not measured. */
    static Criterion atMost(double value, double bound) {
        return of(value, "<= " + bound, value <= bound);
    }

    private static Criterion of(double value, String bound, boolean pass) {
        return Double.isNaN(value) ? new Criterion(null, bound, false)
                : new Criterion(BenchCommand.round3(value), bound, pass);
    }
}
