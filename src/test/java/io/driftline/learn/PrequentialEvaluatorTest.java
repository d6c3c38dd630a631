package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrequentialEvaluatorTest {

    @Test
    void shouldReportPerClassPrecisionRecallF1AndTheConfusionMatrix() {
        PrequentialEvaluator evaluator = new PrequentialEvaluator(2, 4);
        // true normal: 6 right, 2 wrongly called failure; true failure: 1 caught, 1 missed.
        add(evaluator, 0, 0, 6);
        add(evaluator, 0, 1, 2);
        add(evaluator, 1, 1, 1);
        add(evaluator, 1, 0, 1);

        EvaluationSnapshot snapshot = evaluator.snapshot(List.of("normal", "failure"));

        assertThat(snapshot.instances()).isEqualTo(10);
        assertThat(snapshot.accuracy()).isCloseTo(70.0, within(1e-9));
        assertThat(snapshot.confusion()).isDeepEqualTo(new long[][] {{6, 2}, {1, 1}});
        EvaluationSnapshot.ClassMetrics failure = snapshot.perClass().get(1);
        assertThat(failure.label()).isEqualTo("failure");
        assertThat(failure.support()).isEqualTo(2);
        assertThat(failure.precision()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(failure.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(failure.f1()).isCloseTo(0.4, within(1e-12));
        // The window holds the last four: two false alarms, one failure caught, one missed.
        assertThat(snapshot.window()).isEqualTo(4);
        assertThat(snapshot.windowAccuracy()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void shouldScoreEmptyVotesAsTheFirstClassLikeMoa() {
        PrequentialEvaluator evaluator = new PrequentialEvaluator(2);
        evaluator.add(0, new double[0]);
        evaluator.add(1, new double[] {0.2});

        assertThat(evaluator.snapshot(List.of("a", "b")).confusion()).isDeepEqualTo(new long[][] {{1, 0}, {1, 0}});
    }

    private static void add(PrequentialEvaluator evaluator, int trueClass, int predicted, int times) {
        for (int i = 0; i < times; i++) {
            double[] votes = new double[2];
            votes[predicted] = 1;
            evaluator.add(trueClass, votes);
        }
    }
}
