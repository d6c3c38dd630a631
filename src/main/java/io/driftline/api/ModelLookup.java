package io.driftline.api;

import java.util.List;
import java.util.Optional;

/** What the HTTP API asks about models; {@link ModelDirectory} answers from the deployment's stores. */
public interface ModelLookup {

    /** The model {@code key} from this instance's store only. */
    Optional<ModelView> local(String key);

    /** Every model of this instance's active tasks; one whose checkpoint cannot be read is listed with its error. */
    List<ModelSummary> localModels();

    /** The model {@code key} as API JSON, from whichever instance owns it. */
    Optional<String> find(String key);

    /** Every model of the deployment. */
    List<ModelSummary> allModels();
}
