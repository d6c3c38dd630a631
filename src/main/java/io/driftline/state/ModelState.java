package io.driftline.state;

import io.driftline.alertquality.AlertEvent;
import io.driftline.alertquality.AlertQuality;
import io.driftline.alertquality.AlertQualityFigures;
import io.driftline.drift.ConceptDrift;
import io.driftline.label.DeviceSilence;
import io.driftline.label.ModelLabelClock;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.Learned;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.ModelSnapshot;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.learn.SizeCapped;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the model stage keeps per model key (the model, its label clock, and the in-band labelled
 * readings held back for training when {@code label.delay} is set), and the one way to change it.
 *
 * <p>Every change the per-model core makes to a model goes through the methods of this class, and
 * only through them: they are the model's operations, and each records itself with its arguments
 * in a journal ({@link ModelJournal}). That journal is what makes durability cost independent of
 * the model's age: a commit writes the operations since the last commit, not the model; a
 * snapshot of the whole state is written now and then, and restoring replays the journal onto the
 * snapshot through these same methods ({@link #replay}; a replayed prediction skips the learner's
 * votes where they change nothing, since the journal holds what was predicted). MOA's learners are deterministic, so the
 * replayed model equals the live one (tested to the last byte of its serialisation). Reads
 * ({@link #model()}, {@link #snapshot()}) do not change it.
 *
 * <p>Serialised (Java serialisation, the only form MOA's learners have) as the snapshot; the
 * settings are not part of it ({@link OnlineModel#attach}).
 */
public final class ModelState implements Serializable {

    private static final long serialVersionUID = 2L;

    private final OnlineModel model;
    private final long version;
    private final Deque<LabelledObservation> delayed;
    private final ModelLabelClock labelClock;
    // Created by the first reading watched for silence: absent from snapshots written before it existed.
    private DeviceSilence silence;
    // Created by the first alert-quality event: absent from snapshots written before it existed.
    private AlertQuality alertQuality;
    // Null in snapshots written before versions had a history: one is started with the current version.
    private ModelVersions versions;
    // The first version whose predictions this model's learners made (a promotion keeps them); 0 in snapshots
    // written before promotions: the version itself.
    private long scoresFrom;
    // The journal's string table: feature names, nominal values, labels and device ids, each written once per model.
    private final ArrayList<String> strings = new ArrayList<>();
    // Null between a take and the next operation: with a model per device most models are untouched between two
    // commits, and a kept journal (its buffer, grown to the largest commit's operations, and its index of the
    // string table) was 3 to 25 KB of each one's heap. The next operation rebuilds the index, an entry per string.
    private transient ModelJournal journal;
    private transient boolean replaying;

    /** The first version of a model key's model, created by an input of unknown time. */
    public ModelState(ModelSettings settings) {
        this(settings, 0);
    }

    /** The first version of a model key's model, created by an input at {@code startedAt} (event time, ms). */
    public ModelState(ModelSettings settings, long startedAt) {
        this(OnlineModel.create(settings), 1, new ModelVersions(1, startedAt, ModelVersions.Reason.CREATED, "",
                settings.learnerSpec()), 1, new ArrayDeque<>(), new ModelLabelClock(), null);
    }

    private ModelState(OnlineModel model, long version, ModelVersions versions, long scoresFrom,
                       Deque<LabelledObservation> delayed, ModelLabelClock labelClock, DeviceSilence silence) {
        this.model = model;
        this.version = version;
        this.versions = versions;
        this.scoresFrom = scoresFrom;
        this.delayed = delayed;
        this.labelClock = labelClock;
        this.silence = silence;
    }

    /**
     * The next version of this model key: a new, untrained model (an operator's reset), which scores
     * none of the predictions made before it. This state is not used afterwards.
     */
    public ModelState reset(ModelSettings settings, long time, String detail) {
        ModelVersions history = versions();
        history.next(model, settings.versionsKept(), time, ModelVersions.Reason.RESET, detail, settings.learnerSpec());
        return carryAlertQuality(new ModelState(OnlineModel.create(settings), history.current(), history,
                history.current(), new ArrayDeque<>(), new ModelLabelClock(), null));
    }

    /**
     * The alert quality is the model key's, not a version's: the alerts were published under the
     * key, and its devices' episodes raised before a replacement are decided after it, into the same
     * counts (neither lost nor counted again).
     */
    private ModelState carryAlertQuality(ModelState next) {
        next.alertQuality = alertQuality;
        return next;
    }

    /**
     * The next version of this model key: the challenger {@code learner} serves (see
     * {@link OnlineModel#promote}); the learners, and the predictions they made, stay. This state is
     * not used afterwards.
     *
     * @throws IllegalArgumentException when the model has no such challenger
     */
    public ModelState promote(String learner, ModelSettings settings, long time, String detail) {
        if (!model.hasChallenger(learner)) {
            throw new IllegalArgumentException("no challenger " + learner + " learns beside " + model.championSpec());
        }
        ModelVersions history = versions();
        String from = model.championSpec();
        // Frozen before the swap: that version is the one a rollback would restore.
        history.next(model, settings.versionsKept(), time, ModelVersions.Reason.PROMOTED,
                detail + " (over " + from + ")", learner);
        model.promote(learner);
        return carryAlertQuality(new ModelState(model, history.current(), history, scoresFrom(), delayed, labelClock,
                silence));
    }

    /**
     * The next version of this model key: the kept version {@code number} serves again, as it was when
     * it was retired; it scores none of the predictions made since. This state is not used afterwards.
     *
     * @throws IllegalArgumentException when that version is not kept
     */
    public ModelState rollBack(long number, ModelSettings settings, long time, String detail) {
        ModelVersions history = versions();
        OnlineModel restored = history.thaw(number, settings);
        history.next(model, settings.versionsKept(), time, ModelVersions.Reason.ROLLED_BACK,
                "to version " + number + " " + detail, restored.championSpec());
        return carryAlertQuality(new ModelState(restored, history.current(), history, history.current(), delayed,
                labelClock, silence));
    }

    /**
     * The first version of a model key: a model bundle's ({@link ModelBundle}), imported by a command
     * at {@code time}.
     */
    public static ModelState imported(OnlineModel model, long time, String detail) {
        return new ModelState(model, 1, new ModelVersions(1, time, ModelVersions.Reason.IMPORTED, detail,
                model.championSpec()), 1, new ArrayDeque<>(), new ModelLabelClock(), null);
    }

    /**
     * The next version of this model key: {@code imported}, a model bundle's, serves; it scores none
     * of the predictions made before it. The model key's stream goes on: its label clock, silence
     * watch, held-back readings and alert quality stay. This state is not used afterwards.
     */
    public ModelState importModel(OnlineModel imported, ModelSettings settings, long time, String detail) {
        ModelVersions history = versions();
        history.next(model, settings.versionsKept(), time, ModelVersions.Reason.IMPORTED, detail,
                imported.championSpec());
        return carryAlertQuality(new ModelState(imported, history.current(), history, history.current(), delayed,
                labelClock, silence));
    }

    /**
     * The next version of a model key whose model was built under settings that shape a model
     * differently (see {@link ModelCheckpoints.SettingsChanged}): a new, untrained model, as a reset
     * makes, numbered on from the retired one; the key's version history and alert quality go on. The
     * retired version has no figures and no version stays restorable (see
     * {@link ModelVersions#nextUnderOtherSettings}).
     *
     * @param detail the change, in the words of the MODEL_RESET alert that announces it
     */
    public static ModelState afterSettingsChange(Retired retired, ModelSettings settings, long time, String detail) {
        ModelVersions history = retired.versions;
        history.nextUnderOtherSettings(time, detail, settings.learnerSpec());
        ModelState next = new ModelState(OnlineModel.create(settings), history.current(), history, history.current(),
                new ArrayDeque<>(), new ModelLabelClock(), null);
        next.alertQuality = retired.alertQuality;
        return next;
    }

    /**
     * What a model key keeps of a model read back without settings, because they changed since it was
     * written: its version history and alert quality. The model itself cannot serve under the current
     * settings and is not part of it.
     *
     * @param learner the learner the model was built under, for a history that began before versions had one
     */
    Retired retire(String learner) {
        ModelVersions history = versions != null ? versions
                : new ModelVersions(version, 0, ModelVersions.Reason.CREATED, "before version history", learner);
        return new Retired(history, alertQuality, strings);
    }

    /** See {@link #retire}; used once, by {@link #afterSettingsChange}. */
    public static final class Retired {
        private final ModelVersions versions;
        // Null while no alert-quality event has been counted.
        private AlertQuality alertQuality;
        private final List<String> strings;

        private Retired(ModelVersions versions, AlertQuality alertQuality, List<String> strings) {
            this.versions = versions;
            this.alertQuality = alertQuality;
            this.strings = strings;
        }

        /**
         * Counts the alert-quality operations of a journal segment written after the snapshot (see
         * {@link ModelJournal#replayAlertQuality}); the segments' other operations need the old settings.
         */
        void replayAlertQuality(byte[] segment) {
            if (alertQuality == null) {
                alertQuality = new AlertQuality();
            }
            ModelJournal.replayAlertQuality(segment, strings, alertQuality);
        }

        /** What was counted cannot be read whole: none of it is carried rather than part. */
        void dropAlertQuality() {
            alertQuality = null;
        }
    }

    private ModelVersions versions() {
        if (versions == null) {
            versions = new ModelVersions(version, 0, ModelVersions.Reason.CREATED, "before version history",
                    model.snapshot().learner());
        }
        return versions;
    }

    /** The model key's versions, oldest first: see {@link ModelVersions}. */
    public List<ModelVersions.VersionInfo> versionHistory() {
        return versions().list(model);
    }

    /** The first version whose predictions this model's learners made: later ones are scored when labelled. */
    private long scoresFrom() {
        return scoresFrom > 0 ? scoresFrom : version;
    }

    /** Gives a state read back from a checkpoint the current settings. */
    void attach(ModelSettings settings) {
        model.attach(settings);
    }

    /**
     * Which of its model key's models this is: 1 at creation, one more at each replacement (a reset,
     * a promotion, a rollback, an import). A prediction is scored only by the learners that made it: across a
     * promotion, not across a reset or rollback.
     */
    public long version() {
        return version;
    }

    /** The model, to read: predictions, explanations, snapshots. Change it through this class's operations. */
    public OnlineModel model() {
        return model;
    }

    public ModelSnapshot snapshot() {
        return model.snapshot();
    }

    /** A journaled {@link #predict}, replayed: see {@link OnlineModel#replayPredict}. */
    void replayPredict(Observation observation, Map<String, Double> sensors, String deviceId, long time) {
        model.replayPredict(observation, sensors, deviceId, time);
    }

    /** Test: see {@link OnlineModel#predict(Observation, Map, String, long)}. */
    public Scored predict(Observation observation, Map<String, Double> sensors, String deviceId, long time) {
        Scored scored = model.predict(observation, sensors, deviceId, time);
        if (!replaying) {
            journal().predict(observation, sensors, deviceId, time);
        }
        return scored;
    }

    /** Score, then train: see {@link OnlineModel#learn}. */
    public Learned learn(Observation observation, String label, Scored scored) {
        Learned learned = model.learn(observation, label, scored);
        if (!replaying) {
            journal().learn(observation, label, scored);
        }
        return learned;
    }

    /** Scores a prediction against its label without training: see {@link OnlineModel#score}. */
    public Optional<ConceptDrift> score(String label, Scored scored) {
        Optional<ConceptDrift> drift = model.score(label, scored);
        if (!replaying) {
            journal().score(label, scored);
        }
        return drift;
    }

    /**
     * Trains now and scores later, in prediction order (see {@link OnlineModel#learnDeferred}), if
     * this model's learners made the prediction (this version, or one before a promotion); a
     * prediction of a version before a reset or rollback is only trained on: it says nothing about
     * this model's errors.
     *
     * @param madeBy the version that predicted, or {@link io.driftline.state.DeviceState.PendingReading#UNKNOWN_VERSION}
     */
    public void learnDeferred(Observation observation, String label, Scored scored, long predictedAt, long madeBy) {
        if (madeBy >= scoresFrom() || madeBy == DeviceState.PendingReading.UNKNOWN_VERSION) {
            model.learnDeferred(observation, label, scored, predictedAt);
        } else {
            model.train(observation, label);
        }
        if (!replaying) {
            journal().learnDeferred(observation, label, scored, predictedAt, madeBy);
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
        List<ConceptDrift> drifts = model.releaseScores(labelClock.advance(deviceId, deviceTime, horizonMs)
                - horizonMs - graceMs);
        if (!replaying) {
            journal().releaseScores(deviceId, deviceTime, horizonMs, graceMs);
        }
        return drifts;
    }

    /**
     * {@code deviceId} reported a reading at {@code time}: which devices of the model fell silent,
     * and whether this one was (see {@link DeviceSilence}).
     *
     * @param silenceMs {@code device.silence.ms}, > 0
     */
    public DeviceSilence.Heard heard(String deviceId, long time, long silenceMs) {
        if (silence == null) {
            silence = new DeviceSilence();
        }
        DeviceSilence.Heard heard = silence.heard(deviceId, time, silenceMs);
        if (!replaying) {
            journal().heard(deviceId, time, silenceMs);
        }
        return heard;
    }

    /** The device left the model: it is no longer watched for silence. */
    public void forgetDevice(String deviceId) {
        if (silence != null) {
            silence.forget(deviceId);
        }
        if (!replaying) {
            journal().forgetDevice(deviceId);
        }
    }

    /**
     * The remaining-life regressor learns that {@code observation}'s device failed {@code targetMs}
     * after it (or was censored at the horizon): see {@link OnlineModel#learnRemainingLife}.
     */
    public void learnRemainingLife(Observation observation, double targetMs) {
        model.learnRemainingLife(observation, targetMs);
        if (!replaying) {
            journal().learnRemainingLife(observation, targetMs);
        }
    }

    /** Counts an alert-quality event of one of the model's machine types: see {@link AlertQuality}. */
    public void alertQuality(String machineType, AlertEvent event) {
        if (alertQuality == null) {
            alertQuality = new AlertQuality();
        }
        alertQuality.apply(machineType, event);
        if (!replaying) {
            journal().alertQuality(machineType, event);
        }
    }

    /** The model's alert quality, per machine type (see {@link AlertQuality#figures}); empty before any event. */
    public List<AlertQualityFigures> alertQuality() {
        return alertQuality == null ? List.of() : alertQuality.figures();
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
        if (!replaying) {
            journal().trainHeldBack(labelDelay);
        }
    }

    /** The concept drifts the last prediction's data drifts showed: see {@link OnlineModel#takeInputShifts}. */
    public List<ConceptDrift> takeInputShifts() {
        return model.takeInputShifts();
    }

    /** The bounds {@code model.max.bytes} imposed while the last input was applied: see {@link OnlineModel#takeSizeCaps}. */
    public List<SizeCapped> takeSizeCaps() {
        return model.takeSizeCaps();
    }

    /** Holds a labelled reading back for {@link #trainHeldBack}. */
    public void holdBack(Observation observation, String label) {
        delayed.addLast(new LabelledObservation(observation, label));
        if (!replaying) {
            journal().holdBack(observation, label);
        }
    }

    /** The readings held back, oldest first. */
    List<LabelledObservation> heldBack() {
        return List.copyOf(delayed);
    }

    /**
     * The operations since the last call, as journal segments of at most {@code limit} bytes where
     * they can be cut; empty when there were none.
     */
    List<byte[]> takeJournal(int limit) {
        if (journal == null) {
            return List.of();
        }
        List<byte[]> taken = journal.take(limit);
        journal = null;
        return taken;
    }

    /**
     * Forgets the operations since the journal was last taken: for a state that lives in memory only
     * and is never checkpointed (an in-process evaluation), whose journal would otherwise grow with
     * every input.
     */
    public void discardJournal() {
        journal = null;
    }

    /**
     * Applies a journal segment (operations taken from a state with the same history as this one)
     * through the same methods the live operations went through, without journaling them again.
     *
     * @param layouts what the segment's observations are built on: one for all the segments replayed onto this state
     *
     * @throws CheckpointCodec.CheckpointDecodingException when the segment cannot be read
     */
    void replay(byte[] segment, ReplayLayouts layouts) {
        if (journal != null && !journal.take(Integer.MAX_VALUE).isEmpty()) {
            throw new IllegalStateException("replay onto a state with operations not yet taken");
        }
        // The replay extends the string table; the journal's index of it is rebuilt when next needed.
        journal = null;
        replaying = true;
        try {
            ModelJournal.replay(segment, strings, layouts, this);
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
