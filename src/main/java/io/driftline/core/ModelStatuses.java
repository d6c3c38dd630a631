package io.driftline.core;

import io.driftline.alertquality.AlertQualityFigures;
import io.driftline.alertquality.AlertQualityFigures.EpisodeFigures;
import io.driftline.alertquality.AlertQualityFigures.ThresholdSuggestion;
import io.driftline.avro.AlertQualityStatus;
import io.driftline.avro.EpisodeQuality;
import io.driftline.avro.ChallengerStatus;
import io.driftline.avro.ModelStatus;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.RegressionFigures;
import io.driftline.learn.ModelSnapshot;
import io.driftline.learn.OnlineModel;
import io.driftline.state.ModelState;
import java.time.Instant;

/** A model's {@link ModelSnapshot} and alert quality as the {@link ModelStatus} record operators read. */
public final class ModelStatuses {

    private ModelStatuses() {
    }

    public static ModelStatus of(String modelKey, ModelState state, Instant time, double peakFailureProbability) {
        OnlineModel model = state.model();
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
                .setKappaM(finite(evaluation.kappaM()))
                .setWindowKappaM(finite(evaluation.windowKappaM()))
                .setGMean(finite(evaluation.gMean()))
                .setAlertQuality(state.alertQuality().stream().map(ModelStatuses::alertQuality).toList())
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

    private static AlertQualityStatus alertQuality(AlertQualityFigures figures) {
        ThresholdSuggestion suggestion = figures.suggestion();
        return AlertQualityStatus.newBuilder()
                .setMachineType(figures.machineType())
                .setMachineDays(figures.machineDays())
                .setFailures(figures.failures())
                .setFailureRisk(episodes(figures.failureRisk()))
                .setAnomaly(episodes(figures.anomaly()))
                .setPrAuc(finite(figures.prAuc()))
                .setRocAuc(finite(figures.rocAuc()))
                .setSuggestedRaise(suggestion == null ? null : suggestion.raise())
                .setSuggestionObjective(suggestion == null ? null : suggestion.objective())
                .setSuggestionRecall(suggestion == null ? null : finite(suggestion.recall()))
                .setSuggestionFalseAlarmsPerMachineDay(suggestion == null ? null
                        : finite(suggestion.falseAlarmsPerMachineDay()))
                .setSuggestionNote(suggestion == null ? null : suggestion.reason())
                .build();
    }

    private static EpisodeQuality episodes(EpisodeFigures figures) {
        return EpisodeQuality.newBuilder()
                .setCaught(figures.caught())
                .setMissed(figures.missed())
                .setMedianLeadMs(finite(figures.medianLeadMs()))
                .setFalseAlarms(figures.falseAlarms())
                .setTrueAlarms(figures.trueAlarms())
                .setFalseAlarmsPerMachineDay(finite(figures.falseAlarmsPerMachineDay()))
                .setConfirmed(figures.confirmed())
                .setMarkedFalse(figures.markedFalse())
                .setUndecided(figures.undecided())
                .build();
    }

    /** An undefined figure (NaN) is null in the record. */
    private static Double finite(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
