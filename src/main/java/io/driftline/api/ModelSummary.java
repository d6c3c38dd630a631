package io.driftline.api;

import io.driftline.learn.ModelSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the model list. Field names are part of the API: add, never rename.
 *
 * @param model            the model key
 * @param instance         the instance (host:port) whose active task holds the model
 * @param learner          the MOA learner spec
 * @param readingsSeen     readings predicted
 * @param instancesTrained labelled readings trained on
 * @param accuracy         prequential accuracy since the model started, percent
 * @param kappa            prequential kappa since the model started, percent
 * @param windowAccuracy   accuracy over the evaluation window, percent
 * @param windowKappa      kappa over the evaluation window, percent
 * @param conceptDrifts    concept drifts detected
 * @param dataDrifts       data drifts detected
 * @param error            why the model cannot be read (its other figures are then empty), or null
 * @param modelBytes       the model's size in bytes (its Java serialisation), as last measured while it learned
 * @param growthStopped    whether model.max.bytes stopped the model (a Hoeffding tree) from growing
 * @param version          the serving version of the model key (0 when unknown)
 * @param challengers      the challengers' learner specs and prequential kappa (percent), by spec
 */
public record ModelSummary(String model, String instance, String learner, long readingsSeen, long instancesTrained,
                           double accuracy, double kappa, double windowAccuracy, double windowKappa,
                           long conceptDrifts, long dataDrifts, String error, long modelBytes,
                           boolean growthStopped, long version, Map<String, Double> challengers) {

    static ModelSummary of(ModelView view) {
        ModelSnapshot state = view.state();
        return new ModelSummary(view.model(), view.instance(), state.learner(), state.readingsSeen(),
                state.instancesTrained(), state.evaluation().accuracy(), state.evaluation().kappa(),
                state.evaluation().windowAccuracy(), state.evaluation().windowKappa(), state.conceptDrifts(),
                state.dataDrifts(), null, state.modelBytes(), state.growthStopped(),
                view.versions().isEmpty() ? 0 : view.versions().get(view.versions().size() - 1).version(),
                challengers(state));
    }

    private static Map<String, Double> challengers(ModelSnapshot state) {
        Map<String, Double> kappas = new LinkedHashMap<>();
        state.challengers().forEach(challenger -> kappas.put(challenger.learner(), challenger.evaluation().kappa()));
        return kappas;
    }

    /** A model whose checkpoint cannot be read: listed, with why, so that one bad model does not hide the others. */
    static ModelSummary unreadable(String model, String instance, String error) {
        return new ModelSummary(model, instance, null, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                error, 0, false, 0, Map.of());
    }
}
