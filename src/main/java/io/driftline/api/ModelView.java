package io.driftline.api;

import io.driftline.alertquality.AlertQualityFigures;
import io.driftline.learn.ModelSnapshot;
import io.driftline.state.ModelVersions;
import java.util.List;

/**
 * One model as the HTTP API shows it. Field names are part of the API: add, never rename.
 *
 * @param model    the model key
 * @param instance the instance (host:port) whose active task holds the model
 * @param state    the model as of the last commit: learner, counts, prequential evaluation, drift history, features
 * @param alertQuality its alerts' quality per machine type as of the last commit (see {@link AlertQualityFigures})
 * @param versions the model key's versions, oldest first (the last one serves): when, why, their evaluation
 */
public record ModelView(String model, String instance, ModelSnapshot state, List<AlertQualityFigures> alertQuality,
                        List<ModelVersions.VersionInfo> versions) {
}
