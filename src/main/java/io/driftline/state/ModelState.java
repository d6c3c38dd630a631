package io.driftline.state;

import io.driftline.drift.ConceptDrift;
import io.driftline.label.ModelLabelClock;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.Learned;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.learn.SizeCapped;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the model stage keeps per model key: the model, and the in-band labelled readings held back
 * for training when {@code label.delay} is set.
 *
 * <p>Every change the per-model core makes to a model goes through the methods of this class, and
 * only through them: they are the model's operations, the unit in which its durable form records
 * what changed. Reads ({@link #model()}) do not change it.
 */
public final class ModelState implements Serializable {

    private static final long serialVersionUID = 1L;

    private final OnlineModel model;
    private final long version;
    private final Deque<LabelledObservation> delayed = new ArrayDeque<>();
    private ModelLabelClock labelClock = new ModelLabelClock();

    /** The first version of a model key's model. */
    public ModelState(ModelSettings settings) {
        this(settings, 1);
    }

    /** @param version the model key's version number: 1 for its first model, one more at every replacement */
    public ModelState(ModelSettings settings, long version) {
        this.model = OnlineModel.create(settings);
        this.version = version;
    }

    /**
     * Which of its model key's models this is: 1 at creation, one more at each replacement (a reset).
     * A prediction is scored only by the version that made it.
     */
    public long version() {
        return version;
    }

    /** The model, to read: predictions, explanations, snapshots. Change it through this class's operations. */
    public OnlineModel model() {
        return model;
    }

    /** Test: see {@link OnlineModel#predict(Observation, Map)}. */
    public Scored predict(Observation observation, Map<String, Double> sensors) {
        return model.predict(observation, sensors);
    }

    /** Score, then train: see {@link OnlineModel#learn}. */
    public Learned learn(Observation observation, String label, Scored scored) {
        return model.learn(observation, label, scored);
    }

    /** Scores a prediction against its label without training: see {@link OnlineModel#score}. */
    public Optional<ConceptDrift> score(String label, Scored scored) {
        return model.score(label, scored);
    }

    /**
     * Trains now and scores later, in prediction order (see {@link OnlineModel#learnDeferred}), if
     * this version made the prediction; a prediction of an earlier version (made before a reset) is
     * only trained on: it says nothing about this model's errors.
     *
     * @param madeBy the version that predicted, or {@link io.driftline.state.DeviceState.PendingReading#UNKNOWN_VERSION}
     */
    public void learnDeferred(Observation observation, String label, Scored scored, long predictedAt, long madeBy) {
        if (madeBy == version || madeBy == DeviceState.PendingReading.UNKNOWN_VERSION) {
            model.learnDeferred(observation, label, scored, predictedAt);
        } else {
            model.train(observation, label);
        }
    }

    /**
     * {@code deviceId} reported and its stream time is {@code deviceTime}: scores the deferred
     * predictions that every reporting device of the model has had its chance to label (see
     * {@link ModelLabelClock} and {@link OnlineModel#releaseScores}).
     *
     * @param horizonMs the label horizon, also how long a silent device holds the model's clock back
     * @param graceMs   how late an event may still arrive
     */
    public List<ConceptDrift> releaseScores(String deviceId, long deviceTime, long horizonMs, long graceMs) {
        if (labelClock == null) {
            // Checkpoints written before the model had a label clock.
            labelClock = new ModelLabelClock();
        }
        return model.releaseScores(labelClock.advance(deviceId, deviceTime, horizonMs) - horizonMs - graceMs);
    }

    /**
     * In-band labels held back {@code labelDelay} readings: trains on the oldest held-back reading
     * once {@code labelDelay} are waiting (called before the next reading is predicted).
     */
    public void trainHeldBack(int labelDelay) {
        if (delayed.size() >= labelDelay) {
            LabelledObservation due = delayed.removeFirst();
            model.train(due.observation(), due.label());
        }
    }

    /** The bounds {@code model.max.bytes} imposed while the last input was applied: see {@link OnlineModel#takeSizeCaps}. */
    public List<SizeCapped> takeSizeCaps() {
        return model.takeSizeCaps();
    }

    /** Holds a labelled reading back for {@link #trainHeldBack}. */
    public void holdBack(Observation observation, String label) {
        delayed.addLast(new LabelledObservation(observation, label));
    }
}
