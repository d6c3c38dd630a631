package io.driftline.state;

import io.driftline.drift.ConceptDrift;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.Learned;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.ModelSnapshot;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the model stage keeps per model key (the model, and the in-band labelled readings held back
 * for training when {@code label.delay} is set), and the one way to change it: every method that
 * changes the model records itself with its arguments in a journal ({@link ModelJournal}).
 *
 * <p>That journal is what makes durability cost independent of the model's age: a commit writes
 * the operations since the last commit, not the model; a snapshot of the whole state is written
 * now and then, and restoring replays the journal onto the snapshot through the same methods
 * ({@link #replay}). MOA's learners are deterministic, so the replayed model equals the live one
 * (tested to the last byte of their serialisation). Read-only views go through {@link #model()};
 * changing the model any other way than through this class would not survive a restart.
 *
 * <p>Serialised (Java serialisation, the only form MOA's learners have) as the snapshot; the
 * settings are not part of it ({@link OnlineModel#attach}).
 */
public final class ModelState implements Serializable {

    private static final long serialVersionUID = 2L;

    private final OnlineModel model;
    private final Deque<LabelledObservation> heldBack = new ArrayDeque<>();
    // The journal's string table: feature names, nominal values and labels, each written once per model.
    private final ArrayList<String> strings = new ArrayList<>();
    private transient ModelJournal journal;
    private transient boolean replaying;

    public ModelState(ModelSettings settings) {
        this.model = OnlineModel.create(settings);
    }

    /** Gives a state read back from a checkpoint the current settings. */
    void attach(ModelSettings settings) {
        model.attach(settings);
    }

    /** The model, to read: its figures, snapshot and explanations. Change it only through this class. */
    public OnlineModel model() {
        return model;
    }

    public ModelSnapshot snapshot() {
        return model.snapshot();
    }

    /** Test: see {@link OnlineModel#predict(Observation, Map)}. */
    public Scored predict(Observation observation, Map<String, Double> sensors) {
        Scored scored = model.predict(observation, sensors);
        if (!replaying) {
            journal().predict(observation, sensors);
        }
        return scored;
    }

    /** Score, then train: see {@link OnlineModel#learn}. */
    public Learned learn(Observation observation, String label, Scored scored) {
        Learned learned = model.learn(observation, label, scored);
        if (!replaying) {
            journal().learn(observation, label, scored.predictedIndex());
        }
        return learned;
    }

    /** Scores a prediction without training (its observation is held back): see {@link OnlineModel#score}. */
    public Optional<ConceptDrift> score(String label, Scored scored) {
        Optional<ConceptDrift> drift = model.score(label, scored);
        if (!replaying) {
            journal().score(label, scored.predictedIndex());
        }
        return drift;
    }

    /** Delayed labels: see {@link OnlineModel#learnDeferred}. */
    public void learnDeferred(Observation observation, String label, Scored scored, long predictedAt) {
        model.learnDeferred(observation, label, scored, predictedAt);
        if (!replaying) {
            journal().learnDeferred(observation, label, scored.predictedIndex(), predictedAt);
        }
    }

    /** See {@link OnlineModel#releaseScores}. */
    public List<ConceptDrift> releaseScores(long time) {
        List<ConceptDrift> drifts = model.releaseScores(time);
        if (!replaying) {
            journal().releaseScores(time);
        }
        return drifts;
    }

    /** Holds an in-band labelled reading back, to be trained on {@link #trainHeldBack() later}. */
    public void holdBack(Observation observation, String label) {
        heldBack.addLast(new LabelledObservation(observation, label));
        if (!replaying) {
            journal().holdBack(observation, label);
        }
    }

    /** Trains on the oldest reading held back. */
    public void trainHeldBack() {
        LabelledObservation due = heldBack.removeFirst();
        model.train(due.observation(), due.label());
        if (!replaying) {
            journal().trainHeldBack();
        }
    }

    /** In-band labelled readings scored but not yet trained on. */
    public int heldBack() {
        return heldBack.size();
    }

    /** The readings held back, oldest first. */
    List<LabelledObservation> heldBackReadings() {
        return List.copyOf(heldBack);
    }

    /**
     * The operations since the last call, as journal segments of at most {@code limit} bytes where
     * they can be cut; empty when there were none.
     */
    List<byte[]> takeJournal(int limit) {
        return journal == null ? List.of() : journal.take(limit);
    }

    /**
     * Applies a journal segment (operations taken from a state with the same history as this one)
     * through the same methods the live operations went through, without journaling them again.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when the segment cannot be read
     */
    void replay(byte[] segment) {
        if (journal != null && !journal.take(Integer.MAX_VALUE).isEmpty()) {
            throw new IllegalStateException("replay onto a state with operations not yet taken");
        }
        // The replay extends the string table; the journal's index of it is rebuilt when next needed.
        journal = null;
        replaying = true;
        try {
            ModelJournal.replay(segment, strings, this);
        } finally {
            replaying = false;
        }
    }

    private ModelJournal journal() {
        if (journal == null) {
            journal = new ModelJournal(strings);
        }
        return journal;
    }
}
