package io.driftline.core;

import io.driftline.avro.ChallengerStatus;
import io.driftline.avro.ModelStatus;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.RegressionFigures;
import io.driftline.learn.ModelSnapshot;
import io.driftline.learn.OnlineModel;
import java.time.Instant;

/** A model's {@link ModelSnapshot} as the {@link ModelStatus} record operators read. */
public final class ModelStatuses {

    private ModelStatuses() {
    }

    public static ModelStatus of(String modelKey, OnlineModel model, Instant time, double peakFailureProbability) {
        ModelSnapshot snapshot = model.snapshot();
        EvaluationSnapshot evaluation = snapshot.evaluation();
        EvaluationSnapshot.ClassMetrics positive = evaluation.perClass().get(model.settings().positiveIndex());
        RegressionFigures rul = snapshot.remainingLife();
        return ModelStatus.newBuilder()
                .setModelKey(modelKey)
                .setTime(time)
                .setLearner(snapshot.learner())
                .setReadingsSeen(snapshot.readingsSeen())
                .setInstancesTrained(snapshot.instancesTrained())
                .setAccuracy(evaluation.accuracy())
                .setKappa(evaluation.kappa())
                .setWindowAccuracy(evaluation.windowAccuracy())
                .setWindowKappa(evaluation.windowKappa())
                .setPositiveClass(positive.label())
                .setPrecision(positive.precision())
                .setRecall(positive.recall())
                .setF1(positive.f1())
                .setConceptDrifts(snapshot.conceptDrifts())
                .setDataDrifts(snapshot.dataDrifts())
                .setInvalidValues(snapshot.invalidValues())
                .setPeakFailureProbability(peakFailureProbability)
                .setFeatures(snapshot.features().stream().map(FeatureDef::name).toList())
                .setModelBytes(snapshot.modelBytes())
                .setGrowthStopped(snapshot.growthStopped())
                .setRulMae(rul == null ? null : rul.mae())
                .setRulRmse(rul == null ? null : rul.rmse())
                .setRulR2(rul == null ? null : rul.r2())
                .setChallengers(snapshot.challengers().stream().map(challenger -> {
                    EvaluationSnapshot figures = challenger.evaluation();
                    EvaluationSnapshot.ClassMetrics metrics = figures.perClass().get(model.settings().positiveIndex());
                    return ChallengerStatus.newBuilder().setLearner(challenger.learner())
                            .setInstancesTrained(challenger.instancesTrained()).setAccuracy(figures.accuracy())
                            .setKappa(figures.kappa()).setWindowKappa(figures.windowKappa())
                            .setPrecision(metrics.precision()).setRecall(metrics.recall()).setF1(metrics.f1()).build();
                }).toList())
                .build();
    }
}
