package io.driftline.learn;

/**
 * One of a model's learners outgrew {@code model.max.bytes} and was bounded. Each learner is bounded
 * on its own: its size alone against the bound, measured on its own schedule ({@link ModelSize}).
 *
 * @param role             which of the model's learners it was
 * @param spec             its MOA spec
 * @param action           what was done to it
 * @param learnerBytes     the learner's measured size (its Java serialisation) when it was
 * @param maxBytes         the bound
 * @param instancesTrained the model's instances trained at that moment; for the remaining-life
 *                         regressor, the targets it had trained on (it may train without the model)
 */
public record SizeCapped(Role role, String spec, Action action, long learnerBytes, long maxBytes,
                         long instancesTrained) {

    public enum Action {
        /** A Hoeffding tree stops splitting; its leaves keep learning (MOA's own memory policy with {@code -z}). */
        STOPPED_GROWING,
        /** Any other learner starts afresh: Driftline cannot tell how to stop it growing. */
        RESET
    }

    /** The learners a model holds. */
    public enum Role {
        /** The serving learner: a reset keeps its evaluation and drift history, as a drift reset does. */
        CHAMPION("champion"),
        /** One of {@code learner.challengers}: a reset starts a new challenger of its spec, evaluation included. */
        CHALLENGER("challenger"),
        /** The warning zone's learner of {@code learner.adaptation=background}: a reset starts a fresh one. */
        BACKGROUND("background learner"),
        /** The {@code rul.enabled} regressor: a reset keeps its regression figures. */
        REMAINING_LIFE("remaining-life regressor");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        /** How an alert names it. */
        public String label() {
            return label;
        }
    }
}
