package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.yahoo.labs.samoa.instances.Instance;
import moa.classifiers.Classifier;
import moa.core.Measurement;
import moa.core.Utils;
import moa.options.ClassOption;
import moa.options.OptionHandler;
import moa.streams.ExampleStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Adaptation#BACKGROUND} is MOA's {@code drift.DriftDetectionMethodClassifier}: with each of MOA's
 * change detectors on a stream with drifts, and Driftline's cool-down, minimum increase and warm-up 0,
 * the same prediction for every instance, the same number of changes and of warning zones. MOA runs
 * in-process beside Driftline on the same stream.
 */
class DriftDetectionFidelityTest {

    // Two abrupt drifts between Agrawal's functions, so that detectors warn and confirm more than once.
    private static final String STREAM = "ConceptDriftStream -s (generators.AgrawalGenerator -f 1) "
            + "-d (ConceptDriftStream -s (generators.AgrawalGenerator -f 3) -d (generators.AgrawalGenerator -f 5) "
            + "-p 10000 -w 100) -p 10000 -w 100";
    private static final int INSTANCES = 30_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ADWINChangeDetector", "DDM", "EDDM", "PageHinkleyDM", "HDDM_A_Test", "HDDM_W_Test"})
    void shouldPredictAndDetectAsMoasDriftDetectionMethodClassifier(String detector) {
        MoaStreams.Source source = MoaStreams.open(STREAM);
        OnlineModel model = OnlineModel.create(MoaReference.settingsFor(source, "trees.HoeffdingTree",
                Adaptation.BACKGROUND, detector));
        ExampleStream<?> moaStream = moaStream(STREAM);
        Classifier moa = OnlineModel.newLearner("drift.DriftDetectionMethodClassifier -l trees.HoeffdingTree -d ("
                + detector + ")");
        moa.setModelContext(moaStream.getHeader());
        long backgroundTrained = 0;
        for (int i = 1; i <= INSTANCES; i++) {
            LabelledObservation next = source.next();
            Instance instance = (Instance) moaStream.nextInstance().getData();
            Scored ours = model.predict(next.observation());
            double[] votes = moa.getVotesForInstance(instance);
            assertThat(ours.predictedIndex()).as("prediction %d", i).isEqualTo(Utils.maxIndex(votes));
            assertThat(ours.probabilities()).as("probabilities %d", i).containsExactly(normalised(votes, 2));
            model.learn(next.observation(), next.label(), ours);
            moa.trainOnInstance(instance);
            backgroundTrained = Math.max(backgroundTrained, model.backgroundTrained());
        }

        Measurement[] measurements = moa.getModelMeasurements();
        assertThat(model.snapshot().conceptDrifts()).as("changes")
                .isEqualTo((long) measurement(measurements, "Change detected")).isPositive();
        assertThat(model.conceptWarnings()).as("warning zones")
                .isEqualTo((long) measurement(measurements, "Warning detected"));
        if (model.conceptWarnings() > 0) {
            assertThat(backgroundTrained).as("the background learner trained in a warning zone").isPositive();
        }
    }

    private static double measurement(Measurement[] measurements, String name) {
        for (Measurement measurement : measurements) {
            if (measurement.getName().equals(name)) {
                return measurement.getValue();
            }
        }
        throw new AssertionError(name + " not among MOA's model measurements");
    }

    /** MOA's votes as Driftline publishes them: divided by their sum, one per class. */
    private static double[] normalised(double[] votes, int classes) {
        double[] probabilities = new double[classes];
        double sum = 0;
        for (int i = 0; i < votes.length && i < classes; i++) {
            sum += votes[i];
        }
        for (int i = 0; sum > 0 && i < votes.length && i < classes; i++) {
            probabilities[i] = votes[i] / sum;
        }
        return probabilities;
    }

    private static ExampleStream<?> moaStream(String spec) {
        try {
            ExampleStream<?> stream = (ExampleStream<?>) ClassOption.cliStringToObject(spec, ExampleStream.class, null);
            ((OptionHandler) stream).prepareForUse();
            return stream;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
