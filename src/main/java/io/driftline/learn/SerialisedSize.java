package io.driftline.learn;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * The length of an object's Java serialisation, counted as it is written, without keeping the
 * bytes: what a model weighs without MOA's {@code sizeofag} agent, whose absence makes MOA's own
 * memory measurements return -1. It costs a serialisation's CPU, not its memory.
 */
public final class SerialisedSize {

    private SerialisedSize() {
    }

    /** Bytes of {@code value}'s Java serialisation (uncompressed). */
    public static long of(Serializable value) {
        Counter counter = new Counter();
        try (ObjectOutputStream out = new ObjectOutputStream(counter)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
        return counter.bytes;
    }

    private static final class Counter extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
