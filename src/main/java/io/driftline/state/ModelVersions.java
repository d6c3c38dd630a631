package io.driftline.state;

import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.OnlineModel;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A model key's versions: when each began and why, how it did, and for the last few it was
 * replaced by, the version itself frozen so that it can serve again (a rollback). Part of the
 * model's snapshot, carried from one {@link ModelState} to the next when the model is replaced.
 *
 * <p>Bounded: a frozen version is its model's deflated serialisation (learner, evaluation, drift
 * monitors), and only the last {@code kept} retired versions keep theirs; the history of versions
 * keeps the last {@link #HISTORY}.
 */
public final class ModelVersions implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int HISTORY = 50;

    /** Why a version began. */
    enum Reason { CREATED, RESET, PROMOTED, ROLLED_BACK, IMPORTED }

    /**
     * One version; {@code evaluation} and {@code frozen} are set when it is retired, {@code frozen} only while kept,
     * {@code evaluation} unless a settings change retired it.
     */
    private record Entry(long number, long startedAt, Reason reason, String detail, String learner,
                         Figures evaluation, byte[] frozen) implements Serializable {
    }

    private final ArrayList<Entry> entries = new ArrayList<>();

    /** The history of a model's first version, or of one read from a snapshot written before versions had one. */
    ModelVersions(long number, long startedAt, Reason reason, String detail, String learner) {
        entries.add(new Entry(number, startedAt, reason, detail, learner, null, null));
    }

    long current() {
        return entries.get(entries.size() - 1).number();
    }

    /**
     * Retires the serving version (the model {@code serving}, frozen now with its evaluation; the
     * oldest frozen beyond the last {@code kept} are dropped) and starts version {@code current() + 1}.
     */
    void next(OnlineModel serving, int kept, long startedAt, Reason reason, String detail, String learner) {
        Entry retired = entries.remove(entries.size() - 1);
        entries.add(new Entry(retired.number(), retired.startedAt(), retired.reason(), retired.detail(),
                retired.learner(), Figures.of(serving), kept > 0 ? CheckpointCodec.serialise(serving) : null));
        int frozen = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            if (entry.frozen() != null && ++frozen > kept) {
                entries.set(i, new Entry(entry.number(), entry.startedAt(), entry.reason(), entry.detail(),
                        entry.learner(), entry.evaluation(), null));
            }
        }
        entries.add(new Entry(retired.number() + 1, startedAt, reason, detail, learner, null, null));
        while (entries.size() > HISTORY) {
            entries.remove(0);
        }
    }

    /**
     * Retires the serving version, built under settings that shape a model differently, and starts
     * version {@code current() + 1}, a reset: the retired version gets no figures (its evaluation
     * cannot be computed without its settings) and every frozen version is dropped (none could serve
     * under the current settings).
     */
    void nextUnderOtherSettings(long startedAt, String detail, String learner) {
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            boolean retired = i == entries.size() - 1;
            entries.set(i, new Entry(entry.number(), entry.startedAt(), entry.reason(), entry.detail(), entry.learner(),
                    retired ? null : entry.evaluation(), null));
        }
        entries.add(new Entry(current() + 1, startedAt, Reason.RESET, detail, learner, null, null));
        while (entries.size() > HISTORY) {
            entries.remove(0);
        }
    }

    /**
     * Version {@code number} as it was when it was retired, with the current settings.
     *
     * @throws IllegalArgumentException when it is not kept (or is the serving one)
     */
    OnlineModel thaw(long number, ModelSettings settings) {
        for (Entry entry : entries) {
            if (entry.number() == number && entry.frozen() != null) {
                return ModelCheckpoints.thaw(entry.frozen(), settings);
            }
        }
        throw new IllegalArgumentException("version " + number + " is not kept: " + restorable());
    }

    /** The versions that can serve again, oldest first. */
    List<Long> restorable() {
        return entries.stream().filter(entry -> entry.frozen() != null).map(Entry::number).toList();
    }

    /** The versions, oldest first; the serving one's figures are {@code serving}'s now. */
    List<VersionInfo> list(OnlineModel serving) {
        List<VersionInfo> list = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            boolean current = i == entries.size() - 1;
            list.add(new VersionInfo(entry.number(), Instant.ofEpochMilli(entry.startedAt()).toString(),
                    entry.reason().name(), entry.detail(), entry.learner(), current, entry.frozen() != null,
                    entry.frozen() == null ? 0 : entry.frozen().length,
                    current ? Figures.of(serving) : entry.evaluation()));
        }
        return list;
    }

    /**
     * One version as operators see it.
     *
     * @param version     its number: 1 for the model key's first model, one more at each replacement
     * @param startedAt   event time of the input that started it (for a command, when it was issued), ISO-8601:
     *                    the API's JSON has no date type
     * @param reason      CREATED, RESET, PROMOTED, ROLLED_BACK or IMPORTED (a model bundle's)
     * @param detail      who and why, in the words of the alert that announced it
     * @param learner     the MOA learner spec that served
     * @param serving     whether it serves now
     * @param restorable  whether it is kept, and a rollback can make it serve again
     * @param frozenBytes the size of its frozen form (0 when not kept)
     * @param evaluation  its prequential figures: when it was retired, or now for the serving one; null (not
     *                    measured) for a version retired by a settings change, whose figures need its settings
     */
    public record VersionInfo(long version, String startedAt, String reason, String detail, String learner,
                              boolean serving, boolean restorable, long frozenBytes, Figures evaluation) {
    }

    /** A version's prequential figures, percent; precision and recall are the positive (failure) class's. */
    public record Figures(long instances, double accuracy, double kappa, double windowKappa, double precision,
                          double recall) implements Serializable {

        static Figures of(OnlineModel model) {
            EvaluationSnapshot evaluation = model.snapshot().evaluation();
            EvaluationSnapshot.ClassMetrics positive = evaluation.perClass().get(model.settings().positiveIndex());
            return new Figures(evaluation.instances(), evaluation.accuracy(), evaluation.kappa(),
                    evaluation.windowKappa(), positive.precision(), positive.recall());
        }
    }
}
