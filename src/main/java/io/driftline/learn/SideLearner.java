package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.Serializable;
import moa.classifiers.Classifier;

/**
 * A learner trained beside a model's own, which can take its place: under {@link Adaptation#BACKGROUND}
 * the one a warning zone trains, promoted at a confirmed drift. A fresh learner of the model's spec,
 * kept informed of the model's header as features appear.
 */
final class SideLearner implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Classifier learner;
    private long trained;

    SideLearner(String spec, InstancesHeader header) {
        this.learner = OnlineModel.newLearner(spec);
        learner.setModelContext(header);
    }

    void train(Instance instance) {
        learner.trainOnInstance(instance);
        trained++;
    }

    /** Forgets what it learned (the header stays). */
    void reset() {
        learner.resetLearning();
        trained = 0;
    }

    void headerChanged(InstancesHeader header) {
        learner.setModelContext(header);
    }

    /** Instances trained since it was created or reset. */
    long trained() {
        return trained;
    }

    /** The learner, to take the model's place; this side learner is not used afterwards. */
    Classifier learner() {
        return learner;
    }
}
