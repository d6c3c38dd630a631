package io.driftline.learn;

/**
 * A model's learner outgrew {@code model.max.bytes} and was bounded.
 *
 * @param action           what was done to it
 * @param learnerBytes     the learner's measured size (its Java serialisation) when it was
 * @param maxBytes         the bound
 * @param instancesTrained the model's instances trained at that moment
 */
public record SizeCapped(Action action, long learnerBytes, long maxBytes, long instancesTrained) {

    public enum Action {
        /** A Hoeffding tree stops splitting; its leaves keep learning (MOA's own memory policy with {@code -z}). */
        STOPPED_GROWING,
        /** Any other learner starts afresh: Driftline cannot tell how to stop it growing. */
        RESET
    }
}
