package io.driftline.api;

import io.driftline.state.ModelBundle;
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

    /** The model {@code key} as a bundle, from this instance's store only. */
    Optional<ModelBundle> localBundle(String key);

    /**
     * The model {@code key} as a bundle's JSON, from whichever instance owns it.
     *
     * @param authorization the caller's Authorization header (null: none), for the owner to check
     */
    Optional<byte[]> bundle(String key, String authorization);
}
