package io.driftline.state;

import java.util.Set;

/**
 * How a {@link CheckpointStore} keeps its live values in its changelogged inner store: whole
 * checkpoints ({@link WholeCheckpoints}, device states) or snapshots and journals
 * ({@link SnapshotJournal}, models). Called by the stream thread, except {@link #read} and
 * {@link #keys}, which interactive queries call from any thread.
 */
interface DurableForm<V> {

    /**
     * The value of {@code key} as of the last commit, or null if it has none.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when it cannot be read
     */
    V load(String key);

    /**
     * Called before the stream thread reads a value: a form whose background work fell behind what
     * the commits write may hold the thread here, for a bounded time, until it catches up.
     */
    default void awaitBackground() {
    }

    /** Called once per commit, before the values changed since the last commit are written. */
    void commitStarts();

    /**
     * Makes what changed of {@code value} since the last commit durable; {@code replaced} when the
     * value was put since then, a new object whose earlier durable form no longer counts.
     */
    void write(String key, V value, boolean replaced);

    /** Deletes the durable form of {@code key}. */
    void delete(String key);

    /** Forgets what this form remembers of the inner store: it may have been restored since. */
    void clear();

    /** Like {@link #load}, for interactive queries: from any thread, without remembering anything. */
    V read(String key);

    /** Keys of all values. */
    Set<String> keys();
}
