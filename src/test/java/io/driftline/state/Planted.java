package io.driftline.state;

import io.driftline.config.PipelineSettings;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** Model checkpoints as someone with write access to the changelog could write them. */
public final class Planted {

    private Planted() {
    }

    /**
     * The head record of a model whose snapshot (inline, with the fingerprint of {@code settings}, so
     * that it is read) holds {@code object} where a model state belongs.
     */
    public static byte[] modelHead(PipelineSettings settings, Serializable object) {
        byte[] header = ModelCheckpoints.header(WrittenBy.current(), SettingsFingerprint.of(settings));
        byte[] snapshot = CheckpointCodec.serialise(header, object);
        return new SnapshotJournal.Head(0, 0, 0, snapshot.length, 0, snapshot).encode();
    }

    /** A class outside the classes a model may hold, whose deserialisation has a side effect. */
    public static final class SideEffect implements Serializable {
        private static final long serialVersionUID = 1L;
        private static volatile boolean ran;

        /** Whether any instance was ever deserialised. */
        public static boolean ran() {
            return ran;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            ran = true;
            in.defaultReadObject();
        }
    }
}
