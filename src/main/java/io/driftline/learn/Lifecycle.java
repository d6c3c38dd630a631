package io.driftline.learn;

import java.util.List;
import java.util.Locale;

/**
 * How a model key's models follow one another: the challengers that learn beside the serving model
 * (the champion), the rule that promotes one, and how many retired versions stay restorable.
 *
 * @param challengers  MOA classifier CLI specs of the learners trained beside the champion
 * @param promotion    when a challenger replaces the champion by itself
 * @param versionsKept retired versions kept frozen, so that a rollback can make them serve again
 */
public record Lifecycle(List<String> challengers, Promotion promotion, int versionsKept) {

    /** No challengers; the last 3 versions kept. */
    public static final Lifecycle DEFAULT = new Lifecycle(List.of(), Promotion.DEFAULT, 3);

    public Lifecycle {
        challengers = List.copyOf(challengers);
        if (versionsKept < 0) {
            throw new IllegalArgumentException("versions kept must not be negative: " + versionsKept);
        }
    }

    /**
     * A challenger replaces the champion once both were scored on at least {@code minLabelled}
     * labelled readings and its {@code metric} beats the champion's by more than {@code margin}.
     *
     * @param metric      the figure compared (percent); {@link Metric#NONE}: only an operator promotes
     * @param margin      how far ahead, in the metric's points, a challenger must be
     * @param minLabelled labelled readings each must have been scored on
     */
    public record Promotion(Metric metric, double margin, long minLabelled) {

        /** Kappa (failures are rare: accuracy rewards predicting none), 2 points ahead, after 1,000 labelled readings. */
        public static final Promotion DEFAULT = new Promotion(Metric.KAPPA, 2.0, 1_000);

        /** The compared figures: those of a model's {@link EvaluationSnapshot} (see {@link PrequentialEvaluator#figure}). */
        public enum Metric {
            KAPPA, WINDOW_KAPPA, ACCURACY, WINDOW_ACCURACY, F1, NONE;

            public static Metric fromConfigValue(String value) {
                return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
        }
    }
}
