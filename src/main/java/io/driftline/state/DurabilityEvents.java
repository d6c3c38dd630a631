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
}
