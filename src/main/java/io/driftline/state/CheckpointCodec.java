package io.driftline.state;

import io.driftline.config.PerMachineType;
import io.driftline.label.LabelPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/**
 * Bytes of a checkpoint: a one-byte format version, then either a device state in its own binary
 * layout (version {@link #DEVICE_FORMAT_VERSION}: a few KB, written for every device touched since
 * the last commit, where serialisation and deflate cost ten times the writing), or, for model
 * snapshots ({@link ModelCheckpoints}), a header and the deflated Java serialisation of the state
 * (MOA's learners are only serialisable that way; trees compress several-fold), read back through
 * an allow-list of classes only. {@link CheckpointStore} splits the result into chunks when it is
 * longer than one changelog record may be; that is a storage layout around these bytes, not a part
 * of them.
 */
public final class CheckpointCodec {

    /**
     * {@link DeviceState#writeTo}'s layout. Device states of versions 1 (Java-serialised) and 2 (fixed-width
     * numbers and whole feature names, 2-3 times larger) are rejected like any unknown version: the model
     * stage resets such a device (its rolling features, risk episode and queued readings are lost once,
     * see ModelStage#knownDevice). Version 3 ({@link #DEVICE_FORMAT_WITH_POLICY}) is read, its label
     * policy skipped; so is version 4 (without the anomaly episode, which then starts with none), and
     * version 5 (without the alert-quality watch, which then starts with no episode waiting), and version 6
     * (whose queued readings were all stored without a lag behind their store's clock).
     */
    static final byte DEVICE_FORMAT_VERSION = 7;

    /** Device states as version 6 wrote them: this layout without queued readings' lags. */
    static final byte DEVICE_FORMAT_WITHOUT_LAG = 6;

    /** Device states as version 5 wrote them: this layout without the alert-quality watch. */
    static final byte DEVICE_FORMAT_WITHOUT_WATCH = 5;

    /** Device states as version 4 wrote them: this layout without the anomaly episode. */
    static final byte DEVICE_FORMAT_WITHOUT_ANOMALY = 4;

    /** Device states as version 3 wrote them: this layout with the labeler's policy inside. */
    static final byte DEVICE_FORMAT_WITH_POLICY = 3;

    private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

    private CheckpointCodec() {
    }

    /**
     * Device states in their own layout, version {@link #DEVICE_FORMAT_VERSION}, read back with the
     * current settings: {@code labels} and the rolling-feature window of each machine type.
     */
    public static CheckpointFormat<DeviceState> deviceStates(LabelPolicy labels, PerMachineType<Integer> featureWindow) {
        return new CheckpointFormat<>() {
            @Override
            public byte[] encode(DeviceState value) {
                return CheckpointCodec.encode(value);
            }

            @Override
            public DeviceState decode(byte[] bytes) {
                return decodeDevice(bytes, labels, featureWindow);
            }
        };
    }

    public static byte[] encode(DeviceState device) {
        Encoder encoder = ENCODERS.get();
        encoder.serialised.reset();
        encoder.serialised.write(DEVICE_FORMAT_VERSION);
        try {
            DataOutputStream out = new DataOutputStream(encoder.serialised);
            device.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a device state", e);
        }
        return encoder.serialised.toByteArray();
    }

    /**
     * Decodes bytes written by {@link #encode(DeviceState)}, or by versions 3 to 6, with the current settings.
     *
     * @throws CheckpointDecodingException when the bytes are of another format version (among them
     *     device states Java-serialised before version 2) or corrupt; callers decide the policy
     */
    public static DeviceState decodeDevice(byte[] bytes, LabelPolicy labels, PerMachineType<Integer> featureWindow) {
        if (bytes.length == 0 || (bytes[0] != DEVICE_FORMAT_VERSION && bytes[0] != DEVICE_FORMAT_WITHOUT_LAG
                && bytes[0] != DEVICE_FORMAT_WITHOUT_WATCH
                && bytes[0] != DEVICE_FORMAT_WITHOUT_ANOMALY && bytes[0] != DEVICE_FORMAT_WITH_POLICY)) {
            throw new CheckpointDecodingException("unknown device checkpoint format version "
                    + (bytes.length == 0 ? "(empty)" : bytes[0]) + " (this version reads " + DEVICE_FORMAT_WITH_POLICY
                    + " to " + DEVICE_FORMAT_VERSION + ")", null);
        }
        ByteArrayInputStream remaining = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        try {
            DeviceState device = DeviceState.readFrom(new DataInputStream(remaining), bytes[0], labels,
                    featureWindow::forType);
            if (remaining.available() > 0) {
                throw new IOException(remaining.available() + " bytes after the device state");
            }
            return device;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointDecodingException("cannot read device checkpoint: " + e, e);
        }
    }

    /** The deflated Java serialisation of {@code value}, as a model snapshot holds it (to measure sizes). */
    public static byte[] serialise(Serializable value) {
        return serialise(new byte[0], value);
    }

    /** {@code header}, then the deflated Java serialisation of {@code value}. */
    static byte[] serialise(byte[] header, Serializable value) {
        Encoder encoder = ENCODERS.get();
        encoder.serialised.reset();
        try (ObjectOutputStream out = new ObjectOutputStream(encoder.serialised)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
        return encoder.deflate(header);
    }

    /**
     * A stream thread's buffers and deflater, reused from one checkpoint to the next: a new
     * {@link Deflater} allocates and initialises some 300 KB of native memory, and a commit may
     * checkpoint thousands of values. Deflating the serialised bytes in one call also avoids one
     * native call per small write of {@link ObjectOutputStream}.
     */
    private static final class Encoder {
        final EncodeBuffer serialised = new EncodeBuffer(16 * 1024);
        final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        final byte[] chunk = new byte[64 * 1024];

        byte[] deflate(byte[] header) {
            deflater.reset();
            deflater.setInput(serialised.buffer(), 0, serialised.size());
            deflater.finish();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length + serialised.size() / 2 + 16);
            bytes.write(header, 0, header.length);
            while (!deflater.finished()) {
                bytes.write(chunk, 0, deflater.deflate(chunk));
            }
            return bytes.toByteArray();
        }
    }

    /**
     * Reads back what {@link #serialise} wrote after the header, which ends at {@code offset}, through
     * {@code filter}: a class the filter rejects is never loaded, and its {@code readObject} never runs.
     *
     * @throws CheckpointDecodingException when the filter rejects the bytes, or they are corrupt or were
     *     written by incompatible classes (e.g. after a MOA upgrade); callers decide the policy
     */
    static <V> V deserialise(byte[] bytes, int offset, ObjectInputFilter filter, Class<V> type) {
        InputStream compressed = new ByteArrayInputStream(bytes, offset, bytes.length - offset);
        try (ObjectInputStream in = new ObjectInputStream(new InflaterInputStream(compressed))) {
            in.setObjectInputFilter(filter);
            return type.cast(in.readObject());
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new CheckpointDecodingException("cannot deserialise checkpoint: " + e, e);
        }
    }

    /** A checkpoint cannot be read back. */
    public static class CheckpointDecodingException extends RuntimeException {
        CheckpointDecodingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
