package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import moa.classifiers.Classifier;
import moa.classifiers.Regressor;

/**
 * A model's remaining-useful-life regressor: a MOA regressor ({@code trees.FIMTDD} by default,
 * {@code rules.AMRulesRegressor}, {@code meta.AdaptiveRandomForestRegressor}, any {@link Regressor})
 * that learns the time in milliseconds from a reading to its device's next failure.
 *
 * <p>Its attributes are the model's features (declared first, others appended as seen, as in
 * {@link FeatureSpace}) with a numeric target last. Evaluation is prequential at training time: when
 * a reading's target becomes known, the regressor predicts it (test), the prediction is scored
 * ({@link RegressionEvaluator}, MOA's figures), then the regressor trains on it (train). With
 * immediate targets this is MOA's {@code EvaluatePrequentialRegression} exactly (tested). The
 * prediction published with a reading ({@link #predict}) changes nothing, so it needs no replay.
 *
 * <p>{@code model.max.bytes} bounds it on its own schedule of targets trained ({@link ModelSize}).
 */
public final class RemainingLife implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String spec;
    private final FeatureSpace space;
    private final Classifier learner;
    private final RegressionEvaluator evaluator = new RegressionEvaluator();
    private long trained;
    // Null in snapshots written before the regressor was bounded: its schedule starts at its next training.
    private ModelSize size;

    private RemainingLife(String spec, List<FeatureDef> declared) {
        this.spec = spec;
        this.space = FeatureSpace.forRegression(declared);
        this.learner = newRegressor(spec);
        learner.setModelContext(space.header());
        this.size = new ModelSize();
        size.restart(learner);
    }

    /** A regressor built from {@code spec} over the {@code declared} features (in attribute order). */
    public static RemainingLife create(String spec, List<FeatureDef> declared) {
        return new RemainingLife(spec, declared);
    }

    /** A MOA regressor from its CLI spec, as MOA's tasks build one. */
    public static Classifier newRegressor(String spec) {
        Classifier regressor = OnlineModel.newLearner(spec);
        if (!(regressor instanceof Regressor)) {
            throw new IllegalArgumentException("not a MOA regressor: " + spec);
        }
        return regressor;
    }

    public String spec() {
        return spec;
    }

    /**
     * The expected time to failure of {@code observation}, in ms, as the regressor predicts it (before
     * it has trained, its untrained estimate: 0 for FIMTDD); null when it gives none. Features it has
     * not seen yet are left out (learning them is training's part).
     */
    public Double predict(Observation observation) {
        double[] votes = learner.getVotesForInstance(space.toInstance(observation, Double.NaN));
        return votes.length == 0 ? null : votes[0];
    }

    /**
     * Test, score, then train on {@code observation} with its known {@code target}; then applies
     * {@code maxBytes} ({@code model.max.bytes}; 0: no bound) when the regressor's schedule measures
     * it. No MOA regressor is a Hoeffding tree that could stop growing ({@link TreeGrowth}), so one
     * that exceeds the bound starts afresh, and its figures go on: they score the predictions the
     * model published, before the reset and after. Returns that bound, if one was applied.
     */
    public Optional<SizeCapped> learn(Observation observation, double target, long maxBytes) {
        if (space.grow(observation)) {
            learner.setModelContext(space.header());
        }
        Instance instance = space.toInstance(observation, target);
        double[] votes = learner.getVotesForInstance(instance);
        if (votes.length > 0) {
            evaluator.add(target, votes[0]);
        }
        learner.trainOnInstance(instance);
        trained++;
        if (size == null) {
            size = new ModelSize();
            size.restart(learner);
            return Optional.empty();
        }
        if (!size.trained(learner) || !size.exceeds(maxBytes)) {
            return Optional.empty();
        }
        SizeCapped capped = new SizeCapped(SizeCapped.Role.REMAINING_LIFE, spec, SizeCapped.Action.RESET,
                size.learnerBytes(), maxBytes, trained);
        learner.resetLearning();
        size.restart(learner);
        return Optional.of(capped);
    }

    /** Targets trained on. */
    public long trained() {
        return trained;
    }

    public RegressionFigures figures() {
        return evaluator.figures();
    }
}
