package io.driftline.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/**
 * Bytes of a checkpoint: a one-byte format version, then either the Java serialisation of the
 * object (MOA's learners are only serialisable that way), deflated because trees compress
 * several-fold (version {@link #FORMAT_VERSION}, models), or a device state in its own binary
 * layout, not deflated (version {@link #DEVICE_FORMAT_VERSION}: a few KB, written for every device
 * touched since the last commit, where serialisation and deflate cost ten times the writing).
 * {@link CheckpointStore} splits the result into chunks when it is longer than one changelog record
 * may be; that is a storage layout around these bytes, not a part of them.
 */
public final class CheckpointCodec {

    /**
     * Bump when the layout changes; older versions are rejected, not guessed at. Chunking left these
     * bytes unchanged, so it is still 1 and checkpoints written before it remain readable. The first
     * byte of a stored record is either this or {@link CheckpointChunks#HEAD}: keep versions below it.
     */
    static final byte FORMAT_VERSION = 1;

    /**
     * {@link DeviceState#writeTo}'s layout. Device states of versions 1 (Java-serialised) and 2 (this
     * layout with fixed-width numbers and whole feature names, 2-3 times larger) are rejected like
     * any unknown version: the model stage resets such a device (its rolling features, risk episode
     * and queued readings are lost once, see ModelStage#knownDevice).
     */
    static final byte DEVICE_FORMAT_VERSION = 3;

    private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

    private CheckpointCodec() {
    }

    /** Java serialisation, version {@link #FORMAT_VERSION}: the format of models. */
    public static <V extends Serializable> CheckpointFormat<V> serialised(Class<V> type) {
        return new CheckpointFormat<>() {
            @Override
            public byte[] encode(V value) {
                return CheckpointCodec.encode(value);
            }

            @Override
            public V decode(byte[] bytes) {
                return CheckpointCodec.decode(bytes, type);
            }
        };
    }

    /** Device states in their own layout, version {@link #DEVICE_FORMAT_VERSION}. */
    public static CheckpointFormat<DeviceState> deviceStates() {
        return new CheckpointFormat<>() {
            @Override
            public byte[] encode(DeviceState value) {
                return CheckpointCodec.encode(value);
            }

            @Override
            public DeviceState decode(byte[] bytes) {
                return decodeDevice(bytes);
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
     * Decodes bytes written by {@link #encode(DeviceState)}.
     *
     * @throws CheckpointDecodingException when the bytes are of another format version (among them
     *     device states Java-serialised before version 2) or corrupt; callers decide the policy
     */
    public static DeviceState decodeDevice(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != DEVICE_FORMAT_VERSION) {
            throw new CheckpointDecodingException("unknown device checkpoint format version "
                    + (bytes.length == 0 ? "(empty)" : bytes[0]) + " (this version reads " + DEVICE_FORMAT_VERSION + ")",
                    null);
        }
        ByteArrayInputStream remaining = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        try {
            DeviceState device = DeviceState.readFrom(new DataInputStream(remaining));
            if (remaining.available() > 0) {
                throw new IOException(remaining.available() + " bytes after the device state");
            }
            return device;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointDecodingException("cannot read device checkpoint: " + e, e);
        }
    }

    public static byte[] encode(Serializable value) {
        Encoder encoder = ENCODERS.get();
        encoder.serialised.reset();
        try (ObjectOutputStream out = new ObjectOutputStream(encoder.serialised)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
        return encoder.deflate();
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

        byte[] deflate() {
            deflater.reset();
            deflater.setInput(serialised.buffer(), 0, serialised.size());
            deflater.finish();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(serialised.size() / 2 + 16);
            bytes.write(FORMAT_VERSION);
            while (!deflater.finished()) {
                bytes.write(chunk, 0, deflater.deflate(chunk));
            }
            return bytes.toByteArray();
        }
    }

    /**
     * Decodes bytes written by {@link #encode}.
     *
     * @throws CheckpointDecodingException when the bytes are of another format version or were written by
     *     incompatible classes (e.g. after a MOA upgrade); callers decide the policy
     */
    public static <V extends Serializable> V decode(byte[] bytes, Class<V> type) {
        if (bytes.length == 0 || bytes[0] != FORMAT_VERSION) {
            throw new CheckpointDecodingException("unknown checkpoint format version "
                    + (bytes.length == 0 ? "(empty)" : bytes[0]), null);
        }
        InputStream compressed = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        try (ObjectInputStream in = new ObjectInputStream(new InflaterInputStream(compressed))) {
            return type.cast(in.readObject());
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new CheckpointDecodingException("cannot deserialise checkpoint: " + e, e);
        }
    }

    /** A checkpoint cannot be read back. */
    public static final class CheckpointDecodingException extends RuntimeException {
        CheckpointDecodingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
