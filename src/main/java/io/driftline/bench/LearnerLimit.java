package io.driftline.bench;

import com.yahoo.labs.samoa.instances.Instance;
import io.driftline.core.Observations;
import io.driftline.avro.SensorReading;
import io.driftline.config.ModelScope;
import io.driftline.config.PerMachineType;
import io.driftline.features.RollingFeatures;
import io.driftline.learn.FeatureSpace;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.sim.FleetSimulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import moa.classifiers.Classifier;
import moa.core.Utils;

/**
 * The learning limit: the bare MOA learner, in-process, test-then-train on the instances Driftline's
 * models see (each reading's sensors plus its device's rolling features, one learner per model
 * key), labelled with the simulator's oracle label. Only the learning loop is timed, turning the
 * observation into a MOA instance included (any MOA pipeline needs instances); simulating the fleet
 * and computing rolling features are not.
 */
final class LearnerLimit {

    private static final int BATCH = 10_000;

    private final ModelSettings model;
    private final ModelScope scope;
    private final PerMachineType<Integer> featureWindow;
    private final Map<String, Learner> learners = new HashMap<>();
    private final Map<String, RollingFeatures> devices = new HashMap<>();

    LearnerLimit(ModelSettings model, ModelScope scope, PerMachineType<Integer> featureWindow) {
        this.model = model;
        this.scope = scope;
        this.featureWindow = featureWindow;
    }

    /**
     * Instances per second, the prequential accuracy and the share of failure labels over
     * {@code readings} readings of {@code fleet}.
     */
    Result run(FleetSimulator fleet, long readings) {
        long nanos = 0;
        long done = 0;
        long correct = 0;
        long positives = 0;
        List<Labelled> batch = new ArrayList<>(BATCH);
        while (done < readings) {
            batch.clear();
            while (batch.size() < BATCH && done + batch.size() < readings) {
                if (fleet.next() instanceof FleetSimulator.Reading reading) {
                    batch.add(labelled(reading.reading()));
                }
            }
            long start = System.nanoTime();
            for (Labelled next : batch) {
                Learner learner = learners.computeIfAbsent(next.modelKey(), key -> new Learner(model));
                if (learner.space.grow(next.observation())) {
                    learner.classifier.setModelContext(learner.space.header());
                }
                Instance instance = learner.space.toInstance(next.observation(), next.classIndex());
                if (Utils.maxIndex(learner.classifier.getVotesForInstance(instance)) == next.classIndex()) {
                    correct++;
                }
                if (next.classIndex() == model.positiveIndex()) {
                    positives++;
                }
                learner.classifier.trainOnInstance(instance);
            }
            nanos += System.nanoTime() - start;
            done += batch.size();
        }
        return new Result(done, done / (nanos / 1e9), (double) correct / done, (double) positives / done);
    }

    private Labelled labelled(SensorReading reading) {
        int window = featureWindow.forType(reading.getMachineType());
        RollingFeatures features = devices.computeIfAbsent(reading.getDeviceId(), id -> new RollingFeatures(window));
        return new Labelled(scope.modelKey(reading.getDeviceId(), reading.getMachineType()),
                Observations.of(reading, features), model.classes().indexOf(reading.getLabel()));
    }

    record Result(long instances, double perSecond, double accuracy, double failureShare) {
    }

    private record Labelled(String modelKey, Observation observation, int classIndex) {
    }

    private static final class Learner {
        final FeatureSpace space;
        final Classifier classifier;

        Learner(ModelSettings model) {
            space = new FeatureSpace(model.declaredFeatures(), model.classes());
            classifier = OnlineModel.newLearner(model.learnerSpec());
            classifier.setModelContext(space.header());
        }
    }
}
