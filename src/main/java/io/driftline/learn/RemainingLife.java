package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Instance;
import java.io.Serializable;
import java.util.List;
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
 */
public final class RemainingLife implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String spec;
    private final FeatureSpace space;
    private final Classifier learner;
    private final RegressionEvaluator evaluator = new RegressionEvaluator();
    private long trained;

    private RemainingLife(String spec, List<FeatureDef> declared) {
        this.spec = spec;
        this.space = FeatureSpace.forRegression(declared);
        this.learner = newRegressor(spec);
        learner.setModelContext(space.header());
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

    /** Test, score, then train on {@code observation} with its known {@code target}. */
    public void learn(Observation observation, double target) {
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
    }

    /** Targets trained on. */
    public long trained() {
        return trained;
    }

    public RegressionFigures figures() {
        return evaluator.figures();
    }
}
