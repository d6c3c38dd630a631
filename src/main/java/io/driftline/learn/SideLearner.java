package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.Serializable;
import java.util.Optional;
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
 *
 * <p>{@code model.max.bytes} bounds it as it bounds the champion, on its own schedule of instances
 * trained ({@link ModelSize}): a Hoeffding tree stops growing, another learner starts afresh.
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
    // Null in snapshots written before side learners were bounded: its schedule starts at its next training.
    private ModelSize size;
    private boolean growthStopped;

    /** A background learner of {@code spec}. */
    SideLearner(String spec, InstancesHeader header) {
        this(spec, fresh(spec, header), null, -1, false);
    }

    /** A challenger of {@code spec}, fresh. */
    SideLearner(String spec, InstancesHeader header, PrequentialEvaluator evaluator, int slot) {
        this(spec, fresh(spec, header), evaluator, slot, false);
    }

    /**
     * A learner that was trained elsewhere (a champion that gives way to a challenger) with its
     * evaluation, and whether {@code model.max.bytes} stopped it growing.
     */
    SideLearner(String spec, Classifier learner, PrequentialEvaluator evaluator, int slot, boolean growthStopped) {
        this.spec = spec;
        this.learner = learner;
        this.evaluator = evaluator;
        this.slot = slot;
        this.growthStopped = growthStopped;
        this.size = new ModelSize();
        size.restart(learner);
    }

    private static Classifier fresh(String spec, InstancesHeader header) {
        Classifier learner = OnlineModel.newLearner(spec);
        learner.setModelContext(header);
        return learner;
    }

    /**
     * Trains on {@code instance}, then applies {@code maxBytes} ({@code model.max.bytes}; 0: no
     * bound) when its schedule measures it: a Hoeffding tree stops growing here; for
     * {@link SizeCapped.Action#RESET} the learner must start afresh, which the model does (what
     * starts afresh with it depends on its role). Empty when nothing was due.
     */
    Optional<SizeCapped.Action> train(Instance instance, long maxBytes) {
        learner.trainOnInstance(instance);
        ObserverOptions.share(learner, instance);
        trained++;
        if (size == null) {
            size = new ModelSize();
            size.restart(learner);
            return Optional.empty();
        }
        if (!size.trained(learner) || growthStopped || !size.exceeds(maxBytes)) {
            return Optional.empty();
        }
        if (TreeGrowth.canStop(learner)) {
            TreeGrowth.stop(learner);
            growthStopped = true;
            return Optional.of(SizeCapped.Action.STOPPED_GROWING);
        }
        return Optional.of(SizeCapped.Action.RESET);
    }

    /** The learner's size at its last measurement (it was measured when {@link #train} returns an action). */
    long learnerBytes() {
        return size.learnerBytes();
    }

    /** Whether {@code model.max.bytes} stopped this Hoeffding tree from growing. */
    boolean growthStopped() {
        return growthStopped;
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
