package io.driftline.state;

/** What a model store tells its metrics about the durable form it writes. */
public interface DurabilityEvents {

    /** Nothing is told. */
    DurabilityEvents IGNORED = new DurabilityEvents() {
        @Override
        public void written(int bytes) {
        }

        @Override
        public void snapshotOnStreamThread(String key) {
        }

        @Override
        public void stalled(long nanos) {
        }

        @Override
        public void restored(String key, RestoreCost cost) {
        }

        @Override
        public void snapshotJobMeasured(String key, RestoreCost cost) {
        }
    };

    /** A journal segment or snapshot record of {@code bytes} was written. */
    void written(int bytes);

    /**
     * A commit made the snapshot of model {@code key} itself, on the stream thread, because the
     * background snapshots fell too far behind (a machine short of CPU): that commit took longer.
     */
    void snapshotOnStreamThread(String key);

    /**
     * The stream thread waited {@code nanos} for background snapshots that fell behind the journal
     * (a machine short of CPU) before reading a model.
     */
    void stalled(long nanos);

    /** Model {@code key} was built from its durable form (a restore, or its first read after a rebalance). */
    void restored(String key, RestoreCost cost);

    /**
     * A background job rebuilt model {@code key} from its durable form to make its next snapshot: the
     * costs it measured set when the model's next snapshot is due.
     */
    void snapshotJobMeasured(String key, RestoreCost cost);
}
