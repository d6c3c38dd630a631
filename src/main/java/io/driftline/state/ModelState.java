package io.driftline.state;

import io.driftline.learn.LabelledObservation;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.OnlineModel;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the model stage keeps per model key: the model, and the in-band labelled readings held back
 * for training when {@code label.delay} is set.
 */
public final class ModelState implements Serializable {

    private static final long serialVersionUID = 1L;

    private final OnlineModel model;
    private final Deque<LabelledObservation> delayed = new ArrayDeque<>();

    public ModelState(ModelSettings settings) {
        this.model = OnlineModel.create(settings);
    }

    public OnlineModel model() {
        return model;
    }

    /** In-band labelled readings scored but not yet trained on, oldest first. */
    public Deque<LabelledObservation> delayed() {
        return delayed;
    }
}
