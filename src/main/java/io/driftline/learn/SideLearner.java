package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.Serializable;
import moa.classifiers.Classifier;

/**
 * A learner trained beside a model's own (the champion), which can take its place: under
 * {@link Adaptation#BACKGROUND} the one a warning zone trains, swapped in at a confirmed drift; and
 * each of {@code learner.challengers}, trained on every instance the champion trains on, with its
 * own prequential evaluation, promoted when it wins ({@link OnlineModel#promote}). Kept informed of
 * the model's header as features appear.
 *
 * <p>A challenger has a slot: the index of its prediction in {@link Scored#bySlot()}, which travels
 * with it (also into the champion's place), so that a prediction is scored against the learner
 * that made it, whatever was promoted in between.
 */
final class SideLearner implements Serializable {

    private static final long serialVersionUID = 1L;

    // Null for a background learner written before challengers existed: it is of the champion's spec.
    private final String spec;
    private final Classifier learner;
    private long trained;
    // Null for a background learner, which the champion's evaluation covers once it is swapped in.
    private final PrequentialEvaluator evaluator;
    private final int slot;

    /** A background learner of {@code spec}. */
    SideLearner(String spec, InstancesHeader header) {
        this(spec, OnlineModel.newLearner(spec), null, -1);
        learner.setModelContext(header);
    }

    /** A challenger of {@code spec}, fresh. */
    SideLearner(String spec, InstancesHeader header, PrequentialEvaluator evaluator, int slot) {
        this(spec, OnlineModel.newLearner(spec), evaluator, slot);
        learner.setModelContext(header);
    }

    /** A learner that was trained elsewhere (a champion that gives way to a challenger) with its evaluation. */
    SideLearner(String spec, Classifier learner, PrequentialEvaluator evaluator, int slot) {
        this.spec = spec;
        this.learner = learner;
        this.evaluator = evaluator;
        this.slot = slot;
    }

    void train(Instance instance) {
        learner.trainOnInstance(instance);
        trained++;
    }

    void headerChanged(InstancesHeader header) {
        learner.setModelContext(header);
    }

    /** Instances trained since it was created. */
    long trained() {
        return trained;
    }

    String spec() {
        return spec;
    }

    /** The learner, to take the champion's place. */
    Classifier learner() {
        return learner;
    }

    PrequentialEvaluator evaluator() {
        return evaluator;
    }

    int slot() {
        return slot;
    }
}
