package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import io.driftline.drift.ConceptDrift;
import io.driftline.drift.DataDrift;
import io.driftline.drift.ErrorRateMonitor;
import io.driftline.drift.FleetSensorDrift;
import io.driftline.drift.InputShift;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import moa.classifiers.Classifier;
import moa.classifiers.trees.HoeffdingTree;
import moa.core.Utils;
import moa.options.ClassOption;

/**
 * One model: a MOA learner with its feature space, prequential evaluator and drift monitors.
 * Prequential protocol: {@link #predict} every observation (test), then {@link #learn} it once its
 * label is known (train), possibly much later. Not thread-safe: Kafka Streams gives each model key
 * to one thread at a time.
 *
 * <p>Concept drift is watched on the errors of the predictions Driftline actually made (the
 * {@link Scored} passed to {@code learn}), not re-predicted at training time: with delayed labels
 * the model has moved on in between. With {@link Adaptation#RESET_ON_DRIFT} a detected drift
 * replaces the learner by a fresh one before it trains on the instance, which is what MOA's
 * {@code DriftDetectionMethodClassifier -d ADWINChangeDetector} does; with immediate labels both
 * give identical predictions (tested). With {@link Adaptation#BACKGROUND} a {@link SideLearner} trains
 * beside the learner while the detector is in a warning zone and takes its place at a confirmed drift,
 * which is what MOA's {@code DriftDetectionMethodClassifier} does with any detector (tested for each).
 *
 * <p>With delayed labels a prediction is scored (in prediction order, see {@link #releaseScores}) long
 * after the reading was trained on. The rule: the warning zone as the last scored prediction left it
 * decides whether an instance trained now also trains the background learner, and a drift replaces
 * the learner when it is scored. Both are in the order of the model's operations, so a journal replay
 * decides the same. With immediate labels this is MOA's order exactly.
 *
 * <p>The settings are configuration, not state: they are not serialised with the model, and a
 * model read back from a checkpoint gets the current ones from {@link #attach}. Those that shape
 * the model's state (learner, classes, declared features) must be the ones it was built with; the
 * checkpoint's settings fingerprint guards that. The others (drift settings, adaptation, positive
 * class, evaluation window) apply from then on.
 *
 * <p>The model's {@link AnomalyDetector}, when {@code anomaly.enabled}, scores and learns every
 * reading's sensors in the predict path, unsupervised: a replayed prediction rebuilds it, concept
 * drift does not reset it, and it changes nothing the classifier predicts.
 *
 * <p>Its {@link RemainingLife} regressor, when {@code rul.enabled}, predicts each reading's time to
 * failure without changing, and learns from the targets the maintenance events give
 * ({@link #learnRemainingLife}); concept drift does not reset it.
 */
public final class OnlineModel implements Serializable {

    private static final long serialVersionUID = 3L;
    static final int DRIFT_HISTORY = 20;

    private transient ModelSettings settings;
    private final FeatureSpace space;
    private Classifier learner;
    // Adaptation.BACKGROUND: trained in the last warning zone, kept as MOA keeps it until the next zone begins
    // or a drift (even one not preceded by a warning) swaps it in; null: none since (a fresh one then).
    private SideLearner background;
    // MOA's newClassifierReset: the detector was in control since the last warning zone began.
    private boolean warningEnded;
    private long conceptWarnings;
    // Not final: a promoted challenger brings its own.
    private PrequentialEvaluator evaluator;
    // The champion's spec and slot (see SideLearner); null in checkpoints written before promotions: the settings' learner.
    private String championSpec;
    private int championSlot;
    // learner.challengers, trained beside the champion; null in checkpoints written before them (built by attach).
    private ArrayList<SideLearner> challengers;
    // Whether a prediction was scored since the promotion rule was last checked.
    private transient boolean scoredSinceCheck;
    private final ErrorRateMonitor errors;
    private final FleetSensorDrift dataDrift;
    // Null when anomaly detection is off. Not final: attach replaces one built from another spec.
    private AnomalyDetector anomaly;
    // Null when remaining-useful-life regression is off. Not final: attach replaces one built from another spec.
    private RemainingLife remainingLife;
    private final Deque<ConceptDrift> recentConceptDrift = new ArrayDeque<>();
    private final Deque<DataDrift> recentDataDrift = new ArrayDeque<>();
    // Not final: a snapshot written before DeferredScores holds a plain PriorityQueue (see readObject).
    private PriorityQueue<DeferredScore> deferred = new DeferredScores();
    private long deferredCount;
    private long lastScoredAt = Long.MIN_VALUE;
    private long scoredOutOfOrder;
    private long readingsSeen;
    private long instancesTrained;
    private long conceptDrifts;
    private long dataDrifts;
    private long invalidValues;
    // Null in checkpoints written before models measured their size: measured at the next training.
    private ModelSize size;
    private boolean growthStopped;
    // Bounds applied while the current input was processed, until the model stage takes them.
    private transient List<SizeCapped> capped;
    // Concept drifts the current input's data drifts showed, until the model stage takes them.
    private transient List<ConceptDrift> shifted;

    private OnlineModel(ModelSettings settings) {
        this(settings, new FeatureSpace(settings.declaredFeatures(), settings.classes()), null,
                newLearner(settings.learnerSpec()));
    }

    private OnlineModel(ModelSettings settings, FeatureSpace space, String championSpec, Classifier learner) {
        this.settings = settings;
        this.space = space;
        this.championSpec = championSpec;
        this.learner = learner;
        learner.setModelContext(space.header());
        this.evaluator = new PrequentialEvaluator(settings.classes().size(), settings.evaluationWindow());
        this.errors = new ErrorRateMonitor(settings.conceptDriftDetector(), settings.conceptDriftDelta(),
                settings.conceptDriftCooldown(), settings.conceptDriftMinIncrease(), settings.conceptDriftWarmup());
        this.dataDrift = new FleetSensorDrift(settings.dataDrift());
        this.anomaly = settings.detectsAnomalies() ? AnomalyDetector.create(settings.anomalyDetector()) : null;
        this.remainingLife = settings.predictsRemainingLife()
                ? RemainingLife.create(settings.remainingLifeLearner(), settings.declaredFeatures()) : null;
        this.challengers = new ArrayList<>();
        followChallengers();
        this.size = new ModelSize();
        restartSize();
    }

    public static OnlineModel create(ModelSettings settings) {
        return new OnlineModel(settings);
    }

    /**
     * A model whose champion is {@code learner}, of MOA spec {@code spec}, trained elsewhere on the
     * attributes {@code features} (the declared ones first, as a model's feature space holds them):
     * a model bundle's. It predicts as that learner does, and counts the {@code instancesTrained} it
     * learned from (a prediction's {@code modelVersion}); its evaluation, drift monitors, anomaly
     * detector and remaining-life regressor start afresh, and so do its challengers.
     */
    public static OnlineModel imported(ModelSettings settings, String spec, List<FeatureDef> features,
                                       Classifier learner, long instancesTrained) {
        OnlineModel model = new OnlineModel(settings, new FeatureSpace(features, settings.classes()), spec, learner);
        model.instancesTrained = instancesTrained;
        return model;
    }

    /**
     * What a model bundle carries of this model: the champion's spec and learner (the live one, to be
     * serialised before the model changes again), the feature space, the evaluation and, for a
     * Hoeffding tree, its description.
     */
    public Exported exported() {
        return new Exported(championSpec(), learner, space.features(), instancesTrained,
                evaluator.snapshot(settings.classes()), TreeDescription.of(learner, space.header()).orElse(null));
    }

    /**
     * The champion of a model, for a bundle.
     *
     * @param learner          its MOA spec
     * @param model            the MOA learner itself
     * @param features         the model's attributes in order, the declared ones first
     * @param instancesTrained labelled instances the model trained on
     * @param evaluation       its prequential figures
     * @param tree             its description when it is a Hoeffding tree, else null
     */
    public record Exported(String learner, Classifier model, List<FeatureDef> features, long instancesTrained,
                           EvaluationSnapshot evaluation, TreeDescription tree) {
    }

    /**
     * Gives a model read back from a checkpoint the current settings: they apply from its next
     * input on. The learner spec, classes and declared features must be those it was built with. An
     * anomaly detector built from another spec than the current one starts afresh with it (or goes,
     * when anomaly detection is now off): the classifier is not reset for it.
     */
    public void attach(ModelSettings current) {
        this.settings = current;
        if (!current.detectsAnomalies()) {
            anomaly = null;
        } else if (anomaly == null || !anomaly.spec().equals(current.anomalyDetector())) {
            anomaly = AnomalyDetector.create(current.anomalyDetector());
        }
        if (!current.predictsRemainingLife()) {
            remainingLife = null;
        } else if (remainingLife == null || !remainingLife.spec().equals(current.remainingLifeLearner())) {
            remainingLife = RemainingLife.create(current.remainingLifeLearner(), current.declaredFeatures());
        }
        errors.configure(current.conceptDriftDetector(), current.conceptDriftDelta(), current.conceptDriftCooldown(),
                current.conceptDriftMinIncrease(), current.conceptDriftWarmup());
        if (current.adaptation() != Adaptation.BACKGROUND) {
            background = null;
        }
        dataDrift.configure(current.dataDrift());
        evaluator.resizeWindow(current.evaluationWindow());
        if (challengers == null) {
            challengers = new ArrayList<>();
        }
        followChallengers();
        challengers.forEach(challenger -> challenger.evaluator().resizeWindow(current.evaluationWindow()));
        shareHeader();
    }

    /** The learners take the header the feature space shares with other models: one read back holds its own copies. */
    private void shareHeader() {
        SharedAttributes.share(learner, space.header());
        if (background != null) {
            SharedAttributes.share(background.learner(), space.header());
        }
        challengers.forEach(challenger -> SharedAttributes.share(challenger.learner(), space.header()));
    }

    /**
     * The challengers the settings ask for: the configured learner and {@code learner.challengers},
     * but the champion's spec once (after a promotion the former champion is a challenger). Those the
     * model has keep what they learned; new ones start fresh, in new slots.
     */
    private void followChallengers() {
        List<String> wanted = new ArrayList<>(settings.lifecycle().challengers());
        wanted.add(0, settings.learnerSpec());
        wanted.remove(championSpec());
        List<SideLearner> had = new ArrayList<>(challengers);
        ArrayList<SideLearner> following = new ArrayList<>(wanted.size());
        int slot = slots();
        for (String spec : wanted) {
            SideLearner match = had.stream().filter(challenger -> challenger.spec().equals(spec)).findFirst()
                    .orElse(null);
            if (match != null) {
                had.remove(match);
                following.add(match);
            } else {
                following.add(newChallenger(spec, slot++));
            }
        }
        challengers = following;
    }

    /** A challenger of {@code spec} that starts from nothing, its evaluation too, in {@code slot}. */
    private SideLearner newChallenger(String spec, int slot) {
        return new SideLearner(spec, space.header(),
                new PrequentialEvaluator(settings.classes().size(), settings.evaluationWindow()), slot);
    }

    /** One more than the highest slot of the model's learners. */
    private int slots() {
        int slots = championSlot + 1;
        for (SideLearner challenger : challengers) {
            slots = Math.max(slots, challenger.slot() + 1);
        }
        return slots;
    }

    /** The serving learner's MOA spec. */
    public String championSpec() {
        return championSpec == null ? settings.learnerSpec() : championSpec;
    }

    /**
     * A MOA classifier from its CLI spec, exactly as MOA's tasks build one ({@code trees.HoeffdingTree},
     * {@code trees.HoeffdingAdaptiveTree -l NB}, any class under {@code moa.classifiers} or fully qualified).
     */
    public static Classifier newLearner(String spec) {
        Object learner;
        try {
            learner = ClassOption.cliStringToObject(spec, Classifier.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a MOA classifier spec: " + spec + " (" + e.getMessage() + ")", e);
        }
        Classifier classifier = (Classifier) learner;
        classifier.prepareForUse();
        return classifier;
    }

    /** Test: the model's prediction for {@code observation}, without watching for data drift or anomalies. */
    public Scored predict(Observation observation) {
        readingsSeen++;
        growFeatureSpace(observation);
        invalidValues += space.invalidValues(observation);
        return vote(observation, List.of(), null);
    }

    /**
     * Test: the model's prediction for {@code observation}, a reading of {@code deviceId} at event
     * time {@code time}; {@code sensors} (the raw sensor values, without derived features that would
     * echo the same shift) feed the data-drift watch and the anomaly detector, which scores them.
     */
    public Scored predict(Observation observation, Map<String, Double> sensors, String deviceId, long time) {
        List<DataDrift> drifts = observe(observation, sensors, deviceId, time);
        return vote(observation, drifts, detect(sensors));
    }

    /**
     * What {@link #predict(Observation, Map, String, long)} does to the model, for a replay that
     * knows what was predicted: the learner's votes are skipped where they change nothing (a
     * Hoeffding tree's, and its subclasses'; about a tenth of a replayed reading's cost on a large tree).
     */
    public void replayPredict(Observation observation, Map<String, Double> sensors, String deviceId, long time) {
        List<DataDrift> drifts = observe(observation, sensors, deviceId, time);
        Anomaly detected = detect(sensors);
        if (!(learner instanceof HoeffdingTree)) {
            vote(observation, drifts, detected);
        } else {
            Instance instance = null;
            for (SideLearner challenger : challengers) {
                if (!(challenger.learner() instanceof HoeffdingTree)) {
                    instance = instance == null ? space.toInstance(observation, -1) : instance;
                    challenger.learner().getVotesForInstance(instance);
                }
            }
        }
    }

    /**
     * The expected time to failure of {@code observation} in ms, from the model's remaining-life
     * regressor; null when there is none or it has not trained yet. Changes nothing.
     */
    public Double expectedTimeToFailure(Observation observation) {
        return remainingLife == null ? null : remainingLife.predict(observation);
    }

    /**
     * Test, score, then train the remaining-life regressor on {@code observation} whose time to the
     * device's next failure is now known ({@code targetMs}); nothing when there is no regressor.
     */
    public void learnRemainingLife(Observation observation, double targetMs) {
        if (remainingLife != null) {
            remainingLife.learn(observation, targetMs, settings.maxModelBytes()).ifPresent(this::capped);
        }
    }

    /** Test-then-train of the anomaly detector, if there is one. */
    private Anomaly detect(Map<String, Double> sensors) {
        return anomaly == null ? null : anomaly.score(sensors);
    }

    private List<DataDrift> observe(Observation observation, Map<String, Double> sensors, String deviceId, long time) {
        readingsSeen++;
        growFeatureSpace(observation);
        invalidValues += space.invalidValues(observation);
        List<DataDrift> drifts = dataDrift.add(deviceId, time, sensors, readingsSeen);
        shifted = null;
        if (!drifts.isEmpty()) {
            dataDrifts += drifts.size();
            drifts.forEach(drift -> remember(recentDataDrift, drift));
            drifts.forEach(this::adaptToInputShift);
        }
        return drifts;
    }

    /**
     * A data drift on a sensor the tree splits on, large enough to invalidate its thresholds, is a
     * concept drift ({@link InputShift}), adapted to as one; the tree that splits is the one now,
     * so a replay decides the same.
     */
    private void adaptToInputShift(DataDrift drift) {
        Optional<ConceptDrift> concept = InputShift.of(drift, TreeSplits.features(learner, space.header()),
                        settings.conceptDriftInputShift())
                .flatMap(errors::inputShifted);
        if (concept.isPresent()) {
            onConceptDrift(concept.get());
            if (shifted == null) {
                shifted = new ArrayList<>(1);
            }
            shifted.add(concept.get());
        }
    }

    /** The concept drifts the last prediction's data drifts showed (see {@link InputShift}), and forgets them. */
    public List<ConceptDrift> takeInputShifts() {
        List<ConceptDrift> taken = shifted == null ? List.of() : shifted;
        shifted = null;
        return taken;
    }

    private Scored vote(Observation observation, List<DataDrift> drifts, Anomaly detected) {
        Instance instance = space.toInstance(observation, -1);
        double[] votes = learner.getVotesForInstance(instance);
        int predicted = Utils.maxIndex(votes);
        double[] probabilities = normalise(votes);
        return new Scored(settings.classes().get(predicted), predicted, probabilities,
                probabilities[settings.positiveIndex()], instancesTrained, drifts, detected,
                challengers.isEmpty() ? null : bySlot(instance, predicted));
    }

    /** What each of the model's learners predicts for {@code instance}, by slot. */
    private int[] bySlot(Instance instance, int championPredicted) {
        int[] bySlot = new int[slots()];
        Arrays.fill(bySlot, -1);
        bySlot[championSlot] = championPredicted;
        for (SideLearner challenger : challengers) {
            bySlot[challenger.slot()] = Utils.maxIndex(challenger.learner().getVotesForInstance(instance));
        }
        return bySlot;
    }

    /** The class index slot {@code slot} predicted, or {@code otherwise} when the prediction has none of it. */
    private static int predictedBy(int[] bySlot, int slot, int otherwise) {
        return bySlot != null && slot < bySlot.length && bySlot[slot] >= 0 ? bySlot[slot] : otherwise;
    }

    /** Score, then train: the prequential step when the label is known. */
    public Learned learn(Observation observation, String label, Scored scored) {
        Optional<ConceptDrift> drift = score(label, scored);
        train(observation, label);
        return new Learned(scored.predictedIndex() == classIndex(label), drift, instancesTrained);
    }

    /**
     * Scores the prediction made for a reading against its {@code label}: prequential evaluation and
     * concept-drift detection (a detected drift replaces the learner under {@link Adaptation#RESET_ON_DRIFT}
     * and {@link Adaptation#BACKGROUND}).
     */
    public Optional<ConceptDrift> score(String label, Scored scored) {
        return score(classIndex(label), scored.predictedIndex(), scored.bySlot());
    }

    /**
     * Scores the champion and every challenger against the prediction each made ({@code bySlot}); the
     * champion's errors feed the concept-drift detector.
     */
    private Optional<ConceptDrift> score(int classIndex, int championPredicted, int[] bySlot) {
        int predictedIndex = predictedBy(bySlot, championSlot, championPredicted);
        evaluator.add(classIndex, oneHot(predictedIndex));
        for (SideLearner challenger : challengers) {
            int predicted = predictedBy(bySlot, challenger.slot(), -1);
            if (predicted >= 0) {
                challenger.evaluator().add(classIndex, oneHot(predicted));
            }
        }
        scoredSinceCheck = true;
        Optional<ConceptDrift> drift = errors.add(predictedIndex != classIndex);
        followWarningZone(drift.isPresent());
        drift.ifPresent(this::onConceptDrift);
        return drift;
    }

    /**
     * Delayed labels: trains on the reading now, and defers scoring its prediction (made at
     * {@code predictedAt}) until {@link #releaseScores} reaches that time. Labels of one failure
     * episode arrive together, long after the normal labels of the readings around them; scoring
     * them in arrival order would show ADWIN a burst of errors that is an artefact of the delay,
     * not a drift. Scoring in prediction order shows it the error rate the model actually had.
     */
    public void learnDeferred(Observation observation, String label, Scored scored, long predictedAt) {
        deferred.add(new DeferredScore(predictedAt, deferredCount++, classIndex(label), scored.predictedIndex(),
                scored.bySlot()));
        train(observation, label);
    }

    /**
     * Scores, in prediction order, the deferred predictions made before {@code time} (a time by
     * which every earlier prediction has its label); returns the concept drifts detected.
     */
    public List<ConceptDrift> releaseScores(long time) {
        List<ConceptDrift> drifts = List.of();
        while (!deferred.isEmpty() && deferred.peek().predictedAt() < time) {
            DeferredScore next = deferred.poll();
            if (next.predictedAt() < lastScoredAt) {
                scoredOutOfOrder++;
            }
            lastScoredAt = Math.max(lastScoredAt, next.predictedAt());
            Optional<ConceptDrift> drift = score(next.trueClass(), next.predictedIndex(), next.bySlot());
            if (drift.isPresent()) {
                drifts = drifts.isEmpty() ? new ArrayList<>() : drifts;
                drifts.add(drift.get());
            }
        }
        return drifts;
    }

    /**
     * Deferred predictions scored after a later one had been: their labels came after the model's
     * label clock had passed them (a device silent for longer than the horizon, a late event).
     */
    public long scoredOutOfOrder() {
        return scoredOutOfOrder;
    }

    /**
     * A snapshot written before {@link DeferredScores} holds the deferred scores as a plain queue,
     * serialised score by score; kept as the packed kind from here on, so the next snapshot is packed.
     */
    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (!(deferred instanceof DeferredScores)) {
            deferred = new DeferredScores(deferred);
        }
    }

    /** Predictions trained on but not yet scored. */
    public int deferredScores() {
        return deferred.size();
    }

    /**
     * Only what scoring needs of the prediction: a model may hold many of these. Its name is in the
     * snapshots written before {@link DeferredScores}: it stays a member of this class.
     */
    record DeferredScore(long predictedAt, long order, int trueClass, int predictedIndex, int[] bySlot)
            implements Comparable<DeferredScore>, Serializable {
        @Override
        public int compareTo(DeferredScore other) {
            int byTime = Long.compare(predictedAt, other.predictedAt);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /** Trains the learner on {@code observation} with its {@code label}. */
    public void train(Observation observation, String label) {
        int classIndex = classIndex(label);
        growFeatureSpace(observation);
        Instance instance = space.toInstance(observation, classIndex);
        instancesTrained++;
        long max = settings.maxModelBytes();
        if (settings.adaptation() == Adaptation.BACKGROUND && errors.warningZone()) {
            if (background == null) {
                background = new SideLearner(championSpec(), space.header());
            }
            SideLearner current = background;
            Optional<SizeCapped.Action> action = current.train(instance, max);
            if (action.isPresent()) {
                if (action.get() == SizeCapped.Action.RESET) {
                    // A fresh one trains from the next instance of the warning zone, as at the zone's start.
                    background = null;
                }
                capped(SizeCapped.Role.BACKGROUND, current, action.get());
            }
        }
        learner.trainOnInstance(instance);
        ObserverOptions.share(learner, instance);
        for (int i = 0; i < challengers.size(); i++) {
            SideLearner challenger = challengers.get(i);
            Optional<SizeCapped.Action> action = challenger.train(instance, max);
            if (action.isPresent()) {
                if (action.get() == SizeCapped.Action.RESET) {
                    // Its evaluation decides promotions, so it restarts with the learner; a new slot leaves the
                    // predictions of the former one unscored. The champion is untouched.
                    challengers.set(i, newChallenger(challenger.spec(), slots()));
                }
                capped(SizeCapped.Role.CHALLENGER, challenger, action.get());
            }
        }
        if (size == null) {
            size = new ModelSize();
            restartSize();
        } else if (size.trained(learner)) {
            size.remeasureModel();
            bound();
        }
    }

    /** The champion's size schedule restarts with its learner (new, reset, swapped): measured now, the whole model at the next ask. */
    private void restartSize() {
        size.restart(learner);
        size.remeasureModel();
    }

    /**
     * Applies {@code model.max.bytes} to the champion after a measurement: a Hoeffding tree stops
     * growing, another learner starts afresh (its evaluation goes on). Decided on the learner's
     * measured size at instances fixed by {@link ModelSize}'s schedule, so a restored or replayed
     * model decides at the same instance. The other learners are bounded in the same way, each on its
     * own schedule ({@link SideLearner#train}, {@link RemainingLife#learn}).
     */
    private void bound() {
        long max = settings.maxModelBytes();
        if (growthStopped || !size.exceeds(max)) {
            return;
        }
        long measured = size.learnerBytes();
        SizeCapped.Action action;
        if (TreeGrowth.canStop(learner)) {
            TreeGrowth.stop(learner);
            growthStopped = true;
            action = SizeCapped.Action.STOPPED_GROWING;
        } else {
            learner.resetLearning();
            restartSize();
            errors.modelReplaced();
            action = SizeCapped.Action.RESET;
        }
        capped(new SizeCapped(SizeCapped.Role.CHAMPION, championSpec(), action, measured, max, instancesTrained));
    }

    /** A side learner in {@code role} was bounded, as {@code action} says. */
    private void capped(SizeCapped.Role role, SideLearner bounded, SizeCapped.Action action) {
        capped(new SizeCapped(role, bounded.spec() == null ? championSpec() : bounded.spec(), action,
                bounded.learnerBytes(), settings.maxModelBytes(), instancesTrained));
    }

    private void capped(SizeCapped cap) {
        if (capped == null) {
            capped = new ArrayList<>(1);
        }
        capped.add(cap);
    }

    /** The bounds {@code model.max.bytes} imposed since the last call (at most one per learner's measurement), and forgets them. */
    public List<SizeCapped> takeSizeCaps() {
        if (capped == null || capped.isEmpty()) {
            return List.of();
        }
        List<SizeCapped> taken = capped;
        capped = null;
        return taken;
    }

    /** The model's size in bytes (its Java serialisation), as last measured (see {@link ModelSize}). */
    public long sizeBytes() {
        return size == null ? SerialisedSize.of(this) : size.bytes(this);
    }

    /** Whether {@code model.max.bytes} stopped this Hoeffding tree from growing. */
    public boolean growthStopped() {
        return growthStopped;
    }

    /**
     * The sensors on the path {@code observation} takes from the root of a Hoeffding tree to its
     * leaf, root first: what the prediction depended on. Empty for other learners.
     */
    public List<String> explain(Observation observation) {
        return SplitPath.of(learner, space.toInstance(observation, -1));
    }

    public ModelSnapshot snapshot() {
        return new ModelSnapshot(championSpec(), settings.adaptation(), settings.conceptDriftDetector(),
                readingsSeen, instancesTrained, space.features(), evaluator.snapshot(settings.classes()), conceptDrifts,
                conceptWarnings, errors.warningZone(), dataDrifts, invalidValues,
                List.copyOf(recentConceptDrift), List.copyOf(recentDataDrift), sizeBytes(), growthStopped,
                remainingLife == null ? null : remainingLife.figures(),
                challengers.stream().map(challenger -> new ModelSnapshot.ChallengerSnapshot(challenger.spec(), challenger.trained(),
                        challenger.evaluator().snapshot(settings.classes()))).toList());
    }

    /**
     * The challenger that beats the champion by the promotion rule ({@link Lifecycle.Promotion}), if
     * one does now; checked only when a prediction was scored since the last check.
     */
    public Optional<Promotion> promotionDue() {
        Lifecycle.Promotion rule = settings.lifecycle().promotion();
        if (!scoredSinceCheck || challengers.isEmpty() || rule.metric() == Lifecycle.Promotion.Metric.NONE
                || evaluator.instances() < rule.minLabelled()) {
            return Optional.empty();
        }
        scoredSinceCheck = false;
        double champion = evaluator.figure(rule.metric(), settings.positiveIndex());
        Promotion best = null;
        for (SideLearner challenger : challengers) {
            if (challenger.evaluator().instances() < rule.minLabelled()) {
                continue;
            }
            double figure = challenger.evaluator().figure(rule.metric(), settings.positiveIndex());
            if (figure > champion + rule.margin() && (best == null || figure > best.challengerFigure())) {
                best = new Promotion(championSpec(), challenger.spec(), rule.metric(), champion, figure,
                        challenger.evaluator().instances());
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether a challenger of {@code spec} learns beside the champion. */
    public boolean hasChallenger(String spec) {
        return challengers.stream().anyMatch(challenger -> challenger.spec().equals(spec));
    }

    /**
     * The challenger of {@code spec} serves from now on, with its evaluation; the champion becomes a
     * challenger in its place, with its own. Predictions waiting for their label are scored against
     * the learner that made them (their slots).
     *
     * @throws IllegalArgumentException when no challenger has that spec
     */
    public void promote(String spec) {
        SideLearner winner = challengers.stream().filter(challenger -> challenger.spec().equals(spec)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no challenger " + spec + " (challengers: "
                        + challengers.stream().map(SideLearner::spec).toList() + ")"));
        challengers.set(challengers.indexOf(winner), new SideLearner(championSpec(), learner, evaluator, championSlot,
                growthStopped));
        learner = winner.learner();
        evaluator = winner.evaluator();
        championSpec = winner.spec();
        championSlot = winner.slot();
        background = null;
        growthStopped = winner.growthStopped();
        errors.modelReplaced();
        if (size != null) {
            restartSize();
        }
    }

    /**
     * A promotion the rule decided: the champion's and the winner's figure of the rule's metric
     * and the labelled readings the winner was scored on.
     */
    public record Promotion(String from, String to, Lifecycle.Promotion.Metric metric, double championFigure,
                            double challengerFigure, long labelled) {
    }

    /** New features join the feature space, and the learner learns of the new header. */
    private void growFeatureSpace(Observation observation) {
        if (space.grow(observation)) {
            learner.setModelContext(space.header());
            if (background != null) {
                background.headerChanged(space.header());
            }
            challengers.forEach(challenger -> challenger.headerChanged(space.header()));
        }
    }

    private int classIndex(String label) {
        int classIndex = settings.classes().indexOf(label);
        if (classIndex < 0) {
            throw new IllegalArgumentException("label " + label + " is not one of " + settings.classes());
        }
        return classIndex;
    }

    public ModelSettings settings() {
        return settings;
    }

    public long instancesTrained() {
        return instancesTrained;
    }

    /** Whether the last scored prediction left the concept-drift detector in a warning zone. */
    public boolean inWarningZone() {
        return errors.warningZone();
    }

    /** Warning zones begun after the detector was in control, counted as MOA's "Warning detected". */
    public long conceptWarnings() {
        return conceptWarnings;
    }

    /** Instances the background learner trained on in the current warning zone (0 when none). */
    public long backgroundTrained() {
        return background == null ? 0 : background.trained();
    }

    /**
     * MOA's warning bookkeeping: a warning zone that begins after the detector was in control counts,
     * and starts the background learner afresh; one entered right after a drift, with no input in
     * control between, does not count (the drift left a fresh background learner anyway).
     */
    private void followWarningZone(boolean drifted) {
        if (errors.warningZone()) {
            if (warningEnded) {
                conceptWarnings++;
                background = null;
                warningEnded = false;
            }
        } else if (!drifted) {
            warningEnded = true;
        }
    }

    private void onConceptDrift(ConceptDrift drift) {
        conceptDrifts++;
        remember(recentConceptDrift, drift);
        if (settings.adaptation() == Adaptation.NONE) {
            return;
        }
        boolean stopped = false;
        if (settings.adaptation() == Adaptation.BACKGROUND && background != null) {
            learner = background.learner();
            stopped = background.growthStopped();
        } else if (settings.adaptation() == Adaptation.BACKGROUND) {
            learner = newLearner(championSpec());
            learner.setModelContext(space.header());
        } else {
            learner.resetLearning();
        }
        background = null;
        growthStopped = stopped;
        errors.modelReplaced();
        if (size != null) {
            restartSize();
        }
    }

    private double[] oneHot(int predictedIndex) {
        double[] oneHot = new double[settings.classes().size()];
        oneHot[predictedIndex] = 1;
        return oneHot;
    }

    private double[] normalise(double[] votes) {
        double[] probabilities = new double[settings.classes().size()];
        double sum = 0;
        for (int i = 0; i < votes.length && i < probabilities.length; i++) {
            sum += votes[i];
        }
        if (sum > 0) {
            for (int i = 0; i < votes.length && i < probabilities.length; i++) {
                probabilities[i] = votes[i] / sum;
            }
        }
        return probabilities;
    }

    private static <T> void remember(Deque<T> history, T event) {
        if (history.size() == DRIFT_HISTORY) {
            history.removeFirst();
        }
        history.addLast(event);
    }
}
