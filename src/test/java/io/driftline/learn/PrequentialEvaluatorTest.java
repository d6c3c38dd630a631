package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.driftline.learn.legacy.OlderCheckpoints;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import moa.core.InstanceExample;
import moa.core.Measurement;
import moa.evaluation.BasicClassificationPerformanceEvaluator;
import moa.evaluation.WindowClassificationPerformanceEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void shouldReportKappaMAsMoaDoesAndTheGMeanOfMoasPerClassRecalls() {
        int window = 100;
        PrequentialEvaluator evaluator = new PrequentialEvaluator(3, window);
        BasicClassificationPerformanceEvaluator moa = new BasicClassificationPerformanceEvaluator();
        moa.recallPerClassOption.set();
        moa.prepareForUse();
        WindowClassificationPerformanceEvaluator moaWindow = new WindowClassificationPerformanceEvaluator();
        moaWindow.widthOption.setValue(window);
        moaWindow.prepareForUse();
        Instances header = new Instances("labels", List.of(new Attribute("class", List.of("0", "1", "2"))), 0);
        header.setClassIndex(0);
        InstancesHeader classOnly = new InstancesHeader(header);
        Random random = new Random(16);
        for (int i = 0; i < 5_000; i++) {
            // Imbalanced, as failures are: class 0 is the majority; votes right about two times in three.
            double draw = random.nextDouble();
            int trueClass = draw < 0.9 ? 0 : draw < 0.97 ? 1 : 2;
            double[] votes = new double[3];
            votes[random.nextDouble() < 0.65 ? trueClass : random.nextInt(3)] = 0.5 + random.nextDouble();
            votes[random.nextInt(3)] += 0.3 * random.nextDouble();
            evaluator.add(trueClass, votes);
            Instance instance = new DenseInstance(1.0, new double[] {trueClass});
            instance.setDataset(classOnly);
            moa.addResult(new InstanceExample(instance), votes);
            moaWindow.addResult(new InstanceExample(instance), votes);
        }

        EvaluationSnapshot snapshot = evaluator.snapshot(List.of("normal", "failure", "overheat"));

        assertThat(snapshot.kappaM()).isEqualTo(value(moa.getPerformanceMeasurements(), "Kappa M Statistic (percent)"));
        assertThat(snapshot.windowKappaM())
                .isEqualTo(value(moaWindow.getPerformanceMeasurements(), "Kappa M Statistic (percent)"));
        double product = 1;
        for (int c = 0; c < 3; c++) {
            product *= value(moa.getPerformanceMeasurements(), "Recall for class " + c + " (percent)") / 100;
        }
        assertThat(snapshot.gMean()).isCloseTo(Math.cbrt(product), within(1e-12));
        assertThat(snapshot.gMean()).isBetween(0.3, 0.9);
    }

    /**
     * The window's figures are MOA's window evaluator's to the last bit after every prediction, while the
     * window fills and for many turns after it wraps around: two classes (the default), three, and twelve
     * (two bytes a slot); a window of one; imbalanced classes, ties and empty votes (the first class, as MOA).
     */
    @ParameterizedTest
    @CsvSource({"2, 1000, 12000", "2, 1, 300", "3, 7, 3000", "12, 100, 5000"})
    void shouldGiveMoasWindowFiguresToTheLastBitAsTheWindowTurns(int classes, int width, int predictions) {
        PrequentialEvaluator evaluator = new PrequentialEvaluator(classes, width);
        MoaWindow moa = new MoaWindow(classes, width);
        Random random = new Random(classes * 31L + width);
        for (int i = 0; i < predictions; i++) {
            // Mostly the first class, as readings are mostly normal; the learner right about three times in four.
            int trueClass = random.nextDouble() < 0.8 ? 0 : 1 + random.nextInt(classes - 1);
            double[] votes = votes(random, classes, trueClass);
            evaluator.add(trueClass, votes);
            moa.add(trueClass, votes);
            EvaluationSnapshot snapshot = evaluator.snapshot(IntStream.range(0, classes).mapToObj(Integer::toString).toList());
            assertThat(bits(snapshot.windowAccuracy(), snapshot.windowKappa(), snapshot.windowKappaM()))
                    .as("after %d predictions", i + 1)
                    .containsExactly(bits(moa.figure("classifications correct (percent)"),
                            moa.figure("Kappa Statistic (percent)"), moa.figure("Kappa M Statistic (percent)")));
        }
    }

    /**
     * A checkpoint written before the compact window holds MOA's window evaluator: read back, the window
     * goes on as MOA's would have, to the last bit, full or not yet.
     */
    @ParameterizedTest
    @CsvSource({"130", "20", "0"})
    void shouldReadMoasWindowFromAnOlderCheckpointAndGoOnAsMoaWould(int before) throws Exception {
        int classes = 3;
        int width = 50;
        io.driftline.learn.legacy.PrequentialEvaluator old = new io.driftline.learn.legacy.PrequentialEvaluator(classes, width);
        MoaWindow moa = new MoaWindow(classes, width);
        Random random = new Random(before);
        for (int i = 0; i < before; i++) {
            int trueClass = random.nextInt(classes);
            double[] votes = votes(random, classes, trueClass);
            old.add(trueClass, votes);
            moa.add(trueClass, votes);
        }

        PrequentialEvaluator restored = OlderCheckpoints.readAs(old, PrequentialEvaluator.class);

        for (int i = 0; i < 200; i++) {
            int trueClass = random.nextInt(classes);
            double[] votes = votes(random, classes, trueClass);
            restored.add(trueClass, votes);
            moa.add(trueClass, votes);
            EvaluationSnapshot snapshot = restored.snapshot(List.of("0", "1", "2"));
            assertThat(bits(snapshot.windowAccuracy(), snapshot.windowKappa(), snapshot.windowKappaM()))
                    .as("after %d predictions", before + i + 1)
                    .containsExactly(bits(moa.figure("classifications correct (percent)"),
                            moa.figure("Kappa Statistic (percent)"), moa.figure("Kappa M Statistic (percent)")));
        }
        assertThat(restored.instances()).isEqualTo(before + 200);
    }

    private static double[] votes(Random random, int classes, int trueClass) {
        double draw = random.nextDouble();
        if (draw < 0.02) {
            return new double[0];
        }
        double[] votes = new double[classes];
        if (draw < 0.05) {
            return votes;
        }
        votes[random.nextDouble() < 0.75 ? trueClass : random.nextInt(classes)] = 0.5 + random.nextDouble();
        votes[random.nextInt(classes)] += 0.3 * random.nextDouble();
        return votes;
    }

    private static long[] bits(double... values) {
        return Arrays.stream(values).mapToLong(Double::doubleToLongBits).toArray();
    }

    /** MOA's window evaluator, fed as MOA's prequential task feeds it. */
    private static final class MoaWindow {
        private final WindowClassificationPerformanceEvaluator evaluator = new WindowClassificationPerformanceEvaluator();
        private final InstancesHeader header;

        MoaWindow(int classes, int width) {
            evaluator.widthOption.setValue(width);
            evaluator.prepareForUse();
            List<String> labels = IntStream.range(0, classes).mapToObj(Integer::toString).toList();
            Instances instances = new Instances("labels", List.of(new Attribute("class", labels)), 0);
            instances.setClassIndex(0);
            header = new InstancesHeader(instances);
        }

        void add(int trueClass, double[] votes) {
            Instance instance = new DenseInstance(1.0, new double[] {trueClass});
            instance.setDataset(header);
            evaluator.addResult(new InstanceExample(instance), votes);
        }

        double figure(String name) {
            return value(evaluator.getPerformanceMeasurements(), name);
        }
    }

    @Test
    void shouldReportNoGMeanOrKappaMBeforeTheFirstLabel() {
        EvaluationSnapshot snapshot = new PrequentialEvaluator(2).snapshot(List.of("a", "b"));

        assertThat(List.of(snapshot.kappaM(), snapshot.windowKappaM(), snapshot.gMean())).allMatch(value -> value.isNaN());
    }

    /**
     * The promotion rule's figures are the snapshot's to the last bit, before the first label, at every
     * label after it and across a change of window: promotions happen at the same inputs as when the
     * rule compared snapshots.
     */
    @Test
    void shouldGiveEveryMetricsFigureExactlyAsTheSnapshotHasIt() {
        PrequentialEvaluator evaluator = new PrequentialEvaluator(2, 50);
        Random random = new Random(5);
        assertSameFigures(evaluator);
        for (int i = 0; i < 2_000; i++) {
            if (i == 700) {
                evaluator.resizeWindow(30);
                assertSameFigures(evaluator);
            }
            int trueClass = random.nextDouble() < 0.9 ? 0 : 1;
            evaluator.add(trueClass, new double[] {random.nextDouble(), random.nextDouble() * (trueClass + 0.6)});
            assertSameFigures(evaluator);
        }
        assertThat(evaluator.figure(Lifecycle.Promotion.Metric.KAPPA, 1)).isBetween(1.0, 99.0);
    }

    private static void assertSameFigures(PrequentialEvaluator evaluator) {
        EvaluationSnapshot snapshot = evaluator.snapshot(List.of("normal", "failure"));
        Map<Lifecycle.Promotion.Metric, Double> expected = Map.of(
                Lifecycle.Promotion.Metric.KAPPA, snapshot.kappa(),
                Lifecycle.Promotion.Metric.WINDOW_KAPPA, snapshot.windowKappa(),
                Lifecycle.Promotion.Metric.ACCURACY, snapshot.accuracy(),
                Lifecycle.Promotion.Metric.WINDOW_ACCURACY, snapshot.windowAccuracy(),
                Lifecycle.Promotion.Metric.F1, 100 * snapshot.perClass().get(1).f1(),
                Lifecycle.Promotion.Metric.NONE, Double.NaN);
        for (Lifecycle.Promotion.Metric metric : Lifecycle.Promotion.Metric.values()) {
            assertThat(Double.doubleToLongBits(evaluator.figure(metric, 1))).as("%s after %d", metric,
                    snapshot.instances()).isEqualTo(Double.doubleToLongBits(expected.get(metric)));
        }
    }

    private static double value(Measurement[] measurements, String name) {
        return Arrays.stream(measurements).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not among " + Arrays.toString(measurements)))
                .getValue();
    }

    private static void add(PrequentialEvaluator evaluator, int trueClass, int predicted, int times) {
        for (int i = 0; i < times; i++) {
            double[] votes = new double[2];
            votes[predicted] = 1;
            evaluator.add(trueClass, votes);
        }
    }
}
