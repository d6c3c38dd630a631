package io.driftline.learn;

import java.io.Serializable;

/**
 * How many bytes a model weighs, kept up to date at a cost that does not grow with the model.
 *
 * <p>Sizes are Java serialisations, counted without keeping the bytes ({@link SerialisedSize}):
 * MOA's own measure needs the {@code sizeofag} agent and returns -1 without it. Measuring costs a
 * serialisation, so it happens on a schedule of instances trained, never per status or per query:
 * when the learner starts, after {@link #FIRST_CHECK} instances, then each time it has trained one
 * {@link #GROWTH_SHARE}th more than at the last measurement. A learner grows at most about linearly
 * with what it trained on, so the work per instance stays constant, and the figures lag its growth
 * by at most that share.
 *
 * <p>Each learner a model holds has its own schedule, a function of the instances that learner
 * trained on: the serving learner, each challenger, the background learner and the remaining-life
 * regressor ({@link SideLearner}, {@link RemainingLife}). Each measurement is of that learner alone
 * (what {@code model.max.bytes} bounds, see {@link SizeCapped}); the serving learner's also makes the
 * whole model (what operators see: its learners, evaluators and drift monitors) be measured again at
 * the next ask, so that a replay, which never asks, serialises the learner alone. Only a
 * learner's figure is a function of what it learned, and only it is state: a serialisation writes
 * a string shared by two fields once, and the model's sensor names are shared or not depending on
 * where they were decoded, so the whole model's length may differ by a few bytes between a model and
 * its restored copy. So the whole model's figure is not checkpointed (a model rebuilt from its
 * snapshot and journal must be the live model to the byte); a restored model measures it when it is
 * first asked. A learner holds no such strings, and the schedule depends only on the instances
 * trained, so a restored or replayed model bounds each learner at exactly the same instance as the
 * one that never stopped.
 */
final class ModelSize implements Serializable {

    private static final long serialVersionUID = 1L;
    static final long FIRST_CHECK = 1_000;
    static final int GROWTH_SHARE = 8;

    // 0 until first asked since the last scheduled measurement of the serving learner or the restore.
    private transient long bytes;
    private long learnerBytes;
    private long trained;
    private long nextCheck = FIRST_CHECK;

    /** The learner starts afresh (a new learner, a reset): measured now, while it is small. */
    void restart(Serializable learner) {
        trained = 0;
        nextCheck = FIRST_CHECK;
        learnerBytes = SerialisedSize.of(learner);
    }

    /** The learner trained on one more instance; returns whether it was measured again. */
    boolean trained(Serializable learner) {
        trained++;
        if (trained < nextCheck) {
            return false;
        }
        learnerBytes = SerialisedSize.of(learner);
        nextCheck = trained + Math.max(FIRST_CHECK, trained / GROWTH_SHARE);
        return true;
    }

    /**
     * The serving learner was measured: the whole model is measured again at the next ask, so that a
     * replay (which never asks) serialises the learner alone.
     */
    void remeasureModel() {
        bytes = 0;
    }

    /** The whole {@code model}'s size, measured at the first ask since the last {@link #remeasureModel} or restore. */
    long bytes(Serializable model) {
        if (bytes == 0) {
            bytes = SerialisedSize.of(model);
        }
        return bytes;
    }

    /** The learner's size at the last measurement. */
    long learnerBytes() {
        return learnerBytes;
    }

    /** Whether the learner's last measurement exceeds {@code maxBytes} ({@code model.max.bytes}; 0: no bound). */
    boolean exceeds(long maxBytes) {
        return maxBytes > 0 && learnerBytes > maxBytes;
    }
}
