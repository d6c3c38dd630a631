package io.driftline.state;

/**
 * What building a model from its durable form cost: decoding its snapshot and replaying the journal
 * segments written since, in CPU time of the thread that did it.
 */
public record RestoreCost(int snapshotBytes, long decodeNanos, long journalBytes, long replayNanos) {

    /** Decoding plus replaying, over decoding alone: what the snapshot policy bounds. */
    public double overDecode() {
        return decodeNanos == 0 ? 0 : (double) (decodeNanos + replayNanos) / decodeNanos;
    }
}
