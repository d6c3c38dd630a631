package io.driftline.state;

/** What a model store tells its metrics about the durable form it writes; by default nothing is done with it. */
public interface DurabilityEvents {

    /** Does nothing with what it is told. */
    DurabilityEvents IGNORED = new DurabilityEvents() {
    };

    /** A journal segment or snapshot record of {@code bytes} was written. */
    default void written(int bytes) {
    }

    /**
     * A commit made the snapshot of model {@code key} itself, on the stream thread, because the
     * background snapshots fell too far behind (a machine short of CPU): that commit took longer.
     */
    default void snapshotOnStreamThread(String key) {
    }

    /**
     * The stream thread waited {@code nanos} for background snapshots that fell behind the journal
     * (a machine short of CPU) before reading a model.
     */
    default void stalled(long nanos) {
    }

    /** Model {@code key} was built from its durable form (a restore, or its first read after a rebalance). */
    default void restored(String key, RestoreCost cost) {
    }

    /**
     * A background job rebuilt model {@code key} from its durable form to make its next snapshot: the
     * costs it measured set when the model's next snapshot is due.
     */
    default void snapshotJobMeasured(String key, RestoreCost cost) {
    }
}
