package io.driftline.state;

import io.driftline.config.PipelineSettings;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** Model checkpoints as someone with write access to the changelog could write them. */
public final class Planted {

    private Planted() {
    }

    /**
     * The head record of a model whose snapshot (inline, with the fingerprint of {@code settings}, so
     * that it is read) holds {@code object} where a model state belongs.
     */
    public static byte[] modelHead(PipelineSettings settings, Serializable object) {
        EncodeBuffer header = new EncodeBuffer(256);
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.write(ModelCheckpoints.SNAPSHOT_VERSION);
            SettingsFingerprint.of(settings).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] snapshot = CheckpointCodec.serialise(header.toByteArray(), object);
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
