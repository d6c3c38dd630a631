package io.driftline.learn;

import io.driftline.drift.DataDriftSettings;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.yahoo.labs.samoa.instances.Instance;
import io.driftline.drift.ConceptDrift;
import io.driftline.drift.DataDrift;
import io.driftline.drift.InputShift;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import moa.classifiers.Classifier;
import moa.classifiers.core.driftdetection.ADWINChangeDetector;
import moa.core.Utils;
import moa.evaluation.preview.LearningCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Driftline's learning must equal MOA's own on the same stream, to the last digit: every expected
 * figure here is computed by MOA in-process.
 */
class OnlineModelTest {

    static final String SEA_DRIFT = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 50000 -w 1";
    static final String AGRAWAL = "generators.AgrawalGenerator -f 1";
    static final String AGRAWAL_DRIFT = "ConceptDriftStream -s (generators.AgrawalGenerator -f 1) "
            + "-d (generators.AgrawalGenerator -f 3) -p 10000 -w 100";
    static final int INSTANCES = 100_000;

    static Stream<Arguments> prequentialCases() {
        return Stream.of(
                Arguments.of(SEA_DRIFT, "trees.HoeffdingTree", Adaptation.NONE, "trees.HoeffdingTree"),
                Arguments.of(AGRAWAL, "trees.HoeffdingTree", Adaptation.NONE, "trees.HoeffdingTree"),
                Arguments.of(SEA_DRIFT, "trees.HoeffdingAdaptiveTree", Adaptation.NONE, "trees.HoeffdingAdaptiveTree"),
                Arguments.of(SEA_DRIFT, "trees.HoeffdingTree", Adaptation.RESET_ON_DRIFT,
                        "drift.DriftDetectionMethodClassifier -l trees.HoeffdingTree -d (ADWINChangeDetector -a 0.002)"));
    }

    @ParameterizedTest
    @MethodSource("prequentialCases")
    void shouldEqualMoasEvaluatePrequential(String stream, String learner, Adaptation adaptation, String moaLearner) {
        MoaStreams.Source source = MoaStreams.open(stream);
        OnlineModel model = OnlineModel.create(MoaReference.settingsFor(source, learner, adaptation));
        for (int i = 0; i < INSTANCES; i++) {
            LabelledObservation next = source.next();
            model.learn(next.observation(), next.label(), model.predict(next.observation()));
        }
        EvaluationSnapshot ours = model.snapshot().evaluation();

        LearningCurve cumulative = MoaReference.evaluatePrequential(stream, moaLearner, INSTANCES);
        LearningCurve windowed = MoaReference.evaluatePrequential(stream, moaLearner,
                "WindowClassificationPerformanceEvaluator -w 1000", INSTANCES);
        assertThat(ours.instances()).isEqualTo(INSTANCES);
        assertThat(ours.accuracy()).isEqualTo(MoaReference.last(cumulative, "classifications correct (percent)"));
        assertThat(ours.kappa()).isEqualTo(MoaReference.last(cumulative, "Kappa Statistic (percent)"));
        assertThat(ours.kappaTemporal()).isEqualTo(MoaReference.last(cumulative, "Kappa Temporal Statistic (percent)"));
        assertThat(ours.windowAccuracy()).isEqualTo(MoaReference.last(windowed, "classifications correct (percent)"));
        assertThat(ours.windowKappa()).isEqualTo(MoaReference.last(windowed, "Kappa Statistic (percent)"));
    }

    @Test
    void shouldDetectConceptDriftWhereMoasAdwinChangeDetectorDoes() {
        MoaStreams.Source source = MoaStreams.open(SEA_DRIFT);
        ModelSettings settings = MoaReference.settingsFor(source, "trees.HoeffdingTree", Adaptation.NONE);
        OnlineModel model = OnlineModel.create(settings);
        List<Long> ours = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            LabelledObservation next = source.next();
            model.learn(next.observation(), next.label(), model.predict(next.observation()))
                    .conceptDrift().map(ConceptDrift::instance).ifPresent(ours::add);
        }
        assertThat(ours).isNotEmpty().containsExactlyElementsOf(moaDetections(SEA_DRIFT, settings));
        assertThat(ours.get(0)).as("first drift after the concept changes at 50,000").isGreaterThan(50_000);
        assertThat(model.snapshot().conceptDrifts()).isEqualTo(ours.size());
        assertThat(model.snapshot().recentConceptDrift()).hasSizeLessThanOrEqualTo(OnlineModel.DRIFT_HISTORY);
    }

    /** A hand loop over MOA's own learner and ADWINChangeDetector, no Driftline code involved. */
    private static List<Long> moaDetections(String stream, ModelSettings settings) {
        moa.streams.ExampleStream<?> moaStream = openMoaStream(stream);
        Classifier learner = OnlineModel.newLearner("trees.HoeffdingTree");
        learner.setModelContext(moaStream.getHeader());
        ADWINChangeDetector detector = new ADWINChangeDetector();
        detector.deltaAdwinOption.setValue(settings.conceptDriftDelta());
        List<Long> detections = new ArrayList<>();
        for (long i = 1; i <= INSTANCES; i++) {
            Instance instance = (Instance) moaStream.nextInstance().getData();
            boolean correct = Utils.maxIndex(learner.getVotesForInstance(instance)) == (int) instance.classValue();
            detector.input(correct ? 0.0 : 1.0);
            if (detector.getChange()) {
                detections.add(i);
            }
            learner.trainOnInstance(instance);
        }
        return detections;
    }

    private static moa.streams.ExampleStream<?> openMoaStream(String spec) {
        try {
            moa.streams.ExampleStream<?> stream = (moa.streams.ExampleStream<?>)
                    moa.options.ClassOption.cliStringToObject(spec, moa.streams.ExampleStream.class, null);
            ((moa.options.OptionHandler) stream).prepareForUse();
            return stream;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Java serialisation, as a snapshot holds the model, and the settings given back as a restore does. */
    private static OnlineModel roundTrip(OnlineModel model, ModelSettings settings) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(model);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                OnlineModel restored = (OnlineModel) in.readObject();
                restored.attach(settings);
                return restored;
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldContinueIdenticallyAfterACheckpointRoundTrip() {
        MoaStreams.Source source = MoaStreams.open(SEA_DRIFT);
        ModelSettings settings = MoaReference.settingsFor(source, "trees.HoeffdingTree", Adaptation.RESET_ON_DRIFT);
        OnlineModel uninterrupted = OnlineModel.create(settings);
        OnlineModel restored = OnlineModel.create(settings);
        for (int i = 0; i < 60_000; i++) {
            LabelledObservation next = source.next();
            Scored expected = uninterrupted.predict(next.observation());
            Scored actual = restored.predict(next.observation());
            assertThat(actual.probabilities()).containsExactly(expected.probabilities());
            uninterrupted.learn(next.observation(), next.label(), expected);
            restored.learn(next.observation(), next.label(), actual);
            if (i % 10_000 == 0) {
                restored = roundTrip(restored, settings);
            }
        }
        assertThat(restored.snapshot().evaluation().accuracy())
                .isEqualTo(uninterrupted.snapshot().evaluation().accuracy());
        assertThat(restored.snapshot().conceptDrifts()).isEqualTo(uninterrupted.snapshot().conceptDrifts());
    }

    /**
     * Delayed labels: a reading is trained on before its prediction is scored. It also trains the
     * background learner exactly when the last scored prediction left the detector in a warning zone.
     */
    @Test
    void shouldTrainTheBackgroundLearnerByTheWarningZoneOfTheLastScoredPrediction() {
        MoaStreams.Source source = MoaStreams.open(AGRAWAL_DRIFT);
        OnlineModel model = OnlineModel.create(MoaReference.settingsFor(source, "trees.HoeffdingTree",
                Adaptation.BACKGROUND, "DDM"));
        int trainedInWarningZones = 0;
        for (long i = 1; i <= 30_000; i++) {
            LabelledObservation next = source.next();
            Scored scored = model.predict(next.observation());
            boolean warned = model.inWarningZone();
            long before = model.backgroundTrained();
            model.learnDeferred(next.observation(), next.label(), scored, i);
            assertThat(model.backgroundTrained()).as("reading %d", i).isEqualTo(warned ? before + 1 : before);
            trainedInWarningZones += warned ? 1 : 0;
            if (i % 50 == 0) {
                model.releaseScores(i - 20);
            }
        }
        assertThat(trainedInWarningZones).isPositive();
        assertThat(model.snapshot().conceptDrifts()).isPositive();
    }

    /**
     * New firmware reports vibration 2.5 times higher: the tree's vibration threshold is in the old
     * units, a concept drift the failure labels would show only hours later, if at all. A step in a
     * sensor the tree does not split on is data drift only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vibration", "temperature"})
    void shouldTakeAStepInASensorTheTreeSplitsOnForAConceptDriftAndAdapt(String stepped) {
        ModelSettings base = settings(List.of());
        OnlineModel model = OnlineModel.create(new ModelSettings(base.learnerSpec(), base.classes(),
                base.positiveClass(), base.declaredFeatures(), Adaptation.RESET_ON_DRIFT, base.conceptDriftDetector(),
                base.conceptDriftDelta(), 0, 0, 0, 3.0, base.dataDrift(), base.evaluationWindow(), 0, "", ""));
        Random random = new Random(5);
        long minute = 60_000;
        long step = 4 * 60 * minute;
        List<DataDrift> dataDrifts = new ArrayList<>();
        List<ConceptDrift> conceptDrifts = new ArrayList<>();
        long detectedAt = -1;
        Observation failing = Observation.numeric(Map.of("vibration", 8.0, "temperature", 25.0));
        List<String> pathBefore = List.of();
        for (long time = 0; time < 6 * 60 * minute; time += minute) {
            if (time == step) {
                pathBefore = model.explain(failing);
            }
            for (int device = 0; device < 10; device++) {
                boolean fails = random.nextDouble() < 0.02;
                Map<String, Double> sensors = new HashMap<>(Map.of(
                        "vibration", (fails ? 8 : 2) + 0.25 * random.nextGaussian(),
                        "temperature", 25 + 0.6 * random.nextGaussian()));
                if (time >= step) {
                    sensors.computeIfPresent(stepped, (sensor, value) -> 2.5 * value);
                }
                Observation observation = Observation.numeric(sensors);
                Scored scored = model.predict(observation, sensors, "D" + device, time);
                dataDrifts.addAll(scored.dataDrifts());
                List<ConceptDrift> shifted = model.takeInputShifts();
                if (!shifted.isEmpty() && detectedAt < 0) {
                    detectedAt = time;
                }
                conceptDrifts.addAll(shifted);
                model.learn(observation, fails ? "failure" : "normal", scored);
            }
        }

        assertThat(pathBefore).as("the tree splits on vibration before the step").anyMatch(c -> c.startsWith("vibration"));
        assertThat(dataDrifts).extracting(DataDrift::sensor).contains(stepped);
        if (stepped.equals("temperature")) {
            assertThat(conceptDrifts).isEmpty();
            return;
        }
        assertThat(conceptDrifts).hasSize(1);
        InputShift shift = conceptDrifts.get(0).inputShift();
        assertThat(shift.sensor()).isEqualTo("vibration");
        assertThat(shift.splitFeatures()).containsExactly("vibration");
        assertThat(shift.spreads()).isGreaterThanOrEqualTo(3.0);
        assertThat(detectedAt).isBetween(step, step + 60 * minute);
        assertThat(model.snapshot().conceptDrifts()).isEqualTo(1);
        assertThat(model.snapshot().recentConceptDrift()).containsExactly(conceptDrifts.get(0));
    }

    @Test
    void shouldPredictWithMissingAndInvalidSensorsAndCountTheInvalidOnes() {
        OnlineModel model = OnlineModel.create(settings(List.of(FeatureDef.numeric("temperature"),
                FeatureDef.numeric("vibration"))));
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            double temperature = (i % 2 == 0 ? 60 : 90) + random.nextGaussian();
            Observation observation = Observation.numeric(Map.of("temperature", temperature,
                    "vibration", 1 + random.nextGaussian()));
            model.learn(observation, temperature > 75 ? "failure" : "normal", model.predict(observation));
        }
        Scored hot = model.predict(Observation.numeric(Map.of("temperature", 91.0)));
        Scored nan = model.predict(Observation.numeric(Map.of("temperature", Double.NaN, "vibration",
                Double.POSITIVE_INFINITY)));

        assertThat(hot.predictedClass()).isEqualTo("failure");
        assertThat(hot.positiveProbability()).isGreaterThan(0.5);
        assertThat(nan.probabilities()).hasSize(2);
        assertThat(model.snapshot().invalidValues()).isEqualTo(2);
        assertThat(model.snapshot().readingsSeen()).isEqualTo(2002);
        assertThat(model.snapshot().instancesTrained()).isEqualTo(2000);
    }

    @Test
    void shouldAddSensorsItHasNotSeenBefore() {
        OnlineModel model = OnlineModel.create(settings(List.of()));
        Observation first = Observation.numeric(Map.of("temperature", 70.0));
        model.learn(first, "normal", model.predict(first));
        Observation second = new Observation(Map.of("vibration", 2.0, "current", 5.0), Map.of("firmware", "v2"));
        model.learn(second, "failure", model.predict(second));

        assertThat(model.snapshot().features()).containsExactly(FeatureDef.numeric("temperature"),
                FeatureDef.numeric("current"), FeatureDef.nominal("firmware", List.of("v2")),
                FeatureDef.numeric("vibration"));
    }

    @Test
    void shouldRejectALabelThatIsNotAClass() {
        OnlineModel model = OnlineModel.create(settings(List.of()));
        Observation observation = Observation.numeric(Map.of("temperature", 70.0));
        Scored scored = model.predict(observation);
        assertThatThrownBy(() -> model.learn(observation, "exploded", scored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exploded");
    }

    @Test
    void shouldRejectALearnerSpecMoaDoesNotKnow() {
        assertThatThrownBy(() -> OnlineModel.newLearner("trees.NoSuchTree"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trees.NoSuchTree");
    }

    static ModelSettings settings(List<FeatureDef> features) {
        return new ModelSettings("trees.HoeffdingTree -g 50", List.of("normal", "failure"), "failure", features,
                Adaptation.NONE, "ADWINChangeDetector", 0.002, 0, 0, 0, 0,
                new DataDriftSettings(0.002, Duration.ofHours(1), 0.5, 1, Set.of()), 100, 0, "", "");
    }
}
